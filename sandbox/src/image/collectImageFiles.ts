import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * One file of the image's root filesystem: copied from the host, or generated. `digest` stands in
 * for the file's bytes in the image tag when something else already pins them (e.g. a pip install
 * keyed by the requirements' hash), so 2 GB of wheels are not read at every server start.
 */
export type ImageFile = { dest: string; mode: number } & (
  | { src: string; digest?: string }
  | { content: string }
);

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built sandbox package (dist/image → package root). */
const SANDBOX_ROOT = path.resolve(here, '../..');
const RUNNER_DIST = path.join(SANDBOX_ROOT, 'dist/runner');
const SDK_DIST = path.join(SANDBOX_ROOT, 'dist/sdk');
/** Only the SDK of this package goes into the image, under its own name. */
const SDK_PACKAGE_JSON = `${JSON.stringify({ name: '@atrium/sandbox', type: 'module', exports: { './sdk': './dist/sdk/index.js' } })}\n`;
export const APP_DIR = '/opt/atrium';
export const NODE_PATH_IN_IMAGE = '/usr/local/bin/node';

/** Packages the cells may import; everything they depend on comes along. */
const ROOT_PACKAGES = ['@huggingface/transformers', 'sucrase', 'acorn', '@atrium/protocol', 'sharp', 'koffi'];
/** transformers.js bundles its web runtime; onnxruntime-web's 140 MB of wasm is never loaded in Node. */
const SKIPPED_PACKAGES = new Set(['onnxruntime-web']);

/** Per-package pruning: other platforms, GPU providers, sources, maps and typings stay out. */
function keep(pkg: string, rel: string): boolean {
  if (rel.endsWith('.map') || rel.endsWith('.d.ts') || rel.endsWith('.d.mts') || rel.endsWith('.d.cts'))
    return false;
  if (pkg === 'onnxruntime-node' && rel.startsWith('bin/')) return rel.startsWith('bin/napi-v6/linux/x64/');
  if (pkg === 'onnxruntime-node' && rel.startsWith('script/')) return false;
  if (pkg === '@huggingface/transformers')
    return rel === 'package.json' || /^dist\/transformers\.node\.(mjs|cjs)$/.test(rel);
  if (pkg === 'sharp' && (rel.startsWith('src/') || rel.startsWith('install/'))) return false;
  // koffi (the runner's prctl): its JavaScript, and only the glibc build of its native module.
  if (pkg === 'koffi') return rel === 'package.json' || /\.(c?js)$/.test(rel);
  if (pkg.startsWith('@koromix/koffi-')) return !rel.startsWith('musl_');
  return !rel.startsWith('test/') && !rel.startsWith('docs/');
}

export function walk(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      walk(full, base, out);
    } else if (entry.isFile() || entry.isSymbolicLink()) out.push(path.relative(base, full));
  }
  return out;
}

/** Finds a package's directory the way Node would, starting from a directory. */
function packageDir(name: string, from: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

interface Pkg {
  name: string;
  dir: string;
  /** Where it lands, relative to /opt/atrium/node_modules (nested when the host nests it). */
  target: string;
}

/** The production dependency closure of the root packages, as laid out on the host. */
function dependencyClosure(): Pkg[] {
  const seen = new Map<string, Pkg>();
  const queue: { name: string; from: string; parentTarget: string | null }[] = ROOT_PACKAGES.map((name) => ({
    name,
    from: SANDBOX_ROOT,
    parentTarget: null,
  }));
  const topLevel = new Map<string, string>();
  while (queue.length > 0) {
    const { name, from, parentTarget } = queue.shift() as (typeof queue)[number];
    if (SKIPPED_PACKAGES.has(name)) continue;
    const dir = packageDir(name, from);
    if (!dir) continue; // an optional dependency for another platform
    if (seen.has(dir)) continue;
    // Hoist to the top unless another version already sits there.
    const target =
      !topLevel.has(name) || topLevel.get(name) === dir ? name : `${parentTarget}/node_modules/${name}`;
    if (target === name) topLevel.set(name, dir);
    const pkg = { name, dir, target };
    seen.set(dir, pkg);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      queue.push({ name: dep, from: dir, parentTarget: target });
    }
  }
  return [...seen.values()];
}

