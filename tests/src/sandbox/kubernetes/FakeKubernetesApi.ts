import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';

/**
 * A FAKE Kubernetes API server (and kubelet) for tests: the few endpoints the Kubernetes sandbox driver
 * uses, each request recorded. A pod's command runs as a local process (the image's node is this node),
 * with none of a real node's isolation: it proves the driver's requests and the attach framing, not the
 * hardening, which only a real cluster shows (kubernetesIsolation.test.ts).
 */

/** One request the driver made. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
  /** The WebSocket subprotocols an attach offered. */
  protocols?: string[];
}

type Pod = {
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
  };
  spec: { containers: { name: string; command: string[]; env?: { name: string; value: string }[] }[] };
  status?: Record<string, unknown>;
};

interface PodRun {
  pod: Pod;
  process: ChildProcess | null;
  exited: boolean;
}

interface WatchEvent {
  version: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  pod: Pod;
}

export interface FakeKubernetesOptions {
  /** The bearer token requests must carry. */
  token: string;
  /** Offer only these attach subprotocols (to prove the v4 fallback). */
  attachProtocols?: string[];
  /** Answer NetworkPolicy writes with 403, as a namespace without that RBAC grant would. */
  refuseNetworkPolicies?: boolean;
  /**
   * How long after the container starts its pod reads Running (a kubelet reports status on its own
   * schedule); 300 ms by default, so a container that writes at once has written before any attach.
   */
  statusLagMs?: number;
  /** Image paths to local ones in the command's arguments (`/opt/atrium/` → the built sandbox package). */
  pathMap?: Record<string, string>;
}

/** The image's node inside a real sandbox is this process's node here. */
const IMAGE_NODE = '/usr/local/bin/node';
const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const statusBody = (code: number, reason: string, message: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message,
  reason,
  code,
});

