// The fuzz workload in a process of its own (spawned by hostileHealth.ts), so the process measuring
// /api/health is never the one busy driving the fuzz. Usage: fuzzDriver.ts <url> <tap socket> <keys dir> <lines>
import { runChannelFuzz } from '@atrium/tests/src/sandbox/channelFuzz.js';
import { readKeyTap } from '@atrium/tests/src/sandbox/hostileTesting.js';

const [url = '', socketPath = '', keysDir = '', lines = '100000'] = process.argv.slice(2);
const report = await runChannelFuzz(url, readKeyTap(socketPath, keysDir), {
  lines: Number(lines),
  oversized: true,
});
console.log(`REPORT ${JSON.stringify({ ...report, health: report.health.length })}`);
