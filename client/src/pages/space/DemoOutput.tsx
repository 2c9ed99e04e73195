import type { ChatMessage, DemoComponentConfig, LabelValue } from '@atrium/protocol';
import { Markdown } from './Markdown';

/** A Label value as bars of confidences, highest first. */
function LabelBars({ value, top }: { value: LabelValue; top?: number }) {
  const rows = [...(value.confidences ?? [])].sort((a, b) => b.confidence - a.confidence).slice(0, top ?? 10);
  return (
    <div className="demo-label">
      <p className="demo-label-top">{value.label}</p>
      <ul>
        {rows.map((r) => (
          <li key={r.label} className="demo-confidence" data-label={r.label}>
            <span className="demo-confidence-bar" style={{ width: `${Math.round(r.confidence * 100)}%` }} />
            <span className="demo-confidence-name">{r.label}</span>
            <span className="demo-confidence-value">{(r.confidence * 100).toFixed(1)}%</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** One output component of the demo SDK showing its (possibly partial) value. */
export function DemoOutput({ c, value }: { c: DemoComponentConfig; value: unknown }) {
  const label = c.label ?? c.name;
  const body = (() => {
    if (value === null || value === undefined) return <p className="muted demo-empty">—</p>;
    switch (c.type) {
      case 'label':
        return typeof value === 'object' ? (
          <LabelBars value={value as LabelValue} top={c.numTopClasses} />
        ) : (
          <p className="demo-label-top">{String(value)}</p>
        );
      case 'markdown':
        return <Markdown source={String(value)} />;
      case 'json':
        return <pre className="demo-json">{JSON.stringify(value, null, 2)}</pre>;
      case 'image': {
        const v = value as { url?: string };
        return v.url ? <img className="demo-image" src={v.url} alt={label} /> : null;
      }
      case 'chatbot':
        return (
          <ol className="demo-chat">
            {(value as ChatMessage[]).map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: messages only ever append
              <li key={i} className={`demo-chat-${m.role}`}>
                {m.content}
              </li>
            ))}
          </ol>
        );
      case 'checkbox':
        return <p>{value ? 'true' : 'false'}</p>;
      default:
        return <pre className="demo-text">{String(value)}</pre>;
    }
  })();
  return (
    <div className={`demo-field demo-output demo-kind-${c.type}`} data-output={c.name}>
      <span className="demo-output-label">{label}</span>
      {body}
    </div>
  );
}
