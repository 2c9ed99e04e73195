import { PassThrough, Writable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';
import type { SandboxChannel } from '../SandboxDriver.js';

/**
 * The attach subprotocols, newest first. v5 adds a "close this stream" frame (255), so the server can
 * end the sandbox's stdin without closing its output; v4 is what older API servers speak.
 */
export const ATTACH_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

/** The first byte of every binary frame names its stream. */
export const AttachStream = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/**
 * A frame from the kubelet holds at most a read buffer of the container's output (32 KiB today); a
 * larger one is not something an API server sends, and refusing it bounds what one frame costs us.
 */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Stdin goes in slices of at most this: a Space's load line can be tens of MiB, more than a frame should be. */
const STDIN_SLICE_BYTES = 1024 * 1024;
/** An API server that accepts the connection but never answers the upgrade fails the attach after this. */
const HANDSHAKE_TIMEOUT_MS = 15_000;
/** A ping this often keeps idle attaches alive through proxies and load balancers that cut quiet connections. */
const KEEPALIVE_MS = 30_000;

/**
 * The stdio of a sandbox pod's container through the API server's attach WebSocket, written here rather
 * than through client-node's `Attach` because that one writes output with no back-pressure and ends
 * the process's own stdout on a v5 close frame. A flooding sandbox pauses the socket while the reader
 * is busy (as the Docker driver pauses its hijacked stream), so the kubelet blocks the sandbox's writes.
 */
export async function openAttachChannel(
  kubeConfig: KubeConfig,
  namespace: string,
  pod: string,
  container: string,
  timing: { handshakeTimeoutMs?: number; keepaliveMs?: number } = {},
): Promise<SandboxChannel> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('The kubeconfig names no current cluster');
  const query = new URLSearchParams({
    container,
    stdin: 'true',
    stdout: 'true',
    stderr: 'true',
    tty: 'false',
  });
  const url = `${cluster.server.replace(/^http/, 'ws')}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/attach?${query}`;
  const options: WebSocket.ClientOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const socket = new WebSocket(url, [...ATTACH_PROTOCOLS], {
    ...options,
    maxPayload: MAX_FRAME_BYTES,
    handshakeTimeout: timing.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
    // With this listener ws leaves the refused request to us: abort it (terminate does, with its
    // socket), or the connection stays open.
    socket.once('unexpected-response', (_req, res) => {
      reject(new Error(`attach to ${pod} refused: HTTP ${res.statusCode}`));
      res.resume();
      socket.terminate();
    });
  });
  // Opens the pod's attach gate (sandboxPod.ts); a runner past it ignores the empty line.
  socket.send(Buffer.of(AttachStream.stdin, 0x0a));
  const output = new PassThrough();
  const errors = new PassThrough();
  const canClose = socket.protocol === 'v5.channel.k8s.io';

  const resumeWhenDrained = () => {
    if (!output.writableNeedDrain && !errors.writableNeedDrain) socket.resume();
  };
  output.on('drain', resumeWhenDrained);
  errors.on('drain', resumeWhenDrained);
  socket.on('message', (data, isBinary) => {
    const frame = data as Buffer;
    if (!isBinary || frame.length === 0) return;
    const stream = frame[0];
    const payload = frame.subarray(1);
    if (stream === AttachStream.stdout) output.write(payload);
    else if (stream === AttachStream.stderr) errors.write(payload);
    // A v5 close frame for stdout or stderr: that stream has no more to say.
    else if (stream === AttachStream.close && payload[0] === AttachStream.stdout) output.end();
    else if (stream === AttachStream.close && payload[0] === AttachStream.stderr) errors.end();
    if (output.writableNeedDrain || errors.writableNeedDrain) socket.pause();
  });

  // A ping keeps a quiet attach open through proxies; one unanswered by the next is a dead connection
  // (unless we paused reading for back-pressure: then the pong waits unread behind the output).
  let answered = true;
  socket.on('pong', () => {
    answered = true;
  });
  const keepalive = setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (!answered && !socket.isPaused) return socket.terminate();
    answered = false;
    socket.ping();
  }, timing.keepaliveMs ?? KEEPALIVE_MS);
  keepalive.unref();
  const ended = new Promise<void>((resolve) => {
    const done = () => {
      output.end();
      errors.end();
      resolve();
    };
    socket.once('close', () => {
      clearInterval(keepalive);
      done();
    });
    // An attach that fails mid-way (the pod was deleted, the API server went) is the end, never a crash.
    socket.on('error', done);
  });

  const input = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const slices: Buffer[] = [];
      for (let at = 0; at < chunk.length; at += STDIN_SLICE_BYTES)
        slices.push(chunk.subarray(at, at + STDIN_SLICE_BYTES));
      // One frame per slice, each with its stream byte; the callback waits for the last to be
      // flushed, so the writer sees back-pressure from the socket.
      let unsent = slices.length;
      if (unsent === 0 || socket.readyState !== WebSocket.OPEN) return callback();
      for (const slice of slices)
        socket.send(Buffer.concat([Buffer.of(AttachStream.stdin), slice]), () => {
          unsent -= 1;
          if (unsent === 0) callback();
        });
    },
    final(callback) {
      if (canClose && socket.readyState === WebSocket.OPEN)
        socket.send(Buffer.of(AttachStream.close, AttachStream.stdin), () => callback());
      else callback();
    },
  });
  // Writing after the pod died is the end of the channel, not an error for whoever wrote.
  input.on('error', () => {});

  return { input, output, errors, ended, close: () => socket.terminate() };
}
