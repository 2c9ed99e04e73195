import { demoApiSnippets, spaceAppPath } from '@atrium/protocol';
import { useState } from 'react';
import { spaceApi } from '../../api';
import { CopyButton } from '../../components';
import { useResource } from '../../hooks/useResource';
import './space.css';

const LANGUAGES = [
  { key: 'javascript', label: 'JavaScript' },
  { key: 'python', label: 'Python' },
  { key: 'curl', label: 'curl' },
] as const;
type Language = (typeof LANGUAGES)[number]['key'];

/**
 * "Use via API": how to call a running Space's demo from code, with snippets built from the demo's
 * own components (the Gradio-compatible API at the Space's app URL).
 */
export function UseViaApi({ spaceId }: { spaceId: string }) {
  const appPath = spaceAppPath(spaceId);
  const { resource } = useResource(`demo:${spaceId}`, () => spaceApi.demo(spaceId));
  const [language, setLanguage] = useState<Language>('javascript');
  if (resource.state === 'loading') return <p className="muted">Loading the API…</p>;
  if (resource.state === 'failed') {
    return (
      <section className="use-via-api">
        <h2>Use via API</h2>
        <p className="muted">
          {resource.status === 404 ? 'The app is not running, so it has no API right now.' : resource.error}
        </p>
      </section>
    );
  }
  const demo = resource.data;
  const appUrl = `${window.location.origin}${appPath}`;
  const snippets = demoApiSnippets(appUrl, demo);
  return (
    <section className="use-via-api">
      <h2>Use via API</h2>
      <p>
        Endpoint <code>/{demo.apiName}</code> at <code>{appUrl}</code>
        {demo.streaming ? ' streams partial results.' : '.'}
      </p>
      <table className="api-params">
        <thead>
          <tr>
            <th>Parameter</th>
            <th>Label</th>
            <th>Component</th>
          </tr>
        </thead>
        <tbody>
          {demo.inputs.map((c) => (
            <tr key={`in-${c.name}`}>
              <td>
                <code>{c.name}</code>
              </td>
              <td>{c.label ?? c.name}</td>
              <td>{c.type} (input)</td>
            </tr>
          ))}
          {demo.outputs.map((c) => (
            <tr key={`out-${c.name}`}>
              <td>
                <code>{c.name}</code>
              </td>
              <td>{c.label ?? c.name}</td>
              <td>{c.type} (output)</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="api-tabs" role="tablist">
        {LANGUAGES.map((l) => (
          <button
            key={l.key}
            type="button"
            role="tab"
            aria-selected={language === l.key}
            className={language === l.key ? 'active' : ''}
            onClick={() => setLanguage(l.key)}
          >
            {l.label}
          </button>
        ))}
      </div>
      <pre className="api-snippet" data-language={language}>
        <code>{snippets[language]}</code>
      </pre>
      <CopyButton text={snippets[language]} />
    </section>
  );
}
