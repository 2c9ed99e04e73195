import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { GROUP, type ImageFile, PASSWD, sharedLibraries, walk } from '../collectImageFiles.js';
import { PYTHON_RUNNER_DIR, PYTHON_SOURCE_DIR } from './paths.js';
import { HOST_PYTHON, installPythonPackages } from './pythonPackages.js';

/** What the host interpreter says about itself: the image keeps its paths, so it runs unchanged. */
interface PythonLayout {
  executable: string;
  stdlib: string;
  purelib: string;
}

async function pythonLayout(python: string): Promise<PythonLayout> {
  const { stdout: out } = await promisify(execFile)(
    python,
    [
      '-c',
      'import json, os, sys, sysconfig; p = sysconfig.get_paths(); print(json.dumps({"executable": os.path.realpath(sys.executable), "stdlib": p["stdlib"], "purelib": p["purelib"]}))',
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as PythonLayout;
}

/** Standard-library folders no sandbox needs: tests, GUIs, the build config's static library. */
const SKIPPED_STDLIB =
  /^(test|idlelib|tkinter|turtledemo|ensurepip|lib2to3|config-[^/]*|site-packages|dist-packages)(\/|$)/;
/** Package parts never imported at run time: test suites, C++ headers, console scripts with host shebangs. */
const SKIPPED_PACKAGE =
  /(^|\/)(tests|__pycache__\/[^/]*\.opt-[12]\.pyc)(\/|$)|^torch\/(include|test)\/|^torch\/bin\/(?!torch_shm_manager$)|^bin\/|\.a$/;

/** Shell tools for `!ls` lines and subprocess(shell=True): dash as /bin/sh and a few coreutils. */
const SHELL_TOOLS = [
  'ls',
  'cat',
  'echo',
  'pwd',
  'head',
  'tail',
  'wc',
  'env',
  'mkdir',
  'rm',
  'cp',
  'mv',
  'grep',
  'sed',
  'uname',
  'nproc',
  'sleep',
  'touch',
  'find',
  'du',
  'df',
];

function which(tool: string): string | null {
  for (const dir of ['/usr/bin', '/bin']) {
    const p = path.join(dir, tool);
    if (fs.existsSync(p)) return fs.realpathSync(p);
  }
  return null;
}

/** Host libraries the packages' native modules need (those they bundle are skipped), remembered per install. */
async function packageLibraries(packagesDir: string): Promise<string[]> {
  const memo = path.join(packagesDir, '.host-libraries.json');
  if (fs.existsSync(memo)) return JSON.parse(fs.readFileSync(memo, 'utf8')) as string[];
  const libs = new Set<string>();
  for (const rel of walk(packagesDir)) {
    if (!/\.so(\.|$)/.test(rel)) continue;
    for (const lib of await sharedLibraries(path.join(packagesDir, rel))) {
      if (!lib.startsWith(packagesDir)) libs.add(lib);
    }
  }
  const list = [...libs].sort();
  fs.writeFileSync(memo, JSON.stringify(list));
  return list;
}

/**
 * Every file of the Python sandbox image: the host's python3.11 at its own paths with its standard
 * library and every shared library ldd lists, the packages of requirements.txt, dash and a few
 * coreutils, and the Python runner. No base image and no network: the same approach as the
 * JavaScript image (collectImageFiles.ts).
 */
export async function collectPythonImageFiles(onProgress?: (message: string) => void): Promise<ImageFile[]> {
  const layout = await pythonLayout(HOST_PYTHON);
  const packages = await installPythonPackages(onProgress);
  const files = new Map<string, ImageFile>();
  const add = (f: ImageFile) => files.set(f.dest, f);
  const binaries = [layout.executable];

  add({ dest: layout.executable, src: layout.executable, mode: 0o755 });
  for (const rel of walk(layout.stdlib)) {
    if (SKIPPED_STDLIB.test(rel)) continue;
    const src = fs.realpathSync(path.join(layout.stdlib, rel));
    if (!fs.statSync(src).isFile()) continue;
    add({ dest: path.join(layout.stdlib, rel), src, mode: 0o644 });
    if (rel.endsWith('.so')) binaries.push(src);
  }
  for (const rel of walk(packages.dir)) {
    if (SKIPPED_PACKAGE.test(rel) || rel.startsWith('.')) continue;
    const src = path.join(packages.dir, rel);
    const st = fs.statSync(src);
    if (!st.isFile()) continue;
    // The install is pinned by the requirements' hash: its size stands in for its bytes in the tag.
    add({
      dest: path.join(layout.purelib, rel),
      src,
      digest: `${packages.hash}:${st.size}`,
      mode: st.mode & 0o755,
    });
  }
  // GNU ls fails with EINVAL on every path under gVisor (find, cat and the rest work): busybox's ls,
  // which picks its applet from argv[0], stands in for it where Debian's busybox-static is installed.
  const busybox = fs.existsSync('/bin/busybox') ? fs.realpathSync('/bin/busybox') : null;
  if (busybox) add({ dest: '/usr/bin/ls', src: busybox, mode: 0o755 });
  for (const tool of SHELL_TOOLS) {
    if (tool === 'ls' && busybox) continue;
    const src = which(tool);
    if (!src) continue;
    add({ dest: `/usr/bin/${tool}`, src, mode: 0o755 });
    binaries.push(src);
  }
  const dash = which('dash');
  if (dash) {
    add({ dest: '/bin/sh', src: dash, mode: 0o755 });
    binaries.push(dash);
  }
  for (const rel of walk(PYTHON_SOURCE_DIR)) {
    if (!rel.endsWith('.py')) continue;
    add({ dest: path.join(PYTHON_RUNNER_DIR, rel), src: path.join(PYTHON_SOURCE_DIR, rel), mode: 0o644 });
  }
  const needed = (await Promise.all(binaries.map(sharedLibraries))).flat();
  for (const lib of new Set([...needed, ...(await packageLibraries(packages.dir))])) {
    if (fs.existsSync(lib)) add({ dest: lib, src: fs.realpathSync(lib), mode: 0o755 });
  }
  add({ dest: '/etc/passwd', content: PASSWD, mode: 0o644 });
  add({ dest: '/etc/group', content: GROUP, mode: 0o644 });
  return [...files.values()].sort((a, b) => a.dest.localeCompare(b.dest));
}
