import { benchPageLoad } from '../shell/pageLoad.js';
import { benchVisitor } from './visitor.js';

await benchVisitor();
await benchPageLoad();
