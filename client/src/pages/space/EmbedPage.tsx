import { useParams } from 'react-router-dom';
import { reposApi } from '../../api';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';
import { AppView } from './AppView';
import { spaceEmoji, spaceTitle } from './spaceColors';
import { useRuntime } from './useRuntime';
import './space.css';

/** `/embed/spaces/:owner/:name`: the app alone, for an iframe on another page, with a link back. */
export function EmbedPage() {
  const { owner, name } = useParams();
  const id = `${owner}/${name}`;
  usePageTitle(id);
  const { resource } = useResource(`space:${id}`, () => reposApi.info('space', id));
  const { runtime, error } = useRuntime(id);
  if (resource.state === 'loading') return <p className="muted">Loading…</p>;
  if (resource.state === 'failed') return <p className="demo-error">{resource.error}</p>;
  const repo = resource.data;
  return (
    <div className="space-embed">
      <AppView repo={repo} runtime={runtime} error={error} />
      <footer className="space-embed-footer small">
        <a href={`/spaces/${id}`} target="_blank" rel="noreferrer">
          {spaceEmoji(repo.cardData)} {spaceTitle(repo.cardData, id)} on Atrium
        </a>
      </footer>
    </div>
  );
}
