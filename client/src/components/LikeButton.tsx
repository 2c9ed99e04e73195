import type { RepoInfoView } from '@atrium/protocol';
import { useEffect, useState } from 'react';
import { reposApi } from '../api';
import { useSession } from '../auth';
import './repoWidgets.css';

/** ♥ with the count; toggles the viewer's like (signed-in users only). */
export function LikeButton({ repo }: { repo: RepoInfoView }) {
  const { user } = useSession().session;
  const [state, setState] = useState({ liked: false, likes: repo.likes });
  useEffect(() => {
    reposApi.likers(repo.type, repo.id).then(
      (r) => setState({ liked: r.liked, likes: r.likes }),
      () => undefined,
    );
  }, [repo.type, repo.id]);
  const toggle = async () => setState(await reposApi.like(repo.type, repo.id, !state.liked));
  return (
    <button
      type="button"
      className={`button button-secondary button-small like-button${state.liked ? ' liked' : ''}`}
      onClick={toggle}
      disabled={!user}
      aria-pressed={state.liked}
      title={user ? (state.liked ? 'Unlike' : 'Like') : 'Sign in to like'}
    >
      {state.liked ? '♥' : '♡'} <span className="like-count">{state.likes}</span>
    </button>
  );
}
