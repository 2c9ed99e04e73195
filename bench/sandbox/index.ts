import { benchHostileHealth } from './hostileHealth.js';
import { benchSandboxes } from './kernels.js';
import { benchLimits } from './limits.js';

await benchSandboxes();
await benchLimits();
await benchHostileHealth();
