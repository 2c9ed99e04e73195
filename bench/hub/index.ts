import { benchCommit } from './commit.js';
import { benchDownload } from './download.js';
import { benchDuplicate } from './duplicate.js';

await benchCommit();
await benchDuplicate();
await benchDownload();
