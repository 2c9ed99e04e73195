import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { listTemplates, spaceApi } from '../../api';
import { useSession } from '../../auth';
import { ErrorMessage, OwnerSelect } from '../../components';
import { useAction } from '../../hooks/useAction';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';
import { spaceGradient } from './spaceColors';

/** `/spaces/new`: pick a template (or blank), name the Space, create it and land on its page. */
export function NewSpace() {
  usePageTitle('New Space');
  const { user } = useSession().session;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { resource } = useResource('templates', listTemplates);
  const [template, setTemplate] = useState(params.get('template') ?? 'blank-space');
  const [name, setName] = useState('');
  const [owner, setOwner] = useState(user?.name ?? '');
  const [isPrivate, setPrivate] = useState(false);
  const { run, pending, error } = useAction(async () => {
    const organization = owner && owner !== user?.name ? owner : undefined;
    await spaceApi.fromTemplate({ template, name: name.trim(), organization, private: isPrivate });
    navigate(`/spaces/${owner || user?.name}/${name.trim()}`);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  const templates = resource.state === 'ready' ? resource.data.filter((t) => t.kind === 'space') : [];
  return (
    <form className="new-space" onSubmit={submit}>
      <h1>Create a new Space</h1>
      <p className="muted">
        A Space is a small app that runs in a sandbox. Start from a template and change it live.
      </p>
      <ErrorMessage message={error} />
      <div className="new-space-name">
        <OwnerSelect value={owner} onChange={setOwner} />
        <span className="muted">/</span>
        <label>
          Space name
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            placeholder="my-space"
          />
        </label>
      </div>
      <fieldset className="template-picker">
        <legend>Template</legend>
        {resource.state === 'loading' && <p className="muted">Loading templates…</p>}
        {resource.state === 'failed' && <p className="muted">{resource.error}</p>}
        <div className="template-grid">
          {templates.map((t) => (
            <label
              key={t.name}
              className={`template-card${template === t.name ? ' selected' : ''}`}
              style={{ background: spaceGradient(t as unknown as Record<string, unknown>) }}
            >
              <input
                type="radio"
                name="template"
                value={t.name}
                checked={template === t.name}
                onChange={() => setTemplate(t.name)}
              />
              <span className="template-emoji">{t.emoji ?? '🚀'}</span>
              <strong>{t.title}</strong>
              <span className="small">{t.short_description}</span>
              {t.sdk && <span className="badge">{t.sdk}</span>}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="checkbox-row">
        <input
          type="checkbox"
          name="private"
          checked={isPrivate}
          onChange={(e) => setPrivate(e.target.checked)}
        />{' '}
        Private
      </label>
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? 'Creating…' : 'Create Space'}
      </button>
    </form>
  );
}
