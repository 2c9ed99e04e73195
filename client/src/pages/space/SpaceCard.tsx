import type { RepoInfoView } from '@atrium/protocol';
import { Link } from 'react-router-dom';
import { spaceEmoji, spaceGradient, spaceTitle } from './spaceColors';

/** A Space in a grid, as on the Hub: its colours, emoji, title, owner, likes and sdk. */
export function SpaceCard({ repo }: { repo: RepoInfoView }) {
  const card = repo.cardData;
  return (
    <li className="space-card" data-space={repo.id}>
      <Link to={`/spaces/${repo.id}`} style={{ background: spaceGradient(card) }}>
        <span className="space-card-top">
          {repo.sdk && <span className="badge">{repo.sdk}</span>}
          <span className="space-card-likes">♥ {repo.likes}</span>
        </span>
        <span className="space-card-emoji" aria-hidden="true">
          {spaceEmoji(card)}
        </span>
        <strong className="space-card-title">{spaceTitle(card, repo.id)}</strong>
        {typeof card?.short_description === 'string' && (
          <span className="space-card-description">{card.short_description}</span>
        )}
        <span className="space-card-owner small">{repo.id}</span>
      </Link>
    </li>
  );
}
