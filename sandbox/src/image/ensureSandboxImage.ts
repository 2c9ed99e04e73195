import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import type { ImageFile } from './collectImageFiles.js';
import { type ImageRecipe, javascriptRecipe } from './recipes.js';

export const IMAGE_REPOSITORY = javascriptRecipe.repository;

export interface ImageProgress {
  phase: 'hashing' | 'preparing' | 'packing' | 'building' | 'done';
  message: string;
  /** Bytes of the build context sent so far, and in total (packing phase). */
  bytes?: number;
  totalBytes?: number;
}

export interface EnsureImageOptions {
  docker: Docker;
  /** Which image: the JavaScript sandbox (default) or the Python one (`./python/`). */
  recipe?: ImageRecipe;
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

const signatureOf = (recipe: ImageRecipe, files: ImageFile[]) =>
  [recipe.repository, recipe.version, recipe.dockerfile]
    .concat(
      files.map((f) => {
        if ('content' in f) return `${f.dest}:${f.content}`;
        if (f.digest) return `${f.dest}:${f.digest}:${f.mode}`;
        const st = fs.statSync(f.src);
        return `${f.dest}:${f.src}:${st.size}:${st.mtimeMs}:${f.mode}`;
      }),
    )
    .join('\n');

/** The tag of the image these inputs make: `<repository>:<first 12 hex of a sha256 of every input>`. */
export async function sandboxImageTag(
  files?: ImageFile[],
  recipe: ImageRecipe = javascriptRecipe,
): Promise<string> {
  const inputs = files ?? (await recipe.collect());
  const signature = signatureOf(recipe, inputs);
  const cached = tagCache.get(signature);
  if (cached) return cached;
  const tag = await hashInputs(recipe, inputs);
  tagCache.set(signature, tag);
  return tag;
}

async function hashInputs(recipe: ImageRecipe, files: ImageFile[]): Promise<string> {
  const hash = createHash('sha256').update(`recipe ${recipe.version}\n${recipe.dockerfile}`);
  for (const f of files) {
    hash.update(`\n${f.dest} ${f.mode.toString(8)} `);
    if ('content' in f) hash.update(f.content);
    else if (f.digest) hash.update(f.digest);
    else {
      const fileHash = createHash('sha256');
      await pipeline(fs.createReadStream(f.src), fileHash);
      hash.update(fileHash.digest('hex'));
    }
  }
  return `${recipe.repository}:${hash.digest('hex').slice(0, 12)}`;
}

/** Streams the build context (Dockerfile + rootfs/) as a tar, reporting bytes as they go. */
function buildContext(
  dockerfile: string,
  files: ImageFile[],
  onBytes: (sent: number) => void,
): NodeJS.ReadableStream {
  const pack = tar.pack();
  void (async () => {
    let sent = 0;
    pack.entry({ name: 'Dockerfile', mode: 0o644 }, dockerfile);
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

const inflight = new WeakMap<Docker, Map<string, Promise<EnsuredImage>>>();

/**
 * Makes sure the sandbox image for the current inputs exists, building it when missing.
 * Server start-up, the tests and the CLI all call this; concurrent calls for one recipe share one build.
 */
export function ensureSandboxImage(options: EnsureImageOptions): Promise<EnsuredImage> {
  const repository = (options.recipe ?? javascriptRecipe).repository;
  let jobs = inflight.get(options.docker);
  if (!jobs) {
    jobs = new Map();
    inflight.set(options.docker, jobs);
  }
  const running = jobs.get(repository);
  if (running) return running;
  const job = doEnsure(options).finally(() => jobs.delete(repository));
  jobs.set(repository, job);
  return job;
}

async function doEnsure({
  docker,
  recipe = javascriptRecipe,
  onProgress = () => {},
  force = false,
}: EnsureImageOptions): Promise<EnsuredImage> {
  const started = performance.now();
  onProgress({ phase: 'hashing', message: `Hashing the ${recipe.repository} image inputs` });
  const files = await recipe.collect((message) => onProgress({ phase: 'preparing', message }));
  const tag = await sandboxImageTag(files, recipe);
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
  const context = buildContext(recipe.dockerfile, files, (bytes) => {
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
    labels: { 'atrium.sandbox': '1', 'atrium.sandbox.image': recipe.repository },
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
  await docker.getImage(tag).tag({ repo: recipe.repository, tag: 'latest' });
  await pruneOldImages(docker, recipe.repository, tag).catch(() => {});
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
 * Each build is a new layer (~170 MB for JavaScript, ~2 GB for Python): remove earlier images of the
 * same repository once a new one exists, never another recipe's (Docker refuses to remove one a
 * container still uses, which is what we want).
 */
async function pruneOldImages(docker: Docker, repository: string, keep: string): Promise<void> {
  const images = await docker.listImages({ filters: { label: ['atrium.sandbox=1'] } });
  const cutoff = Date.now() / 1000 - PRUNE_AFTER_S;
  for (const image of images) {
    const tags = image.RepoTags ?? [];
    const ours = tags.length > 0 && tags.every((t) => t.startsWith(`${repository}:`));
    if (!ours || tags.includes(keep) || tags.includes(`${repository}:latest`) || image.Created > cutoff)
      continue;
    await docker
      .getImage(image.Id)
      .remove()
      .catch(() => {});
  }
}
