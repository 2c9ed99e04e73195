import { benchDemoCall } from './demoCall.js';

await benchDemoCall();
