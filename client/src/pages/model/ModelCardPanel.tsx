import { modelsApi } from '../../api';
import { CopyButton } from '../../components';
import { useResource } from '../../hooks/useResource';
import './model.css';

/** Beside a model's card: what the card lacks for responsible use, and how to use the model. */
export function ModelCardPanel({ id, rev }: { id: string; rev: string }) {
  const { resource } = useResource(`card:${id}@${rev}`, () => modelsApi.card(id, rev));
  if (resource.state !== 'ready') return null;
  const { warnings, snippet } = resource.data;
  return (
    <div className="model-card-panel">
      {warnings.length > 0 ? (
        <section className="card-check card-check-warn" aria-label="Card check">
          <h3>Card check: {warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`}</h3>
          <ul>
            {warnings.map((w) => (
              <li key={w.code} data-code={w.code}>
                {w.message}
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <section className="card-check card-check-ok" aria-label="Card check">
          <h3>Card check passed</h3>
          <p>Intended uses, limitations and bias, training data and evaluation are all documented.</p>
        </section>
      )}
      <section className="use-this-model" aria-label="Use this model">
        <div className="use-this-model-header">
          <h3>Use this model</h3>
          <CopyButton text={snippet} />
        </div>
        <pre>
          <code>{snippet}</code>
        </pre>
      </section>
    </div>
  );
}
