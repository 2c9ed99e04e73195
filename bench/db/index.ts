import { benchCommitOnEngines } from './commit.js';
import { benchWhoAmIOnEngines } from './whoami.js';

await benchWhoAmIOnEngines();
await benchCommitOnEngines();
