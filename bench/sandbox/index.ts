import { benchSandboxes } from './kernels.js';

await benchSandboxes();
