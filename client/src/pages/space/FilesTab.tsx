import type { RepoInfoView } from '@atrium/protocol';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import * as Y from 'yjs';
import { reposApi, spaceApi } from '../../api';
import { useSession } from '../../auth';
import { ErrorMessage } from '../../components';
import { useAction } from '../../hooks/useAction';
import { FileTree } from './FileTree';
import { pathProblem } from './filePath';
import { MonacoEditor } from './MonacoEditor';
import { RemoteCursorStyles } from './RemoteCursorStyles';
import { useSpaceDoc } from './useSpaceDoc';

/**
 * The Files tab: every file of the Space, co-edited live in Monaco (y-monaco on the Space's Y.Doc),
 * with a file tree and Save, which commits the live files; the app restarts on that commit.
 */
export function FilesTab({ repo, onSaved }: { repo: RepoInfoView; onSaved: () => void }) {
  const live = useSpaceDoc(repo.id);
  const { user } = useSession().session;
  const canWrite =
    Boolean(user) && (repo.permission === 'write' || repo.permission === 'admin') && !live?.readOnly;
  const [current, setCurrent] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const {
    run: save,
    pending,
    error,
  } = useAction(async () => {
    if (!live) return;
    const removed = [...live.removed.keys()].filter((p) => !live.files.has(p));
    const result = await spaceApi.save(repo.id);
    if (removed.length > 0) {
      // Only what the repository holds can be deleted (a file created and deleted before a Save never was).
      const tree = await spaceApi.files(repo.id);
      const held = new Set(tree.filter((e) => e.type === 'file').map((e) => e.path));
      const gone = removed.filter((p) => held.has(p));
      if (gone.length > 0) await reposApi.removeFiles('space', repo.id, gone);
    }
    live.doc.transact(() => live.removed.clear());
    setSaved(`Saved ${result.commitOid.slice(0, 7)}`);
    onSaved();
  });
  const paths = live?.paths ?? [];
  // Open the app file (or the first file) once the document has arrived.
  useEffect(() => {
    if (current && paths.includes(current)) return;
    const app = typeof repo.cardData?.app_file === 'string' ? repo.cardData.app_file : 'app.ts';
    setCurrent(paths.includes(app) ? app : (paths[0] ?? null));
  }, [paths, current, repo.cardData]);

  if (!live) return <p className="muted">Connecting…</p>;
  if (live.closedReason)
    return (
      <p className="form-error">
        {live.closedReason} {live.movedTo && <Link to={`/${live.movedTo}`}>Open it under its new name</Link>}
      </p>
    );
  if (!live.synced) return <p className="muted">Loading the files…</p>;
  const { doc, files, removed } = live;
  const text = current ? files.get(current) : undefined;
  return (
    <div className="space-files">
      <RemoteCursorStyles people={live.people} />
      <FileTree
        paths={paths}
        current={current}
        people={live.people}
        canWrite={canWrite}
        onOpen={setCurrent}
        onCreate={(path) => {
          const problem = pathProblem(path, files.has(path));
          if (problem) return problem;
          doc.transact(() => {
            files.set(path, new Y.Text(''));
            removed.delete(path);
          });
          setCurrent(path);
          return null;
        }}
        onRename={(from, to) => {
          if (from === to) return null;
          const problem = pathProblem(to, files.has(to));
          if (problem) return problem;
          doc.transact(() => {
            files.set(to, new Y.Text(files.get(from)?.toString() ?? ''));
            files.delete(from);
            removed.set(from, true);
            removed.delete(to);
          });
          setCurrent(to);
          return null;
        }}
        onDelete={(path) => {
          doc.transact(() => {
            files.delete(path);
            removed.set(path, true);
          });
        }}
      />
      <div className="space-editor">
        <div className="space-editor-bar">
          <span className="space-editor-path">{current ?? 'No file'}</span>
          <span className="space-editor-people" title="Editing now">
            {live.people.map((p) => (
              <span key={p.clientId} className="presence-chip" style={{ borderColor: p.user.color }}>
                <span className="presence-dot" style={{ background: p.user.color }} />
                {p.user.name}
                {p.file ? <span className="muted"> · {p.file}</span> : null}
              </span>
            ))}
          </span>
          {saved && <span className="muted small space-saved">{saved}</span>}
          {canWrite && (
            <button
              type="button"
              className="button button-primary button-small"
              onClick={() => void save()}
              disabled={pending}
            >
              {pending ? 'Saving…' : 'Save'}
            </button>
          )}
        </div>
        <ErrorMessage message={error} />
        {!canWrite && (
          <p className="muted small">Read only: you may look, and duplicate the Space to change it.</p>
        )}
        {current && text ? (
          <MonacoEditor path={current} text={text} provider={live.provider} readOnly={!canWrite} />
        ) : (
          <p className="muted">This Space has no files yet. Create one.</p>
        )}
      </div>
    </div>
  );
}
