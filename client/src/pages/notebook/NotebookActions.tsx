import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { errorMessage, notebookApi, reposApi } from '../../api';
import { ConfirmDialog, LikeButton, NameDialog, SharePopover } from '../../components';
import { useResource } from '../../hooks/useResource';

type Asking = 'fork' | 'rename' | 'delete' | null;

/**
 * The notebook as a repository, beside its title: like, share (link, embed), settings (visibility,
 * collaborators) for admins, fork, and for writers rename and delete — each asked in a dialog.
 */
export function NotebookActions({
  id,
  me,
  canWrite,
  onError,
}: {
  id: string;
  me: string | null;
  canWrite: boolean;
  onError: (message: string) => void;
}) {
  const navigate = useNavigate();
  const { resource } = useResource(`${id}:info`, () => reposApi.info('notebook', id));
  const [asking, setAsking] = useState<Asking>(null);
  const [owner = '', name = ''] = id.split('/');
  const info = resource.state === 'ready' ? resource.data : null;
  const close = () => setAsking(null);
  const origin = window.location.origin;

  const rename = async (to: string) => {
    const target = `${owner}/${to}`;
    // The live document is named after the repository: commit it first so nothing typed is lost.
    await notebookApi.save(id, `Save before renaming to ${to}`);
    await notebookApi.rename(id, target);
    close();
    navigate(`/notebooks/${target}`);
  };
  const fork = async (to: string) => {
    const res = await reposApi.duplicate('notebook', id, `${me}/${to}`);
    close();
    const path = new URL(res.url, origin).pathname;
    navigate(path.startsWith('/notebooks/') ? path : `/notebooks/${me}/${to}`);
  };
  const remove = () =>
    reposApi.remove('notebook', id).then(
      () => navigate('/'),
      (err: unknown) => onError(errorMessage(err)),
    );

  return (
    <div className="nb-actions">
      {info?.private && <span className="badge">Private</span>}
      {info && <LikeButton repo={info} />}
      <SharePopover
        link={`${origin}/notebooks/${id}`}
        embed={
          info?.private
            ? undefined
            : `<iframe src="${origin}/embed/notebooks/${id}" width="100%" height="600" frameborder="0"></iframe>`
        }
      />
      <button
        type="button"
        className="button button-small button-secondary"
        onClick={() => (me ? setAsking('fork') : onError('Sign in to fork this notebook'))}
      >
        Fork
      </button>
      {info?.permission === 'admin' && (
        <Link className="button button-small button-secondary" to={`/notebooks/${id}/settings`}>
          Settings
        </Link>
      )}
      {canWrite && (
        <>
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => setAsking('rename')}
          >
            Rename
          </button>
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => setAsking('delete')}
          >
            Delete notebook
          </button>
        </>
      )}
      <NameDialog
        open={asking === 'fork'}
        title={`Fork ${id}`}
        label={`Name of your copy, under ${me ?? 'you'}/`}
        initial={`${name}-fork`}
        confirmLabel="Fork"
        onSubmit={fork}
        onClose={close}
      />
      <NameDialog
        open={asking === 'rename'}
        title={`Rename ${id}`}
        label={`New name, under ${owner}/`}
        initial={name}
        confirmLabel="Rename"
        onSubmit={rename}
        onClose={close}
      />
      <ConfirmDialog
        open={asking === 'delete'}
        title={`Delete ${id}?`}
        confirmLabel="Delete notebook"
        danger
        onConfirm={() => void remove()}
        onClose={close}
      >
        <p>The notebook, its history and its outputs are deleted. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}
