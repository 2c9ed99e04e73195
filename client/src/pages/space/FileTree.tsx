import { type FormEvent, useState } from 'react';
import type { SpaceEditor } from './useSpaceDoc';

/** The Space's files as a list: pick one to edit, create, rename and delete (writers only). */
export function FileTree({
  paths,
  current,
  people,
  canWrite,
  onOpen,
  onCreate,
  onRename,
  onDelete,
}: {
  paths: string[];
  current: string | null;
  people: SpaceEditor[];
  canWrite: boolean;
  onOpen: (path: string) => void;
  onCreate: (path: string) => string | null;
  onRename: (from: string, to: string) => string | null;
  onDelete: (path: string) => void;
}) {
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = renaming ? onRename(renaming, name.trim()) : onCreate(name.trim());
    setError(problem);
    if (!problem) {
      setCreating(false);
      setRenaming(null);
      setName('');
    }
  };
  const form = (
    <form className="file-tree-form" onSubmit={submit}>
      <input
        name="file-name"
        aria-label={renaming ? `New name for ${renaming}` : 'New file name'}
        value={name}
        placeholder="path/to/file.ts"
        onChange={(e) => setName(e.target.value)}
        // biome-ignore lint/a11y/noAutofocus: the field appears because the person asked for it
        autoFocus
      />
      <button type="submit" className="button button-primary button-small">
        {renaming ? 'Rename' : 'Create'}
      </button>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => {
          setCreating(false);
          setRenaming(null);
          setError(null);
        }}
      >
        Cancel
      </button>
      {error && <p className="form-error small">{error}</p>}
    </form>
  );
  return (
    <nav className="file-tree" aria-label="Files">
      <div className="file-tree-head">
        <strong>Files</strong>
        {canWrite && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setCreating(true);
              setRenaming(null);
              setName('');
            }}
          >
            + New file
          </button>
        )}
      </div>
      {creating && form}
      <ul>
        {paths.map((p) => (
          <li key={p} className={p === current ? 'active' : ''}>
            <button type="button" className="file-tree-item" onClick={() => onOpen(p)} title={p}>
              {p}
              {people
                .filter((x) => x.file === p)
                .map((x) => (
                  <span
                    key={x.clientId}
                    className="file-tree-dot"
                    style={{ background: x.user.color }}
                    title={x.user.name}
                  />
                ))}
            </button>
            {canWrite && (
              <span className="file-tree-actions">
                <button
                  type="button"
                  aria-label={`Rename ${p}`}
                  title="Rename"
                  onClick={() => {
                    setRenaming(p);
                    setCreating(false);
                    setName(p);
                  }}
                >
                  ✎
                </button>
                <button
                  type="button"
                  aria-label={`Delete ${p}`}
                  title="Delete"
                  onClick={() => {
                    if (window.confirm(`Delete ${p}? Save to remove it from the repository.`)) onDelete(p);
                  }}
                >
                  ✕
                </button>
              </span>
            )}
            {renaming === p && form}
          </li>
        ))}
      </ul>
    </nav>
  );
}
