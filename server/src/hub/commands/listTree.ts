import { createHash } from 'node:crypto';
import type { TreeEntryView } from '@atrium/protocol';
import type { Services } from '../../services.js';
import { entryNotFound } from '../hubErrors.js';
import type { FileEntry } from '../RepoStore.js';
import { fileEntryView } from '../views.js';

// Finding a path's last commit walks history; bound it so one request cannot scan forever.
const LAST_COMMIT_DEPTH = 200;
const FOLDER_LAST_COMMIT_DEPTH = 30;

/** A folder's oid: a hash of what it holds, so it changes exactly when its contents do. */
const folderOid = (children: FileEntry[]) => {
  const h = createHash('sha1');
  for (const c of children) h.update(`${c.path}\0${c.gitOid}\n`);
  return h.digest('hex');
};

/** The entries of a folder at a commit: every file below it when recursive, else its direct children. */
export async function treeEntries(
  services: Services,
  commit: string,
  folder: string,
  recursive: boolean,
): Promise<TreeEntryView[]> {
  const files = await services.hub.repos.entries(commit, folder);
  if (folder !== '' && files.length === 0) throw entryNotFound(folder);
  const base = folder === '' ? 0 : folder.length + 1;
  const out: TreeEntryView[] = [];
  const folders = new Map<string, FileEntry[]>();
  for (const f of files) {
    const rest = f.path.slice(base);
    const parts = rest.split('/');
    // Recursive listings name every folder on the way down, as the Hub does.
    const depth = recursive ? parts.length - 1 : Math.min(1, parts.length - 1);
    for (let i = 1; i <= depth; i++) {
      const dir = f.path.slice(0, base) + parts.slice(0, i).join('/');
      const list = folders.get(dir);
      if (list) list.push(f);
      else {
        folders.set(dir, [f]);
        out.push({ type: 'directory', oid: '', size: 0, path: dir });
      }
    }
    if (recursive || parts.length === 1) out.push(fileEntryView(f));
  }
  for (const e of out) if (e.type === 'directory') e.oid = folderOid(folders.get(e.path) ?? []);
  return out;
}

/** Adds each entry's last commit (`expand=true`). */
export async function withLastCommits(
  services: Services,
  commit: string,
  entries: TreeEntryView[],
): Promise<TreeEntryView[]> {
  for (const e of entries) {
    const depth = e.type === 'directory' ? FOLDER_LAST_COMMIT_DEPTH : LAST_COMMIT_DEPTH;
    const last = await services.hub.repos.lastCommitOf(commit, e.path, depth);
    if (last) e.lastCommit = { id: last.oid, title: last.title, date: last.createdAt };
  }
  return entries;
}

/** `POST …/paths-info/{rev}`: what each of these paths is at a commit; missing paths are left out. */
export async function pathsInfo(
  services: Services,
  commit: string,
  paths: string[],
  expand: boolean,
): Promise<TreeEntryView[]> {
  const out: TreeEntryView[] = [];
  for (const p of paths) {
    const file = await services.hub.repos.entry(commit, p);
    if (file) {
      out.push(fileEntryView(file));
      continue;
    }
    const inside = await services.hub.repos.entries(commit, p);
    if (inside.length > 0) out.push({ type: 'directory', oid: folderOid(inside), size: 0, path: p });
  }
  return expand ? withLastCommits(services, commit, out) : out;
}
