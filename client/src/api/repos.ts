import type { CommitView, RepoInfoView, RepoType, TreeEntryView } from '@atrium/protocol';
import { ApiError } from './ApiError';
import { api, csrfToken } from './request';

const seg = encodeURIComponent;

/** `/spaces`, `/notebooks`, or nothing for models: where a repository's pages and files live. */
export const repoPrefix = (type: RepoType) => (type === 'model' ? '' : `/${type}s`);
/** `/models/…` for the API. */
const apiBase = (type: RepoType, id: string) => `/api/${type}s/${id}`;
const encodePath = (path: string) => path.split('/').map(seg).join('/');

/** URL of a file's bytes at a revision (the Hub's `/resolve/`). */
export const fileUrl = (type: RepoType, id: string, rev: string, path: string) =>
  `${repoPrefix(type)}/${id}/resolve/${seg(rev)}/${encodePath(path)}`;

/** Every Hub call the repository pages make. */
export const reposApi = {
  info: (type: RepoType, id: string, rev?: string) =>
    api<RepoInfoView>('GET', rev ? `${apiBase(type, id)}/revision/${seg(rev)}` : apiBase(type, id)),
  list: (type: RepoType, params: Record<string, string>) =>
    api<RepoInfoView[]>('GET', `/api/${type}s?${new URLSearchParams(params)}`),
  tree: (type: RepoType, id: string, rev: string, path: string) =>
    api<TreeEntryView[]>(
      'GET',
      `${apiBase(type, id)}/tree/${seg(rev)}${path ? `/${encodePath(path)}` : ''}?expand=true&limit=200`,
    ),
  commits: (type: RepoType, id: string, rev: string) =>
    api<CommitView[]>('GET', `${apiBase(type, id)}/commits/${seg(rev)}?limit=100`),
  forks: (type: RepoType, id: string) => api<RepoInfoView[]>('GET', `${apiBase(type, id)}/forks`),
  likers: (type: RepoType, id: string) =>
    api<{ likers: { user: string }[]; liked: boolean; likes: number }>('GET', `${apiBase(type, id)}/likers`),
  like: (type: RepoType, id: string, liked: boolean) =>
    api<{ liked: boolean; likes: number }>(liked ? 'POST' : 'DELETE', `${apiBase(type, id)}/like`),
  create: (body: { type: RepoType; name: string; organization?: string; private: boolean; sdk?: string }) =>
    api<{ url: string; name: string }>('POST', '/api/repos/create', body),
  duplicate: (type: RepoType, id: string, repository: string) =>
    api<{ url: string; name: string }>('POST', `${apiBase(type, id)}/duplicate`, { repository }),
  /** Commits files from the browser in the Hub's NDJSON form (contents inline, base64). */
  async commit(type: RepoType, id: string, summary: string, files: { path: string; content: ArrayBuffer }[]) {
    const lines = [JSON.stringify({ key: 'header', value: { summary } })];
    for (const f of files) {
      lines.push(
        JSON.stringify({
          key: 'file',
          value: { path: f.path, content: toBase64(f.content), encoding: 'base64' },
        }),
      );
    }
    const res = await fetch(`${apiBase(type, id)}/commit/main`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-ndjson', 'x-csrf-token': csrfToken() ?? '' },
      body: lines.join('\n'),
    });
    const body = (await res.json()) as { commitOid?: string; error?: string; id?: string };
    if (!res.ok) throw new ApiError(body.error ?? `Upload failed (${res.status})`, res.status, body.id);
    return body;
  },
};

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
