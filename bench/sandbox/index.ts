import { benchHostileHealth } from './hostileHealth.js';
import { benchImage } from './image.js';
import { benchSandboxes } from './kernels.js';
import { benchLimits } from './limits.js';
import { benchReconcile } from './reconcile.js';

await benchSandboxes();
await benchReconcile();
await benchImage();
await benchLimits();
await benchHostileHealth();
