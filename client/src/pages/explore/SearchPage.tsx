import { useSearchParams } from 'react-router-dom';
import { EmptyState } from '../../components';
import { usePageTitle } from '../../hooks/usePageTitle';
import { SearchResults } from '../repo/SearchResults';

/** `/search?search=…`: what the header's search box finds, every kind, on a page of its own. */
export function SearchPage() {
  const [params] = useSearchParams();
  const search = (params.get('search') ?? '').trim();
  usePageTitle(search ? `Search: ${search}` : 'Search');
  return (
    <div className="explore-page">
      <h1>{search ? `Results for “${search}”` : 'Search'}</h1>
      {search ? (
        <SearchResults search={search} />
      ) : (
        <EmptyState icon="search" title="Type in the search box above">
          Models, Spaces and notebooks by name, title, description or tag.
        </EmptyState>
      )}
    </div>
  );
}
