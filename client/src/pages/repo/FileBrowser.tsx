import type { RepoInfoView } from '@atrium/protocol';
import prettyBytes from 'pretty-bytes';
import { Link } from 'react-router-dom';
import { repoPrefix, reposApi } from '../../api';
import { useResource } from '../../hooks/useResource';
import { Breadcrumbs } from './Breadcrumbs';
import { UploadForm } from './UploadForm';

/** A small line icon for a folder or a file (no emoji: machines without an emoji font show boxes). */
function EntryIcon({ folder }: { folder: boolean }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      aria-hidden="true"
      className="entry-icon"
    >
      {folder ? <path d="M3 6.5h6l2 2h10v10.5H3z" /> : <path d="M6 3h8l4 4v14H6zM14 3v4h4" />}
    </svg>
  );
}

/** One folder of the repository at a revision, with each entry's last commit; writers can upload here. */
export function FileBrowser({
  repo,
  rev,
  path,
  onChange,
}: {
  repo: RepoInfoView;
  rev: string;
  path: string;
  onChange: () => void;
}) {
  const { resource, reload } = useResource(`${repo.id}@${rev}:${path}:${repo.sha}`, () =>
    reposApi.tree(repo.type, repo.id, rev, path),
  );
  const base = `${repoPrefix(repo.type)}/${repo.id}`;
  return (
    <div className="file-browser">
      <Breadcrumbs repo={repo} rev={rev} path={path} />
      {resource.state === 'loading' && <p className="muted">Loading files…</p>}
      {resource.state === 'failed' && <p className="muted">{resource.error}</p>}
      {resource.state === 'ready' && (
        <table className="table file-table">
          <tbody>
            {[...resource.data.entries]
              .sort((a, b) =>
                a.type === b.type ? a.path.localeCompare(b.path) : a.type === 'directory' ? -1 : 1,
              )
              .map((e) => {
                const name = e.path.slice(path ? path.length + 1 : 0);
                return (
                  <tr key={e.path}>
                    <td>
                      <Link
                        to={`${base}/${e.type === 'directory' ? 'tree' : 'blob'}/${encodeURIComponent(rev)}/${e.path}`}
                        className="file-link"
                      >
                        <EntryIcon folder={e.type === 'directory'} /> {name}
                      </Link>
                      {e.lfs && <span className="badge">LFS</span>}
                    </td>
                    <td className="muted small">{e.lastCommit?.title ?? ''}</td>
                    <td className="muted small">{e.type === 'file' ? prettyBytes(e.size) : ''}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
      {resource.state === 'ready' && resource.data.more && (
        <p className="muted small">Showing the first 1,000 entries of this folder.</p>
      )}
      {(repo.permission === 'write' || repo.permission === 'admin') && rev === 'main' && (
        <UploadForm
          repo={repo}
          folder={path}
          onDone={() => {
            reload();
            onChange();
          }}
        />
      )}
    </div>
  );
}
