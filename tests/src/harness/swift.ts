import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '@atrium/server';
import { type HelperProcess, spawnHelper } from './helperProcess.js';
import { requirement } from './requirements.js';
import { waitFor } from './waitFor.js';

/**
 * OpenStack Swift on loopback with its S3 API (s3api + tempauth): the real S3-compatible server the
 * S3 blob store is tested and benchmarked against. Debian's `swift-*` packages (installed by
 * `.ci/run`); every run gets its own folder, rings and ports, and its processes end with `stop`.
 */
export interface SwiftS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Stops the servers and removes their storage. */
  stop: () => Promise<void>;
}

const SERVERS = ['account', 'container', 'object'] as const;
/** Debian's servers run on the system Python, whatever `python3` is first on PATH. */
const PYTHON = '/usr/bin/python3';
const ACCESS_KEY = 'atrium:tester';
const SECRET_KEY = 'testing-secret';
/** Startup of four Python servers, held with the other core busy: a tripwire, not a goal. */
const START_TIMEOUT_MS = 60_000;

export const hasSwift = () =>
  requirement('OpenStack Swift', 'ATRIUM_REQUIRE_SWIFT', () => fs.existsSync('/usr/bin/swift-proxy-server'));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// One process per server (workers = 0), no logging to syslog, storage in the run's folder.
const serverConf = (dir: string, kind: string, port: number) => `[DEFAULT]
devices = ${dir}/srv
mount_check = false
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
swift_dir = ${dir}
log_name = swift-${kind}
log_udp_host =
log_level = WARNING
disable_fallocate = true

[pipeline:main]
pipeline = ${kind}-server

[app:${kind}-server]
use = egg:swift#${kind}

[${kind}-replicator]
[${kind}-updater]
[${kind}-auditor]
`;

// tempauth needs a memcache client object; no memcached runs, the client only logs its misses.
const proxyConf = (dir: string, port: number, memcachePort: number) => `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
swift_dir = ${dir}
log_level = WARNING

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck cache s3api tempauth dlo slo proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${memcachePort}
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_atrium_tester = ${SECRET_KEY} .admin
[filter:dlo]
use = egg:swift#dlo
[filter:slo]
use = egg:swift#slo
`;

/** Starts a single-node Swift in a temporary folder; resolves once its S3 API answers. */
export async function startSwift(): Promise<SwiftS3> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-swift-'));
  fs.mkdirSync(path.join(dir, 'srv', 'd1'), { recursive: true });
  const ports = {
    account: await freePort(),
    container: await freePort(),
    object: await freePort(),
    proxy: await freePort(),
    memcache: await freePort(),
  };
  // One replica, one device, part power 4: the smallest ring Swift accepts comfortably.
  const rings = SERVERS.map(
    (kind) => `
from swift.common.ring import RingBuilder
b = RingBuilder(4, 1, 0)
b.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': ${ports[kind]}, 'device': 'd1', 'weight': 1})
b.rebalance()
b.get_ring().save('${dir}/${kind}.ring.gz')
`,
  ).join('\n');
  execFileSync(PYTHON, ['-c', rings], { stdio: 'pipe', timeout: START_TIMEOUT_MS });
  const children: HelperProcess[] = [];
  const output: string[] = [];
  const launch = (binary: string, conf: string, text: string) => {
    const file = path.join(dir, conf);
    fs.writeFileSync(file, text);
    const helper = spawnHelper(PYTHON, [binary, file], { stdio: ['ignore', 'pipe', 'pipe'] }, () =>
      fs.rmSync(dir, { recursive: true, force: true }),
    );
    for (const s of [helper.child.stdout, helper.child.stderr])
      s?.on('data', (c: Buffer) => output.push(c.toString()));
    children.push(helper);
  };
  for (const kind of SERVERS)
    launch(`/usr/bin/swift-${kind}-server`, `${kind}.conf`, serverConf(dir, kind, ports[kind]));
  launch('/usr/bin/swift-proxy-server', 'proxy.conf', proxyConf(dir, ports.proxy, ports.memcache));

  const stop = async () => {
    await Promise.all(
      children.map(({ child, exited, release }) => {
        release();
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        return exited;
      }),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const endpoint = `http://127.0.0.1:${ports.proxy}`;
  // A server that dies at start (bad config, port taken) fails the start at once, with its output.
  const died = new Promise<never>((_, reject) => {
    for (const { child } of children)
      child.once('exit', (code) =>
        reject(new Error(`a Swift server exited (${code}): ${output.join('').slice(-2000)}`)),
      );
  });
  died.catch(() => undefined);
  try {
    const up = waitFor(
      async () => {
        const res = await fetch(`${endpoint}/healthcheck`).catch(() => undefined);
        if (!res?.ok) return false;
        // Storage servers up too (the proxy answers before they do); any HTTP answer means listening.
        for (const kind of SERVERS) {
          const ok = await fetch(`http://127.0.0.1:${ports[kind]}/`)
            .then(() => true)
            .catch(() => false);
          if (!ok) return false;
        }
        return true;
      },
      { timeout: START_TIMEOUT_MS, interval: 100, what: 'Swift to answer' },
    );
    await Promise.race([up, died]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, region: 'us-east-1', accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, stop };
}

/** Atrium's S3 blob store settings for a bucket on this Swift (path-style, no presigned downloads unless `extra` says). */
export function swiftS3Options(
  swift: SwiftS3,
  bucket: string,
  extra: Partial<Extract<Config['blobStore'], { kind: 's3' }>> = {},
): Extract<Config['blobStore'], { kind: 's3' }> {
  return {
    kind: 's3',
    endpoint: swift.endpoint,
    bucket,
    region: swift.region,
    prefix: '',
    credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey },
    forcePathStyle: true,
    presignDownloads: false,
    ...extra,
  };
}
