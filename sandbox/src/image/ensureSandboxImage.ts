import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { collectImageFiles, type ImageFile } from './collectImageFiles.js';
import { DOCKERFILE } from './dockerfile.js';

/** Bump when the recipe changes in a way the inputs' bytes do not show. */
const RECIPE_VERSION = '1';
export const IMAGE_REPOSITORY = 'atrium-sandbox';

export interface ImageProgress {
  phase: 'hashing' | 'packing' | 'building' | 'done';
  message: string;
  /** Bytes of the build context sent so far, and in total (packing phase). */
  bytes?: number;
  totalBytes?: number;
}

export interface EnsureImageOptions {
  docker: Docker;
  onProgress?: (progress: ImageProgress) => void;
  /** Build even when an image with this content hash exists. */
  force?: boolean;
}

export interface EnsuredImage {
  tag: string;
  /** Whether this call built it (false: it was already there). */
  built: boolean;
  buildMs: number;
  sizeBytes: number;
}

const fileSize = (f: ImageFile) => ('src' in f ? fs.statSync(f.src).size : Buffer.byteLength(f.content));

// Hashing ~170 MB takes a moment: remember the tag for inputs whose paths, sizes and mtimes are unchanged.
const tagCache = new Map<string, string>();

const signatureOf = (files: ImageFile[]) =>
  files
    .map((f) => {
      if ('content' in f) return `${f.dest}:${f.content}`;
      const st = fs.statSync(f.src);
      return `${f.dest}:${f.src}:${st.size}:${st.mtimeMs}:${f.mode}`;
    })
    .join('\n');

/** The tag of the image these inputs make: `atrium-sandbox:<first 12 hex of a sha256 of every input>`. */
export async function sandboxImageTag(files: ImageFile[] = collectImageFiles()): Promise<string> {
  const signature = signatureOf(files);
  const cached = tagCache.get(signature);
  if (cached) return cached;
  const tag = await hashInputs(files);
  tagCache.set(signature, tag);
  return tag;
}

async function hashInputs(files: ImageFile[]): Promise<string> {
  const hash = createHash('sha256').update(`recipe ${RECIPE_VERSION}\n${DOCKERFILE}`);
  for (const f of files) {
    hash.update(`\n${f.dest} ${f.mode.toString(8)} `);
    if ('content' in f) hash.update(f.content);
    else {
      const fileHash = createHash('sha256');
      await pipeline(fs.createReadStream(f.src), fileHash);
      hash.update(fileHash.digest('hex'));
    }
  }
  return `${IMAGE_REPOSITORY}:${hash.digest('hex').slice(0, 12)}`;
}

/** Streams the build context (Dockerfile + rootfs/) as a tar, reporting bytes as they go. */
function buildContext(files: ImageFile[], onBytes: (sent: number) => void): NodeJS.ReadableStream {
  const pack = tar.pack();
  void (async () => {
    let sent = 0;
    pack.entry({ name: 'Dockerfile', mode: 0o644 }, DOCKERFILE);
    const dirs = new Set<string>(['rootfs/tmp']);
    pack.entry({ name: 'rootfs/tmp', type: 'directory', mode: 0o1777 });
    for (const f of files) {
      const name = `rootfs${f.dest}`;
      for (
        let d = name.slice(0, name.lastIndexOf('/'));
        d.includes('/') && !dirs.has(d);
        d = d.slice(0, d.lastIndexOf('/'))
      ) {
        dirs.add(d);
        pack.entry({ name: d, type: 'directory', mode: 0o755 });
      }
      if ('content' in f) pack.entry({ name, mode: f.mode }, f.content);
      else {
        const size = fs.statSync(f.src).size;
        const entry = pack.entry({ name, mode: f.mode, size });
        await pipeline(fs.createReadStream(f.src), entry);
      }
      sent += fileSize(f);
      onBytes(sent);
    }
    pack.finalize();
  })().catch((err) => pack.destroy(err));
  return pack as unknown as NodeJS.ReadableStream;
}

