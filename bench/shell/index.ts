import { benchPageLoad } from './pageLoad.js';
import { benchThroughput } from './throughput.js';

await benchPageLoad();
await benchThroughput();
