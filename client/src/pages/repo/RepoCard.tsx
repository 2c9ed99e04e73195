import type { RepoInfoView } from '@atrium/protocol';
import { reposApi } from '../../api';
import { EmptyState, RelativeTime } from '../../components';
import { useResource } from '../../hooks/useResource';
import { renderMarkdown } from '../../safeHtml';
import { ModelCardPanel } from '../model/ModelCardPanel';
import { ModelUsage } from '../model/ModelUsage';

async function loadCard(repo: RepoInfoView): Promise<string | null> {
  if (!repo.siblings?.some((s) => s.rfilename === 'README.md')) return null;
  return reposApi.fileText(repo.type, repo.id, repo.sha ?? 'main', 'README.md');
}

const isScalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
/**
 * The card as this instance should show it: Atrium's generated model cards name a placeholder host in
 * "How to use" (their bytes are the same on every instance), shown here as the address in use.
 */
function cardSource(repo: RepoInfoView, markdown: string): string {
  return repo.type === 'model'
    ? markdown.replaceAll(GENERATED_CARD_HOST, `${window.location.origin}/`)
    : markdown;
}
const GENERATED_CARD_HOST = 'https://atrium.example/';

/** Card metadata worth a line in the sidebar: scalars and lists of scalars (not model-index trees). */
const isPlainValue = (v: unknown) => isScalar(v) || (Array.isArray(v) && v.length > 0 && v.every(isScalar));

/** The repository's card: README.md rendered as sanitized markdown, with its metadata beside it. */
export function RepoCard({ repo }: { repo: RepoInfoView }) {
  const { resource } = useResource(`${repo.id}@${repo.sha}`, () => loadCard(repo));
  const meta = repo.cardData ?? {};
  return (
    <div className="repo-card-layout">
      <article className="card repo-card">
        {resource.state === 'loading' && <p className="muted">Loading the card…</p>}
        {resource.state === 'failed' && <p className="muted">{resource.error}</p>}
        {resource.state === 'ready' &&
          (resource.data === null ? (
            <EmptyState icon={repo.type} title="No card yet">
              Add a README.md to describe this {repo.type}.
            </EmptyState>
          ) : (
            <div
              className="markdown"
              // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the one sanitizer (safeHtml)
              dangerouslySetInnerHTML={{
                __html: renderMarkdown(cardSource(repo, resource.data), { frontMatter: true }),
              }}
            />
          ))}
      </article>
      <aside className="card repo-aside">
        {repo.type === 'model' && <ModelUsage id={repo.id} />}
        {repo.type === 'model' && <ModelCardPanel id={repo.id} rev={repo.sha ?? 'main'} />}
        <dl>
          {Object.entries(meta)
            .filter(([, v]) => isPlainValue(v))
            .slice(0, 12)
            .map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{Array.isArray(v) ? v.join(', ') : String(v)}</dd>
              </div>
            ))}
          <div>
            <dt>Last updated</dt>
            <dd>
              <RelativeTime iso={repo.lastModified} />
            </dd>
          </div>
          <div>
            <dt>Files</dt>
            <dd>{repo.siblings?.length ?? 0}</dd>
          </div>
        </dl>
      </aside>
    </div>
  );
}
