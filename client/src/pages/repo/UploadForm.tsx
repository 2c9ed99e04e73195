import type { RepoInfoView } from '@atrium/protocol';
import { type FormEvent, useState } from 'react';
import { reposApi } from '../../api';
import { ErrorMessage } from '../../components';
import { useAction } from '../../hooks/useAction';

/** Uploads files from the browser into the current folder as one commit. */
export function UploadForm({
  repo,
  folder,
  onDone,
}: {
  repo: RepoInfoView;
  folder: string;
  onDone: () => void;
}) {
  const [files, setFiles] = useState<File[]>([]);
  const [summary, setSummary] = useState('');
  const [done, setDone] = useState<string | null>(null);
  // Remounting the file input is the only way to clear what it shows.
  const [inputKey, setInputKey] = useState(0);
  const { run, pending, error } = useAction(async () => {
    const payload = await Promise.all(
      files.map(async (f) => ({
        path: folder ? `${folder}/${f.name}` : f.name,
        content: await f.arrayBuffer(),
      })),
    );
    const result = await reposApi.commit(
      repo.type,
      repo.id,
      summary || `Upload ${files.map((f) => f.name).join(', ')}`,
      payload,
    );
    setDone(`Committed ${files.length} file(s) as ${result.commitOid?.slice(0, 7)}`);
    setFiles([]);
    setInputKey((k) => k + 1);
    setSummary('');
    onDone();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (files.length) void run();
  };
  return (
    <form className="card upload-form" onSubmit={submit}>
      <h3>Upload files{folder ? ` to ${folder}/` : ''}</h3>
      <ErrorMessage message={error} />
      {done && (
        <p className="muted small" role="status">
          {done}
        </p>
      )}
      <input
        key={inputKey}
        type="file"
        multiple
        name="files"
        aria-label="Files to upload"
        onChange={(e) => setFiles([...(e.target.files ?? [])])}
      />
      <input
        name="summary"
        aria-label="Commit message"
        placeholder="Commit message"
        value={summary}
        onChange={(e) => setSummary(e.target.value)}
      />
      <button
        type="submit"
        className="button button-primary button-small"
        disabled={pending || files.length === 0}
      >
        {pending ? 'Committing…' : 'Commit upload'}
      </button>
    </form>
  );
}