const execFileAsync = promisify(execFile);

/**
 * Shared libraries a binary needs, from ldd (the loader itself included). Asynchronous: the server
 * hashes the image's inputs while it serves, and a synchronous ldd held its event loop.
 */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout: out } = await execFileAsync('ldd', [binary], { encoding: 'utf8' });
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const arrow = /=>\s+(\/\S+)/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(/.exec(line);
    const lib = arrow?.[1] ?? bare?.[1];
    if (lib) libs.push(lib);
  }
  return libs;
}

export const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nsandbox:x:1000:1000:sandbox:/tmp:/sbin/nologin\n';
export const GROUP = 'root:x:0:\nsandbox:x:1000:\n';

/** Every file of the sandbox image: node, its libraries, the runner and the inference stack. */
export async function collectImageFiles(nodeBinary = process.execPath): Promise<ImageFile[]> {
  if (!fs.existsSync(path.join(RUNNER_DIST, 'main.js'))) {
    throw new Error(`The runner is not built (${RUNNER_DIST}); run \`npm run build -w sandbox\` first`);
  }
  const files = new Map<string, ImageFile>();
  const add = (f: ImageFile) => files.set(f.dest, f);

  add({ dest: NODE_PATH_IN_IMAGE, src: fs.realpathSync(nodeBinary), mode: 0o755 });
  const binaries = [nodeBinary];

  for (const rel of walk(RUNNER_DIST)) {
    if (rel.endsWith('.js'))
      add({ dest: `${APP_DIR}/runner/${rel}`, src: path.join(RUNNER_DIST, rel), mode: 0o644 });
  }
  add({ dest: `${APP_DIR}/runner/package.json`, content: '{"type":"module"}\n', mode: 0o644 });
  // Space apps import the demo SDK by its package name (app mode, runner/appMain.ts).
  for (const rel of walk(SDK_DIST)) {
    if (rel.endsWith('.js'))
      add({
        dest: `${APP_DIR}/node_modules/@atrium/sandbox/dist/sdk/${rel}`,
        src: path.join(SDK_DIST, rel),
        mode: 0o644,
      });
  }
  add({
    dest: `${APP_DIR}/node_modules/@atrium/sandbox/package.json`,
    content: SDK_PACKAGE_JSON,
    mode: 0o644,
  });

  for (const pkg of dependencyClosure()) {
    for (const rel of walk(pkg.dir)) {
      if (!keep(pkg.name, rel)) continue;
      const src = path.join(pkg.dir, rel);
      if (!fs.statSync(src).isFile()) continue;
      add({ dest: `${APP_DIR}/node_modules/${pkg.target}/${rel}`, src, mode: fs.statSync(src).mode & 0o777 });
      if (rel.endsWith('.node')) binaries.push(src);
    }
  }
  const libvips = [...files.values()].find((f) => /libvips-cpp\.so/.test(f.dest));
  if (libvips && 'src' in libvips) binaries.push(libvips.src);
  const onnx = [...files.values()].find((f) => f.dest.endsWith('libonnxruntime.so.1'));
  if (onnx && 'src' in onnx) binaries.push(onnx.src);

  // sharp loads libresolv and librt lazily, so ldd of its .node alone may not list them.
  const extra = ['/lib/x86_64-linux-gnu/libresolv.so.2', '/lib/x86_64-linux-gnu/librt.so.1'];
  const needed = (await Promise.all(binaries.map(sharedLibraries))).flat();
  for (const lib of new Set([...needed, ...extra])) {
    if (lib.startsWith(SANDBOX_ROOT) || lib.includes('/node_modules/')) continue;
    if (fs.existsSync(lib)) add({ dest: lib, src: fs.realpathSync(lib), mode: 0o755 });
  }
  add({ dest: '/etc/passwd', content: PASSWD, mode: 0o644 });
  add({ dest: '/etc/group', content: GROUP, mode: 0o644 });
  return [...files.values()].sort((a, b) => a.dest.localeCompare(b.dest));
}

/** Resolves a module from the sandbox package (for the CLI's version banner and tests). */
export const sandboxRequire = createRequire(path.join(SANDBOX_ROOT, 'package.json'));
