import type { RepoInfoView, RepoRole } from '@atrium/protocol';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { reposApi } from '../../api';
import { ErrorMessage } from '../../components';
import { useAction } from '../../hooks/useAction';
import { useResource } from '../../hooks/useResource';

/** For repository admins: visibility, collaborators and deletion. */
export function RepoSettings({ repo, onChange }: { repo: RepoInfoView; onChange: () => void }) {
  const navigate = useNavigate();
  const { resource, reload } = useResource(`${repo.id}:collaborators`, () =>
    reposApi.collaborators(repo.type, repo.id),
  );
  const [user, setUser] = useState('');
  const [role, setRole] = useState<RepoRole>('write');
  const [confirm, setConfirm] = useState('');
  const visibility = useAction(async () => {
    await reposApi.setPrivate(repo.type, repo.id, !repo.private);
    onChange();
  });
  const add = useAction(async () => {
    await reposApi.setCollaborator(repo.type, repo.id, user.trim(), role);
    setUser('');
    reload();
  });
  const remove = useAction(async (name: string) => {
    await reposApi.removeCollaborator(repo.type, repo.id, name);
    reload();
  });
  const destroy = useAction(async () => {
    await reposApi.remove(repo.type, repo.id);
    navigate(`/${repo.author}`);
  });
  if (repo.permission !== 'admin')
    return <p className="muted">Only admins of {repo.id} can change its settings.</p>;
  return (
    <div className="repo-settings">
      <section className="card">
        <h3>Visibility</h3>
        <ErrorMessage message={visibility.error} />
        <p className="muted">
          This {repo.type} is <strong>{repo.private ? 'private' : 'public'}</strong>
          {repo.private
            ? ': only you, its organization and collaborators can see it.'
            : ': everyone can see it.'}
        </p>
        <button
          type="button"
          className="button button-secondary"
          disabled={visibility.pending}
          onClick={() => void visibility.run()}
        >
          {repo.private ? 'Make public' : 'Make private'}
        </button>
      </section>
      <section className="card">
        <h3>Collaborators</h3>
        <ErrorMessage message={add.error ?? remove.error} />
        {resource.state === 'ready' &&
          (resource.data.length === 0 ? (
            <p className="muted">No collaborators yet.</p>
          ) : (
            <ul className="plain-list collaborator-list">
              {resource.data.map((c) => (
                <li key={c.user}>
                  <span>
                    {c.user} <span className="badge">{c.role}</span>
                  </span>
                  <button
                    type="button"
                    className="button-link danger"
                    onClick={() => void remove.run(c.user)}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          ))}
        <form
          className="row"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void add.run();
          }}
        >
          <input
            aria-label="Collaborator username"
            placeholder="username"
            required
            value={user}
            onChange={(e) => setUser(e.target.value)}
          />
          <select
            aria-label="Collaborator role"
            value={role}
            onChange={(e) => setRole(e.target.value as RepoRole)}
          >
            <option value="read">read</option>
            <option value="write">write</option>
            <option value="admin">admin</option>
          </select>
          <button type="submit" className="button button-primary" disabled={add.pending}>
            Add collaborator
          </button>
        </form>
      </section>
      <section className="card danger-zone">
        <h3>Delete this {repo.type}</h3>
        <ErrorMessage message={destroy.error} />
        <p className="muted">Type {repo.id} to confirm. Its history goes too; duplicates keep their own.</p>
        <div className="row">
          <input aria-label="Confirm name" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          <button
            type="button"
            className="button button-danger"
            disabled={confirm !== repo.id || destroy.pending}
            onClick={() => void destroy.run()}
          >
            Delete
          </button>
        </div>
      </section>
    </div>
  );
}
