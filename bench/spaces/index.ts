import { benchDemoCall } from './demoCall.js';
import { benchSpaceRuntime } from './runtime.js';

await benchDemoCall();
await benchSpaceRuntime();
