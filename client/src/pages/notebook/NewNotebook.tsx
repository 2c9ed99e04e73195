import { type KernelLanguage, NOTEBOOK_KERNELSPECS } from '@atrium/protocol';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorMessage } from '../../components';
import { notebookApi } from './notebookApi';

/** Create a notebook: blank, or imported from an .ipynb file. */
export function NewNotebook() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [language, setLanguage] = useState<KernelLanguage>('python');
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
      // A blank notebook in the chosen language; an imported one keeps the kernelspec it carries.
      notebook ??= {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: NOTEBOOK_KERNELSPECS[language],
        cells: [{ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }],
      };
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
        Language
        <select
          data-testid="new-notebook-language"
          value={language}
          onChange={(e) => setLanguage(e.target.value as KernelLanguage)}
        >
          <option value="python">Python</option>
          <option value="typescript">TypeScript</option>
        </select>
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
