import type { RepoInfoView } from '@atrium/protocol';
import { ApiError, fileUrl, reposApi } from '../../api';
import { useResource } from '../../hooks/useResource';
import { Breadcrumbs } from './Breadcrumbs';
import { highlightCode } from './highlightCode';

/** Files above this are not shown inline (the browser would choke), only offered for download. */
const MAX_INLINE = 1_000_000;

type Loaded = { kind: 'text'; text: string; size: number } | { kind: 'binary' | 'large'; size: number };

async function loadFile(url: string): Promise<Loaded> {
  const size = await reposApi.fileSize(url).catch((err: unknown) => {
    throw err instanceof ApiError && err.status === 404
      ? new Error('This file does not exist at this revision.')
      : err;
  });
  if (size > MAX_INLINE) return { kind: 'large', size };
  const bytes = await reposApi.fileBytes(url);
  if (bytes.subarray(0, 8000).includes(0)) return { kind: 'binary', size };
  return { kind: 'text', text: new TextDecoder().decode(bytes), size };
}

function HighlightedCode({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: highlight.js escapes the source it marks up
  return <code className="hljs" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** One file at a revision: highlighted source for text, a download link for the rest. */
export function FileView({ repo, rev, path }: { repo: RepoInfoView; rev: string; path: string }) {
  const url = fileUrl(repo.type, repo.id, rev, path);
  const { resource } = useResource(url, () => loadFile(url));
  return (
    <div className="file-view">
      <Breadcrumbs repo={repo} rev={rev} path={path} />
      <div className="card file-card">
        <div className="file-card-header">
          <span className="muted small">
            {resource.state === 'ready' ? `${resource.data.size.toLocaleString()} bytes` : ''}
          </span>
          <a className="button button-secondary button-small" href={`${url}?download=true`}>
            Download
          </a>
        </div>
        {resource.state === 'loading' && <p className="muted">Loading…</p>}
        {resource.state === 'failed' && <p className="muted">{resource.error}</p>}
        {resource.state === 'ready' && resource.data.kind === 'text' && (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must take the focus to be scrolled with the keys (WCAG 2.1.1).
          <section className="code-view" aria-label={`Source of ${path}`} tabIndex={0}>
            <pre>
              <HighlightedCode html={highlightCode(path, resource.data.text)} />
            </pre>
          </section>
        )}
        {resource.state === 'ready' && resource.data.kind !== 'text' && (
          <p className="muted">
            {resource.data.kind === 'binary' ? 'Binary file, not shown.' : 'Large file, not shown.'} Use
            Download.
          </p>
        )}
      </div>
    </div>
  );
}
