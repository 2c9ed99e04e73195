import { benchSmallFiles } from './smallFiles.js';
import { benchThroughput } from './throughput.js';

const only = process.env.BLOBS_ONLY;
if (!only || only === 'throughput') await benchThroughput();
if (!only || only === 'small') await benchSmallFiles();
