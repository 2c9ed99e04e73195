import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';

/** Search across models, Spaces and notebooks; sends the query to Explore (search lands in a later issue). */
export function SearchBox() {
  const [params] = useSearchParams();
  const current = params.get('search') ?? '';
  const [query, setQuery] = useState(current);
  const navigate = useNavigate();
  // Follow the address when it changes (back button, a link), not while the person types.
  useEffect(() => setQuery(current), [current]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(query.trim() ? `/?search=${encodeURIComponent(query.trim())}` : '/');
  };
  return (
    <search className="search-box">
      <form onSubmit={submit}>
        <input
          type="search"
          placeholder="Search models, Spaces, notebooks…"
          aria-label="Search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </form>
    </search>
  );
}
