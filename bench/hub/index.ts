import { benchCommit } from './commit.js';
import { benchDownload } from './download.js';
import { benchDuplicate } from './duplicate.js';
import { benchQuota } from './quota.js';

await benchCommit();
await benchDuplicate();
await benchDownload();
await benchQuota();
