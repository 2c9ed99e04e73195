import { benchThroughput } from './throughput.js';

await benchThroughput();
