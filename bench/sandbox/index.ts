import { benchImage } from './image.js';
import { benchSandboxes } from './kernels.js';
import { benchReconcile } from './reconcile.js';

await benchSandboxes();
await benchReconcile();
await benchImage();
