import type {
  CommitResultView,
  CommitView,
  RepoInfoView,
  RepoRole,
  RepoType,
  TreeEntryView,
} from '@atrium/protocol';
import { ApiError } from './ApiError';
import { api, send } from './request';

const seg = encodeURIComponent;

/** `/spaces`, `/notebooks`, or nothing for models: where a repository's pages and files live. */
export const repoPrefix = (type: RepoType) => (type === 'model' ? '' : `/${type}s`);
/** `/models/…` for the API. */
const apiBase = (type: RepoType, id: string) => `/api/${type}s/${id}`;
const encodePath = (path: string) => path.split('/').map(seg).join('/');

/** URL of a file's bytes at a revision (the Hub's `/resolve/`). */
export const fileUrl = (type: RepoType, id: string, rev: string, path: string) =>
  `${repoPrefix(type)}/${id}/resolve/${seg(rev)}/${encodePath(path)}`;

/** The three kinds of repository, in the order pages list them, with their listing page. */
export const REPO_KINDS: { type: RepoType; label: string; path: string }[] = [
  { type: 'space', label: 'Spaces', path: '/spaces' },
  { type: 'model', label: 'Models', path: '/models' },
  { type: 'notebook', label: 'Notebooks', path: '/notebooks' },
];

/** Every Hub call the repository pages make. */
export const reposApi = {
  info: (type: RepoType, id: string, rev?: string) =>
    api<RepoInfoView>('GET', rev ? `${apiBase(type, id)}/revision/${seg(rev)}` : apiBase(type, id)),
  list: (type: RepoType, params: Record<string, string>) =>
    api<RepoInfoView[]>('GET', `/api/${type}s?${new URLSearchParams(params)}`),
  /** Searches every kind at once: `limit` of each, most liked first. */
  async search(search: string, limit: number) {
    const query = { search, sort: 'likes', limit: String(limit) };
    const lists = await Promise.all(REPO_KINDS.map((k) => reposApi.list(k.type, query)));
    return REPO_KINDS.map((k, i) => ({ ...k, items: lists[i] ?? [] }));
  },
  /**
   * One folder at a revision: up to 1,000 entries (`more` when the folder holds more), each with its
   * last commit when the folder is small enough for that to be cheap.
   */
  async tree(type: RepoType, id: string, rev: string, path: string) {
    const url = `${apiBase(type, id)}/tree/${seg(rev)}${path ? `/${encodePath(path)}` : ''}`;
    const res = await send('GET', `${url}?limit=1000`, { headers: { accept: 'application/json' } });
    const entries = (await res.json()) as TreeEntryView[];
    if (entries.length <= 100) {
      const expanded = await api<TreeEntryView[]>('GET', `${url}?expand=true&limit=100`);
      const last = new Map(expanded.map((e) => [e.path, e.lastCommit]));
      for (const e of entries) e.lastCommit = last.get(e.path);
    }
    return { entries, more: res.headers.has('link') };
  },
  commits: (type: RepoType, id: string, rev: string) =>
    api<CommitView[]>('GET', `${apiBase(type, id)}/commits/${seg(rev)}?limit=100`),
  forks: (type: RepoType, id: string) => api<RepoInfoView[]>('GET', `${apiBase(type, id)}/forks`),
  likers: (type: RepoType, id: string) =>
    api<{ likers: { user: string }[]; liked: boolean; likes: number }>('GET', `${apiBase(type, id)}/likers`),
  like: (type: RepoType, id: string, liked: boolean) =>
    api<{ liked: boolean; likes: number }>(liked ? 'POST' : 'DELETE', `${apiBase(type, id)}/like`),
  collaborators: (type: RepoType, id: string) =>
    api<{ user: string; role: RepoRole }[]>('GET', `${apiBase(type, id)}/collaborators`),
  setCollaborator: (type: RepoType, id: string, user: string, role: RepoRole) =>
    api<{ user: string; role: RepoRole }>('PUT', `${apiBase(type, id)}/collaborators/${seg(user)}`, { role }),
  removeCollaborator: (type: RepoType, id: string, user: string) =>
    api<void>('DELETE', `${apiBase(type, id)}/collaborators/${seg(user)}`),
  setPrivate: (type: RepoType, id: string, isPrivate: boolean) =>
    api<{ private: boolean }>('PUT', `${apiBase(type, id)}/settings`, { private: isPrivate }),
  remove: (type: RepoType, id: string) => {
    const [organization, name] = id.split('/');
    return api<void>('DELETE', '/api/repos/delete', { type, name, organization });
  },
  create: (body: { type: RepoType; name: string; organization?: string; private: boolean; sdk?: string }) =>
    api<{ url: string; name: string }>('POST', '/api/repos/create', body),
  /** `copySecrets` (Spaces, writers of the source): the copy gets the source's secrets too. */
  duplicate: (
    type: RepoType,
    id: string,
    repository: string,
    options: { private?: boolean; copySecrets?: boolean } = {},
  ) =>
    api<{ url: string; name: string }>('POST', `${apiBase(type, id)}/duplicate`, { repository, ...options }),
  /**
   * Commits files from the browser in the Hub's NDJSON form: small files inline (base64), big ones
   * first through the LFS batch endpoint (hashed with WebCrypto, then PUT to the signed link).
   */
  async commit(type: RepoType, id: string, summary: string, files: { path: string; content: ArrayBuffer }[]) {
    const lines = [JSON.stringify({ key: 'header', value: { summary } })];
    for (const f of files) {
      if (f.content.byteLength > LFS_ABOVE && globalThis.crypto?.subtle) {
        const oid = await uploadLfs(type, id, f.content);
        lines.push(
          JSON.stringify({
            key: 'lfsFile',
            value: { path: f.path, algo: 'sha256', oid, size: f.content.byteLength },
          }),
        );
      } else {
        lines.push(
          JSON.stringify({
            key: 'file',
            value: { path: f.path, content: toBase64(f.content), encoding: 'base64' },
          }),
        );
      }
    }
    return commitLines(type, id, lines);
  },
  /** Deletes files in one commit. */
  removeFiles: (type: RepoType, id: string, paths: string[]) =>
    commitLines(type, id, [
      JSON.stringify({ key: 'header', value: { summary: `Delete ${paths.join(', ')}` } }),
      ...paths.map((path) => JSON.stringify({ key: 'deletedFile', value: { path } })),
    ]),
  /** A file's text at a revision, or null when it is not there. */
  async fileText(type: RepoType, id: string, rev: string, path: string): Promise<string | null> {
    try {
      return await (await send('GET', fileUrl(type, id, rev, path))).text();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  /** A file's size at a revision (HEAD), without its bytes. */
  fileSize: async (url: string) => Number((await send('HEAD', url)).headers.get('content-length') ?? 0),
  fileBytes: async (url: string) => new Uint8Array(await (await send('GET', url)).arrayBuffer()),
};

/** The Hub's NDJSON commit form (a header line, then one line per file change) to main. */
async function commitLines(type: RepoType, id: string, lines: string[]) {
  const res = await send('POST', `${apiBase(type, id)}/commit/main`, {
    headers: { 'content-type': 'application/x-ndjson' },
    body: lines.join('\n'),
  });
  return (await res.json()) as CommitResultView;
}

/** Files above this go through LFS, as the Hub's own web upload does. */
const LFS_ABOVE = 10 * 1024 * 1024;

/** Sends one big file through the Git LFS basic transfer; returns its sha256. */
async function uploadLfs(type: RepoType, id: string, content: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', content));
  const oid = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  const batch = await send('POST', `${repoPrefix(type)}/${id}.git/info/lfs/objects/batch`, {
    headers: { 'content-type': 'application/vnd.git-lfs+json', accept: 'application/vnd.git-lfs+json' },
    body: JSON.stringify({
      operation: 'upload',
      transfers: ['basic'],
      objects: [{ oid, size: content.byteLength }],
    }),
  });
  const answer = (await batch.json()) as {
    objects: { actions?: { upload?: { href: string } } }[];
  };
  const href = answer.objects[0]?.actions?.upload?.href;
  // No upload action: the server already holds these bytes.
  if (href) await send('PUT', href, { body: content });
  return oid;
}

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
