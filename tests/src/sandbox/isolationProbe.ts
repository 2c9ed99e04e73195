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