export class FakeKubernetesApi {
  readonly requests: RecordedRequest[] = [];
  readonly pods = new Map<string, PodRun>();
  readonly networkPolicies = new Map<string, Record<string, unknown>>();
  /** The largest stdin frame an attach carried, its stream byte included. */
  largestStdinFrame = 0;
  private readonly events: WatchEvent[] = [];
  private readonly watches = new Set<{ res: http.ServerResponse; selector: Record<string, string> }>();
  private version = 1;
  private readonly server: http.Server;
  private readonly sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => {
      const allowed = this.options.attachProtocols ?? ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
      return [...offered].find((p) => allowed.includes(p)) ?? false;
    },
  });
  url = '';

  constructor(readonly options: FakeKubernetesOptions) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A kubeconfig file pointing at this fake, as `kubectl` would read it. */
  writeKubeconfig(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-fake-kube-'))): string {
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: fake, cluster: {server: "${this.url}", insecure-skip-tls-verify: true}}]`,
        `users: [{name: tester, user: {token: "${this.options.token}"}}]`,
        'contexts: [{name: fake, context: {cluster: fake, user: tester, namespace: sandboxes}}]',
        'current-context: fake',
        '',
      ].join('\n'),
    );
    return file;
  }

  /** Ends every open watch, as an API server does every few minutes or a dropped connection would. */
  dropWatches(): number {
    const n = this.watches.size;
    for (const w of this.watches) w.res.destroy();
    this.watches.clear();
    return n;
  }

  /** Ends every attach WebSocket while the pods run on, as a restarted API server or a dropped connection would. */
  dropAttaches(): number {
    const n = this.sockets.clients.size;
    for (const client of this.sockets.clients) client.terminate();
    return n;
  }

  get openWatches(): number {
    return this.watches.size;
  }

  /** Requests of one method whose path matches. */
  made(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  async stop(): Promise<void> {
    for (const run of this.pods.values()) run.process?.kill('SIGKILL');
    this.dropWatches();
    for (const client of this.sockets.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
    });
    if (req.headers.authorization !== `Bearer ${this.options.token}`)
      return json(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
    const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/.exec(url.pathname);
    const policies =
      /^\/apis\/networking\.k8s\.io\/v1\/namespaces\/([^/]+)\/networkpolicies(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (pods) return this.handlePods(req.method ?? '', pods[1] ?? '', pods[2], url, body, res);
    if (policies) return this.handlePolicies(req.method ?? '', policies[2], body, res);
    json(res, 404, statusBody(404, 'NotFound', `the fake does not serve ${url.pathname}`));
  }

  private handlePolicies(method: string, name: string | undefined, body: unknown, res: http.ServerResponse) {
    if (this.options.refuseNetworkPolicies && method !== 'GET')
      return json(res, 403, statusBody(403, 'Forbidden', 'networkpolicies is forbidden'));
    const policy = body as { metadata?: { name?: string } } | undefined;
    if (method === 'POST') {
      const key = policy?.metadata?.name ?? '';
      if (this.networkPolicies.has(key)) return json(res, 409, statusBody(409, 'AlreadyExists', 'exists'));
      this.networkPolicies.set(key, {
        ...(body as object),
        metadata: { ...policy?.metadata, resourceVersion: '1' },
      });
      return json(res, 201, this.networkPolicies.get(key));
    }
    const existing = name ? this.networkPolicies.get(name) : undefined;
    if (!name || !existing) return json(res, 404, statusBody(404, 'NotFound', 'no such policy'));
    if (method === 'GET') return json(res, 200, existing);
    if (method === 'PUT') {
      this.networkPolicies.set(name, body as Record<string, unknown>);
      return json(res, 200, body);
    }
    json(res, 405, statusBody(405, 'MethodNotAllowed', method));
  }

  private handlePods(
    method: string,
    namespace: string,
    name: string | undefined,
    url: URL,
    body: unknown,
    res: http.ServerResponse,
  ) {
    if (method === 'POST' && !name) {
      const pod = body as Pod;
      pod.metadata.namespace = namespace;
      if (this.pods.has(pod.metadata.name))
        return json(res, 409, statusBody(409, 'AlreadyExists', `pods "${pod.metadata.name}" already exists`));
      pod.metadata.uid = `uid-${this.version}`;
      pod.status = { phase: 'Pending', containerStatuses: [] };
      const run: PodRun = { pod, process: null, exited: false };
      this.pods.set(pod.metadata.name, run);
      this.publish('ADDED', pod);
      // The kubelet starts the container once scheduled: shortly after the create, whoever attaches.
      setTimeout(() => this.run(run), 20);
      return json(res, 201, pod);
    }
    if (method === 'GET' && !name) {
      const selector = parseSelector(url.searchParams.get('labelSelector'));
      if (url.searchParams.get('watch') === 'true')
        return this.watch(res, selector, url.searchParams.get('resourceVersion'));
      const items = [...this.pods.values()].map((r) => r.pod).filter((p) => matches(p, selector));
      return json(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(this.version) },
        items,
      });
    }
    const run = name ? this.pods.get(name) : undefined;
    if (!run) return json(res, 404, statusBody(404, 'NotFound', `pods "${name}" not found`));
    if (method === 'GET') return json(res, 200, run.pod);
    if (method === 'DELETE') {
      this.pods.delete(run.pod.metadata.name);
      run.process?.kill('SIGKILL');
      this.publish('DELETED', run.pod);
      return json(res, 200, run.pod);
    }
    json(res, 405, statusBody(405, 'MethodNotAllowed', method));
  }

  /** The container: the pod's command as a local process, its state reported as the kubelet would. */
  private run(run: PodRun) {
    if (!this.pods.has(run.pod.metadata.name)) return;
    const container = run.pod.spec.containers[0];
    if (!container) return;
    const [command = '', ...args] = container.command;
    const local = (arg: string) =>
      Object.entries(this.options.pathMap ?? {}).reduce(
        (a, [from, to]) => (a.startsWith(from) ? to + a.slice(from.length) : a),
        arg,
      );
    const child = spawn(command === IMAGE_NODE ? process.execPath : command, args.map(local), {
      env: Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value])),
      stdio: 'pipe',
    });
    run.process = child;
    // Output nobody is attached to goes to the container log on a real node: here, nowhere.
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', () => {});
    child.stdin.on('error', () => {});
    const startedAt = new Date().toISOString();
    setTimeout(() => {
      if (run.exited || this.pods.get(run.pod.metadata.name) !== run) return;
      run.pod.status = {
        phase: 'Running',
        containerStatuses: [{ name: container.name, ready: true, state: { running: { startedAt } } }],
      };
      this.publish('MODIFIED', run.pod);
    }, this.options.statusLagMs ?? 300);
    child.on('exit', (code, signal) => {
      run.exited = true;
      const exitCode = code ?? (signal === 'SIGKILL' ? 137 : 143);
      run.pod.status = {
        phase: exitCode === 0 ? 'Succeeded' : 'Failed',
        containerStatuses: [
          {
            name: container.name,
            ready: false,
            state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' } },
          },
        ],
      };
      if (this.pods.get(run.pod.metadata.name) === run) this.publish('MODIFIED', run.pod);
    });
  }

  private publish(type: WatchEvent['type'], pod: Pod) {
    this.version += 1;
    pod.metadata.resourceVersion = String(this.version);
    const event = { version: this.version, type, pod: structuredClone(pod) };
    this.events.push(event);
    for (const w of this.watches)
      if (matches(pod, w.selector)) w.res.write(`${JSON.stringify({ type, object: event.pod })}\n`);
  }

  private watch(res: http.ServerResponse, selector: Record<string, string>, since: string | null) {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const from = Number(since ?? this.version);
    for (const e of this.events)
      if (e.version > from && matches(e.pod, selector))
        res.write(`${JSON.stringify({ type: e.type, object: e.pod })}\n`);
    const entry = { res, selector };
    this.watches.add(entry);
    res.on('close', () => this.watches.delete(entry));
  }

  private upgrade(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const attach = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/attach$/.exec(url.pathname);
    this.requests.push({
      method: 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      authorization: req.headers.authorization,
      protocols: String(req.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    });
    const run = attach ? this.pods.get(attach[2] ?? '') : undefined;
    if (req.headers.authorization !== `Bearer ${this.options.token}` || !run?.process || run.exited) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const child = run.process;
    this.sockets.handleUpgrade(req, socket, head, (ws) => {
      const v5 = ws.protocol === 'v5.channel.k8s.io';
      const forward = (stream: number) => (chunk: Buffer) =>
        ws.send(Buffer.concat([Buffer.of(stream), chunk]));
      const onOut = forward(1);
      const onErr = forward(2);
      child.stdout?.on('data', onOut);
      child.stderr?.on('data', onErr);
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0) {
          this.largestStdinFrame = Math.max(this.largestStdinFrame, data.length);
          child.stdin?.write(data.subarray(1));
        } else if (v5 && data[0] === 255 && data[1] === 0) child.stdin?.end();
      });
      const finish = () => {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(
          Buffer.concat([Buffer.of(3), Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' }))]),
        );
        ws.close(1000);
      };
      child.on('close', finish);
      ws.on('close', () => {
        child.stdout?.off('data', onOut);
        child.stderr?.off('data', onErr);
        child.off('close', finish);
      });
    });
  }
}

const parseSelector = (selector: string | null): Record<string, string> =>
  Object.fromEntries(
    (selector ?? '')
      .split(',')
      .filter(Boolean)
      .map((term) => term.split('=') as [string, string]),
  );

const matches = (pod: Pod, selector: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v);
