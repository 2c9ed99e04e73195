import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorMessage } from '../../components';
import { notebookApi } from './notebookApi';

/** Create a notebook: blank, or imported from an .ipynb file. */
export function NewNotebook() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      let notebook: unknown;
      if (file) {
        try {
          notebook = JSON.parse(await file.text());
        } catch {
          throw new Error(`${file.name} is not JSON, so it is not a Jupyter notebook`);
        }
      }
      const created = await notebookApi.create({ name, notebook });
      navigate(created.url);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form nb-new" onSubmit={submit}>
      <h1>New notebook</h1>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        Import an .ipynb (optional)
        <input
          type="file"
          accept=".ipynb,application/json"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      {error && <ErrorMessage message={error} />}
      <button type="submit" className="button button-primary" disabled={busy}>
        Create notebook
      </button>
    </form>
  );
}
