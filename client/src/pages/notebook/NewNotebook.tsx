import { type KernelLanguage, LANGUAGE_LABELS, NOTEBOOK_KERNELSPECS } from '@atrium/protocol';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { listTemplates, notebookApi } from '../../api';
import { useSession } from '../../auth';
import { ErrorMessage, OwnerSelect } from '../../components';
import { useAction } from '../../hooks/useAction';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';

/** The blank choices, one per kernel language; the templates folder's own blank is the TypeScript one. */
const BLANKS: KernelLanguage[] = ['python', 'typescript'];
const BLANK_TEMPLATE = 'blank-notebook';

/** What the picker holds: a blank notebook in a language, or a template by name. */
type Choice = { blank: KernelLanguage } | { template: string };
const choiceKey = (c: Choice) => ('blank' in c ? `blank:${c.blank}` : `template:${c.template}`);

const blankNotebook = (language: KernelLanguage) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: NOTEBOOK_KERNELSPECS[language],
  cells: [{ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }],
});

/** Reads an uploaded .ipynb, saying plainly when it is not one. */
async function readIpynb(file: File): Promise<unknown> {
  try {
    return JSON.parse(await file.text());
  } catch {
    throw new Error(`${file.name} is not JSON, so it is not a Jupyter notebook`);
  }
}

/** `/notebooks/new`: owner, name, a template (or blank, in Python or TypeScript) or an .ipynb, private. */
export function NewNotebook() {
  usePageTitle('New notebook');
  const { user } = useSession().session;
  const navigate = useNavigate();
  const { resource } = useResource('templates', listTemplates);
  const [owner, setOwner] = useState(user?.name ?? '');
  const [name, setName] = useState('');
  const [choice, setChoice] = useState<Choice>({ blank: 'python' });
  const [file, setFile] = useState<File | null>(null);
  const [isPrivate, setPrivate] = useState(false);
  const { run, pending, error } = useAction(async () => {
    const organization = owner && owner !== user?.name ? owner : undefined;
    // An imported file wins; otherwise the chosen template, or a blank notebook in the chosen language.
    const source = file
      ? { notebook: await readIpynb(file) }
      : 'blank' in choice
        ? { notebook: blankNotebook(choice.blank) }
        : { template: choice.template };
    const created = await notebookApi.create({
      name: name.trim(),
      organization,
      private: isPrivate,
      ...source,
    });
    navigate(created.url);
  });
  const templates =
    resource.state === 'ready'
      ? resource.data.filter((t) => t.kind === 'notebook' && t.name !== BLANK_TEMPLATE)
      : [];
  const selected = choiceKey(choice);
  const option = (key: string, pick: Choice, body: React.ReactNode) => (
    <label key={key} className={`nb-template${selected === key ? ' selected' : ''}${file ? ' muted' : ''}`}>
      <input
        type="radio"
        name="template"
        value={key}
        checked={selected === key}
        disabled={file !== null}
        onChange={() => setChoice(pick)}
      />
      {body}
    </label>
  );

  return (
    <form
      className="nb-new"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <h1>Create a new notebook</h1>
      <p className="muted">Cells run in a sandboxed kernel that everyone editing the notebook shares.</p>
      <div className="nb-new-name">
        <OwnerSelect value={owner} onChange={setOwner} />
        <span className="muted">/</span>
        <label>
          Notebook name
          <input value={name} onChange={(e) => setName(e.target.value)} required placeholder="my-notebook" />
        </label>
      </div>
      <fieldset className="nb-template-picker">
        <legend>Start from</legend>
        <div className="nb-template-grid" data-testid="notebook-templates">
          {BLANKS.map((language) =>
            option(
              `blank:${language}`,
              { blank: language },
              <>
                <span className="nb-template-emoji">📄</span>
                <strong>Blank notebook</strong>
                <span className="small muted">One empty cell.</span>
                <span className="badge">{LANGUAGE_LABELS[language]}</span>
              </>,
            ),
          )}
          {templates.map((t) =>
            option(
              `template:${t.name}`,
              { template: t.name },
              <>
                <span className="nb-template-emoji">{t.emoji}</span>
                <strong>{t.title}</strong>
                <span className="small muted">{t.short_description}</span>
                <span className="badge">{LANGUAGE_LABELS[t.language ?? 'typescript']}</span>
              </>,
            ),
          )}
        </div>
        {resource.state === 'loading' && <p className="muted">Loading templates…</p>}
        {resource.state === 'failed' && <ErrorMessage message={`Templates: ${resource.error}`} />}
      </fieldset>
      <label>
        Import an .ipynb instead (optional)
        <input
          type="file"
          accept=".ipynb,application/json"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>
      <label className="nb-checkbox-row">
        <input
          type="checkbox"
          name="private"
          checked={isPrivate}
          onChange={(e) => setPrivate(e.target.checked)}
        />
        <span>
          Private{' '}
          <small className="muted">
            — only you{owner !== user?.name ? `, ${owner}` : ''} and collaborators you add can see it
          </small>
        </span>
      </label>
      <ErrorMessage message={error} />
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? 'Creating…' : 'Create notebook'}
      </button>
    </form>
  );
}