const inflight = new WeakMap<Docker, Promise<EnsuredImage>>();

/**
 * Makes sure the sandbox image for the current inputs exists, building it when missing.
 * Server start-up, the tests and the CLI all call this; concurrent calls share one build.
 */
export function ensureSandboxImage(options: EnsureImageOptions): Promise<EnsuredImage> {
  const running = inflight.get(options.docker);
  if (running) return running;
  const job = doEnsure(options).finally(() => inflight.delete(options.docker));
  inflight.set(options.docker, job);
  return job;
}

async function doEnsure({
  docker,
  onProgress = () => {},
  force = false,
}: EnsureImageOptions): Promise<EnsuredImage> {
  const started = performance.now();
  onProgress({ phase: 'hashing', message: 'Hashing the sandbox image inputs' });
  const files = collectImageFiles();
  const tag = await sandboxImageTag(files);
  if (!force) {
    const existing = await docker
      .getImage(tag)
      .inspect()
      .catch(() => null);
    if (existing) {
      onProgress({ phase: 'done', message: `Sandbox image ${tag} is present` });
      return { tag, built: false, buildMs: 0, sizeBytes: existing.Size };
    }
  }
  const totalBytes = files.reduce((n, f) => n + fileSize(f), 0);
  onProgress({
    phase: 'packing',
    message: `Building ${tag} from ${files.length} files`,
    bytes: 0,
    totalBytes,
  });
  let lastReport = 0;
  const context = buildContext(files, (bytes) => {
    if (bytes - lastReport >= 16 * 1024 * 1024 || bytes === totalBytes) {
      lastReport = bytes;
      onProgress({
        phase: 'packing',
        message: `Sent ${(bytes / 1048576).toFixed(0)} / ${(totalBytes / 1048576).toFixed(0)} MiB`,
        bytes,
        totalBytes,
      });
    }
  });
  const stream = await docker.buildImage(context, {
    t: tag,
    forcerm: true,
    // A forced build starts from nothing, as on a fresh machine.
    nocache: force,
    labels: { 'atrium.sandbox': '1' },
  });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: { error?: string }[]) => {
        const failed = err ?? output.find((o) => o.error);
        if (failed)
          reject(err ?? new Error(`sandbox image build failed: ${(failed as { error?: string }).error}`));
        else resolve();
      },
      (event: { stream?: string; error?: string }) => {
        const text = event.stream?.trim();
        if (text) onProgress({ phase: 'building', message: text });
      },
    );
  });
  const image = await docker.getImage(tag).inspect();
  await docker.getImage(tag).tag({ repo: IMAGE_REPOSITORY, tag: 'latest' });
  await pruneOldImages(docker, tag).catch(() => {});
  const buildMs = Math.round(performance.now() - started);
  onProgress({
    phase: 'done',
    message: `Built ${tag} (${(image.Size / 1048576).toFixed(0)} MiB) in ${(buildMs / 1000).toFixed(1)} s`,
  });
  return { tag, built: true, buildMs, sizeBytes: image.Size };
}

/** Images older than this are not in use by a build or a test still starting on this machine. */
const PRUNE_AFTER_S = 15 * 60;

/**
 * Each build is a new ~170 MB layer: remove earlier sandbox images once a new one exists
 * (Docker refuses to remove one a container still uses, which is what we want).
 */
async function pruneOldImages(docker: Docker, keep: string): Promise<void> {
  const images = await docker.listImages({ filters: { label: ['atrium.sandbox=1'] } });
  const cutoff = Date.now() / 1000 - PRUNE_AFTER_S;
  for (const image of images) {
    const tags = image.RepoTags ?? [];
    if (tags.includes(keep) || tags.includes(`${IMAGE_REPOSITORY}:latest`) || image.Created > cutoff)
      continue;
    await docker
      .getImage(image.Id)
      .remove()
      .catch(() => {});
  }
}
