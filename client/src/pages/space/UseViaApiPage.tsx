import { Link, useParams } from 'react-router-dom';
import { usePageTitle } from '../../hooks/usePageTitle';
import { UseViaApi } from './UseViaApi';

/** `/spaces/:owner/:name/api`: the Space's "Use via API" panel on its own page (linkable, shareable). */
export function UseViaApiPage() {
  const { owner, name } = useParams();
  const id = `${owner}/${name}`;
  usePageTitle(`${id} · API`);
  return (
    <div className="space-api-page">
      <p>
        <Link to={`/spaces/${id}`}>{id}</Link>
      </p>
      <UseViaApi spaceId={id} />
    </div>
  );
}
