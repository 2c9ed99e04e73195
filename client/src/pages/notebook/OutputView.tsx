import { lazy, Suspense, useMemo } from 'react';
import { sanitizeHtml, sanitizeSvg } from '../../safeHtml';
import { renderMathMarkdown } from '../../safeHtml/mathMarkdown';
import { capped, joined, type Output, pickMime, stripAnsi } from './outputs';

// vega-embed is large: it loads only when a notebook shows a chart.
const VegaChart = lazy(() => import('./VegaChart'));

function Capped({ text, className }: { text: string; className: string }) {
  const { text: shown, omitted } = capped(text);
  return (
    <>
      <pre className={className}>{shown}</pre>
      {omitted > 0 && (
        <p className="nb-output-notice">
          Output truncated in this view: {omitted.toLocaleString()} more characters.
        </p>
      )}
    </>
  );
}

function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  if (value === null || typeof value !== 'object') {
    return (
      <div className="nb-json-leaf">
        {name !== undefined && <span className="nb-json-key">{name}: </span>}
        <span className={`nb-json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const label = Array.isArray(value) ? `Array(${entries.length})` : `{${entries.length} keys}`;
  return (
    <details className="nb-json" open={depth < 1}>
      <summary>
        {name !== undefined && <span className="nb-json-key">{name}: </span>}
        {label}
      </summary>
      {entries.slice(0, 500).map(([k, v]) => (
        <JsonTree key={k} name={k} value={v} depth={depth + 1} />
      ))}
      {entries.length > 500 && <div className="nb-output-notice">… {entries.length - 500} more</div>}
    </details>
  );
}

function MimeView({ data }: { data: Record<string, unknown> }) {
  const mime = pickMime(data);
  const value = mime ? data[mime] : undefined;
  const html = useMemo(() => {
    if (mime === 'text/html') return sanitizeHtml(joined(value), 'output');
    if (mime === 'text/markdown') return renderMathMarkdown(capped(joined(value)).text);
    return '';
  }, [mime, value]);
  const svg = useMemo(() => (mime === 'image/svg+xml' ? sanitizeSvg(joined(value)) : ''), [mime, value]);
  switch (mime) {
    case 'application/vnd.vegalite.v5+json':
    case 'application/vnd.vegalite.v4+json':
      return (
        <Suspense fallback={<p className="nb-output-notice">Loading chart…</p>}>
          <VegaChart spec={value as object} />
        </Suspense>
      );
    case 'text/html':
      // Sanitized (safeHtml): nothing the kernel sends runs here, and the box contains what it draws.
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized just above.
      return <div className="nb-output-html" dangerouslySetInnerHTML={{ __html: html }} />;
    case 'text/markdown':
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized just above.
      return <div className="nb-output-html markdown" dangerouslySetInnerHTML={{ __html: html }} />;
    case 'image/svg+xml':
      return (
        <img
          className="nb-output-image"
          alt="Figure drawn by the cell (SVG)"
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
        />
      );
    case 'image/png':
    case 'image/jpeg':
      return (
        <img
          className="nb-output-image"
          alt="Figure drawn by the cell"
          src={`data:${mime};base64,${joined(value).trim()}`}
        />
      );
    case 'application/json':
      return (
        <div className="nb-output-json">
          <JsonTree value={value} />
        </div>
      );
    case 'text/plain':
      return <Capped className="nb-output-text" text={joined(value)} />;
    default:
      return (
        <p className="nb-output-notice">
          No representation this page can show ({Object.keys(data).join(', ') || 'empty'}).
        </p>
      );
  }
}

/** One output of a code cell. */
export function OutputView({ output }: { output: Output }) {
  switch (output.output_type) {
    case 'stream':
      return (
        <Capped
          className={`nb-output-stream nb-${output.name ?? 'stdout'}`}
          text={stripAnsi(joined(output.text))}
        />
      );
    case 'error':
      return (
        <div className="nb-output-error" role="alert">
          <strong>{stripAnsi(`${output.ename ?? 'Error'}: ${output.evalue ?? ''}`)}</strong>
          <Capped className="nb-output-traceback" text={stripAnsi((output.traceback ?? []).join('\n'))} />
        </div>
      );
    case 'display_data':
    case 'execute_result':
      return <MimeView data={output.data ?? {}} />;
    default:
      return null;
  }
}
