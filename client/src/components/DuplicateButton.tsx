import type { RepoInfoView } from '@atrium/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { repoPrefix, reposApi, spaceApi } from '../api';
import { useSession } from '../auth';
import { useAction } from '../hooks/useAction';
import { Dialog, DialogButtons } from './Dialog';
import { ErrorMessage } from './ErrorMessage';
import { OwnerSelect } from './OwnerSelect';
import './repoWidgets.css';

/**
 * "Duplicate": copies the repository (by reference, instantly) in a modal dialog, as the Hub does:
 * owner, name, public or private and, for a Space whose secrets the viewer may manage, whether to
 * copy them (the server checks that again; without it a copy starts with no secrets).
 */
export function DuplicateButton({ repo }: { repo: RepoInfoView }) {
  const { user } = useSession().session;
  const [open, setOpen] = useState(false);
  if (!user) return null;
  return (
    <>
      <button
        type="button"
        className="button button-secondary button-small"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        Duplicate
      </button>
      {open && <DuplicateDialog repo={repo} owner={user.name} onClose={() => setOpen(false)} />}
    </>
  );
}

function DuplicateDialog({
  repo,
  owner: me,
  onClose,
}: {
  repo: RepoInfoView;
  owner: string;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const [owner, setOwner] = useState(me);
  const [name, setName] = useState(repo.id.split('/')[1] ?? '');
  const [isPrivate, setPrivate] = useState(repo.private);
  const [copySecrets, setCopySecrets] = useState(false);
  // Writers of a Space may see its secrets' names (never values), so they are the ones offered to copy them.
  const mayCopySecrets =
    repo.type === 'space' && (repo.permission === 'write' || repo.permission === 'admin');
  const [secretNames, setSecretNames] = useState<string[]>([]);
  useEffect(() => {
    if (!mayCopySecrets) return;
    spaceApi.secrets(repo.id).then(
      (all) => setSecretNames(Object.keys(all)),
      () => setSecretNames([]),
    );
  }, [repo.id, mayCopySecrets]);
  const { run, pending, error } = useAction(async () => {
    const made = await reposApi.duplicate(repo.type, repo.id, `${owner}/${name.trim()}`, {
      private: isPrivate,
      ...(copySecrets && secretNames.length > 0 ? { copySecrets: true } : {}),
    });
    onClose();
    navigate(`${repoPrefix(repo.type)}/${made.name}`);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  const what = repo.type === 'space' ? 'Space' : repo.type;
  return (
    <Dialog open title={`Duplicate this ${what}`} onClose={onClose}>
      <form className="dialog-form duplicate-form" onSubmit={submit}>
        <p className="muted small">
          A copy of {repo.id} with its whole history, under the owner you choose. It is yours to change.
        </p>
        <ErrorMessage message={error} />
        <div className="duplicate-name-row">
          <OwnerSelect value={owner} onChange={setOwner} />
          <label>
            Name
            <input name="duplicate-name" value={name} onChange={(e) => setName(e.target.value)} required />
          </label>
        </div>
        <fieldset className="duplicate-visibility">
          <legend>Visibility</legend>
          <label className="radio">
            <input
              type="radio"
              name="duplicate-visibility"
              checked={!isPrivate}
              onChange={() => setPrivate(false)}
            />
            Public: anyone can see it
          </label>
          <label className="radio">
            <input
              type="radio"
              name="duplicate-visibility"
              checked={isPrivate}
              onChange={() => setPrivate(true)}
            />
            Private: only you (or the organization) and collaborators
          </label>
        </fieldset>
        {repo.type === 'space' && (
          <fieldset className="duplicate-secrets">
            <legend>Secrets</legend>
            {mayCopySecrets && secretNames.length > 0 ? (
              <label className="radio">
                <input
                  type="checkbox"
                  name="duplicate-copy-secrets"
                  checked={copySecrets}
                  onChange={(e) => setCopySecrets(e.target.checked)}
                />
                Copy its secrets ({secretNames.join(', ')}) into the copy
              </label>
            ) : (
              <p className="muted small">
                {mayCopySecrets
                  ? 'This Space has no secrets.'
                  : 'Its secrets stay with it: add your own in the copy’s Settings.'}{' '}
                Variables are copied.
              </p>
            )}
          </fieldset>
        )}
        <DialogButtons
          confirmLabel={pending ? 'Duplicating…' : `Duplicate ${what}`}
          pending={pending}
          onClose={onClose}
        />
      </form>
    </Dialog>
  );
}
