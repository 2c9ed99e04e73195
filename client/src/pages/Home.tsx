import { useEffect, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { useSession } from '../auth';
import { EmptyState, RepoList, Section } from '../components';
import { usePageTitle } from '../hooks/usePageTitle';

/** Explore: the landing page. Later issues replace each empty state with real lists. */
export function Home() {
  const { session } = useSession();
  const [params] = useSearchParams();
  const search = params.get('search');
  const location = useLocation();
  const navigate = useNavigate();
  // Greeted as new once: the mark leaves the history entry, so a reload says "Welcome back".
  const [signedUp] = useState((location.state as { signedUp?: boolean } | null)?.signedUp === true);
  useEffect(() => {
    if (location.state) navigate(location.pathname + location.search, { replace: true, state: null });
  }, [location, navigate]);
  usePageTitle('Explore');
  // Searches once landed here, above the home page: they have their own page now.
  if (search) return <Navigate to={`/search?search=${encodeURIComponent(search)}`} replace />;
  return (
    <>
      <section className="hero">
        <h1>
          {session.user
            ? `${signedUp ? 'Welcome to Atrium' : 'Welcome back'}, ${session.user.fullname}`
            : 'Build, share and run AI demos together'}
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
      <div className="explore-grid">
        <Section title="Trending Spaces" icon="space" more="/spaces">
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
        <Section title="Models" icon="model" more="/models">
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
        <Section title="Trending notebooks" icon="notebook" more="/notebooks">
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
