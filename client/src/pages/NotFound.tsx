import { Link } from 'react-router-dom';
import { usePageTitle } from '../hooks/usePageTitle';

/** Any address nothing answers to. */
export function NotFound({ message = 'This page does not exist.' }: { message?: string }) {
  usePageTitle('Not found');
  return (
    <section className="not-found">
      <h1>404</h1>
      <p className="muted">{message}</p>
      <Link to="/" className="button button-secondary">
        Back to Explore
      </Link>
    </section>
  );
}
