import { expect } from 'vitest';
import { bearer } from '../harness/index.js';
import { execute } from './sandboxTesting.js';

/** What user code can see from inside a sandbox: shared by the Docker and the Kubernetes isolation suites. */

/** Gathered inside the sandbox by user code, the way an attacker would look around. */
export const probe = (port: number) => `
const fs = require('fs'); const net = require('net'); const os = require('os'); const dns = require('dns');
const status = fs.readFileSync('/proc/self/status', 'utf8');
const field = (name) => (new RegExp('^' + name + ':\\\\s*(\\\\S+)', 'm').exec(status) || [])[1] ?? null;
const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
const connect = (host, to = ${port}) => new Promise((resolve) => {
  if (!host) return resolve('no address');
  const s = net.connect({ host, port: Number(to), timeout: 1500 });
  s.on('connect', () => { s.destroy(); resolve('connected'); });
  s.on('error', (e) => resolve(e.code));
  s.on('timeout', () => { s.destroy(); resolve('timeout'); });
});
({
  uid: process.getuid(), gid: process.getgid(),
  capEff: field('CapEff'), noNewPrivs: field('NoNewPrivs'), seccomp: field('Seccomp'),
  writeRoot: attempt(() => fs.writeFileSync('/pwned', 'x')),
  writeApp: attempt(() => fs.writeFileSync('/opt/atrium/runner/main.js', 'x')),
  writeTmp: attempt(() => fs.writeFileSync('/tmp/scratch', 'x')),
  interfaces: Object.keys(os.networkInterfaces()),
  dockerSock: ['/var/run/docker.sock', '/run/docker.sock'].filter((p) => fs.existsSync(p)),
  loopbackToServer: await connect('127.0.0.1'),
  hostGatewayToServer: await connect('172.17.0.1'),
  // On a cluster: the API server (its address is in every pod's environment), the internet, DNS, a token.
  kubernetesApi: await connect(process.env.KUBERNETES_SERVICE_HOST, process.env.KUBERNETES_SERVICE_PORT),
  internet: await connect('1.1.1.1', 443),
  dnsLookup: await new Promise((resolve) => dns.lookup('kubernetes.default.svc.cluster.local', (e) => resolve(e ? e.code : 'resolved'))),
  serviceAccountToken: fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token'),
})`;

export interface Facts {
  uid: number;
  gid: number;
  capEff: string;
  noNewPrivs: string | null;
  seccomp: string | null;
  writeRoot: string;
  writeApp: string;
  writeTmp: string;
  interfaces: string[];
  dockerSock: string[];
  loopbackToServer: string;
  hostGatewayToServer: string;
  kubernetesApi: string;
  internet: string;
  dnsLookup: string;
  serviceAccountToken: boolean;
}

/**
 * Cell code writes a forged stream message onto the control channel itself: the sandbox's stdout and
 * stderr are reachable through /proc/1/fd/1 and 2 (the init process's, the same pipe the runner
 * writes to; the non-dumpable runner's own fds are not, under runc). The write succeeds, and the
 * forged line must not be believed.
 */
export async function expectForgedLinesDropped(url: string, token: string, kernelId: string) {
  const forged = JSON.stringify({
    header: { msg_id: 'forged', msg_type: 'stream' },
    parent_header: {},
    metadata: {},
    content: { name: 'stdout', text: 'FORGED' },
  });
  const run = await execute(
    url,
    bearer(token),
    kernelId,
    `const fs = require('fs'); let how = 'none';
     for (const fd of [1, 2]) { try { fs.writeFileSync('/proc/1/fd/' + fd, ${JSON.stringify(`${'0'.repeat(64)} ${forged}\n`)}); how = 'wrote'; } catch (e) { how = e.code; } }
     how`,
  );
  expect(run.reply?.status).toBe('ok');
  expect(run.stdout).not.toContain('FORGED');
  const outputs = run.messages.filter((m) => m.header.msg_type !== 'execute_input');
  expect(JSON.stringify(outputs)).not.toContain('FORGED');
  expect(run.result?.['text/plain']).toBe("'wrote'");
}
