import type { RepoInfoView } from '@atrium/protocol';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { repoPrefix, reposApi } from '../../api/repos';
import { useSession } from '../../auth';
import { ErrorMessage } from '../../components';
import { useAction } from '../../hooks/useAction';

/** "Duplicate": copies the repository (by reference, instantly) under the viewer's name. */
export function DuplicateButton({ repo }: { repo: RepoInfoView }) {
  const { user } = useSession().session;
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(repo.id.split('/')[1] ?? '');
  const { run, pending, error } = useAction(async (target: string) => {
    const made = await reposApi.duplicate(repo.type, repo.id, target);
    navigate(`${repoPrefix(repo.type)}/${made.name}`);
    setOpen(false);
  });
  if (!user) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(`${user.name}/${name.trim()}`);
  };
  return (
    <>
      <button type="button" className="button button-secondary button-small" onClick={() => setOpen(!open)}>
        Duplicate
      </button>
      {open && (
        <form className="card duplicate-form" onSubmit={submit}>
          <ErrorMessage message={error} />
          <label>
            New name under {user.name}/
            <input name="duplicate-name" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
          <button type="submit" className="button button-primary button-small" disabled={pending}>
            {pending ? 'Duplicating…' : 'Duplicate'}
          </button>
        </form>
      )}
    </>
  );
}
