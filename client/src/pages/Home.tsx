import { Link, useSearchParams } from 'react-router-dom';
import { useSession } from '../auth';
import { EmptyState, Section } from '../components';
import { usePageTitle } from '../hooks/usePageTitle';
import { RepoList } from './repo/RepoList';
import { SearchResults } from './repo/SearchResults';

/** Explore: the landing page. Later issues replace each empty state with real lists. */
export function Home() {
  const { session } = useSession();
  const [params] = useSearchParams();
  const search = params.get('search');
  usePageTitle(search ? `Search: ${search}` : 'Explore');
  return (
    <>
      <section className="hero">
        <h1>
          {session.user ? `Welcome back, ${session.user.fullname}` : 'Build, share and run AI demos together'}
        </h1>
        <p className="muted">
          Publish models, build Spaces that run in sandboxes, and write notebooks with others in real time.
        </p>
        {session.status === 'signedOut' && (
          <div className="hero-actions">
            <Link to="/signup" className="button button-primary">
              Get started
            </Link>
            <Link to="/login" className="button button-secondary">
              Log in
            </Link>
          </div>
        )}
      </section>
      {search && (
        <Section title={`Results for “${search}”`} icon="search">
          <SearchResults search={search} />
        </Section>
      )}
      <div className="explore-grid">
        <Section title="Trending Spaces" icon="space">
          <RepoList
            type="space"
            query={{ sort: 'trendingScore', limit: '6' }}
            empty={
              <EmptyState icon="space" title="No Spaces yet">
                Spaces are small demo apps that run in a sandbox. The first ones published will show here.
              </EmptyState>
            }
          />
        </Section>
        <Section title="Models" icon="model">
          <RepoList
            type="model"
            query={{ sort: 'trendingScore', limit: '6' }}
            empty={
              <EmptyState icon="model" title="No models yet">
                Models with their cards and weights, usable from transformers.js and @huggingface/hub.
              </EmptyState>
            }
          />
        </Section>
        <Section title="Notebooks" icon="notebook">
          <RepoList
            type="notebook"
            query={{ sort: 'trendingScore', limit: '6' }}
            empty={
              <EmptyState icon="notebook" title="No notebooks yet">
                Notebooks you can edit with others live and run in a sandboxed kernel.
              </EmptyState>
            }
          />
        </Section>
      </div>
    </>
  );
}
