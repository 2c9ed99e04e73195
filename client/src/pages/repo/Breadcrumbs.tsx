import type { RepoInfoView } from '@atrium/protocol';
import { Link } from 'react-router-dom';
import { repoPrefix } from '../../api';

/** `name / folder / file`, each part a link to its folder. */
export function Breadcrumbs({ repo, rev, path }: { repo: RepoInfoView; rev: string; path: string }) {
  const base = `${repoPrefix(repo.type)}/${repo.id}/tree/${encodeURIComponent(rev)}`;
  const parts = path ? path.split('/') : [];
  return (
    <nav className="breadcrumbs" aria-label="Path">
      <Link to={base}>{repo.id.split('/')[1]}</Link>
      {parts.map((p, i) => (
        <span key={parts.slice(0, i + 1).join('/')}>
          {' / '}
          {i === parts.length - 1 ? (
            <strong>{p}</strong>
          ) : (
            <Link to={`${base}/${parts.slice(0, i + 1).join('/')}`}>{p}</Link>
          )}
        </span>
      ))}
      <span className="muted small"> @ {rev.length === 40 ? rev.slice(0, 7) : rev}</span>
    </nav>
  );
}
