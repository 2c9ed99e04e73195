import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';

/** Search across models, Spaces and notebooks; sends the query to Explore (search lands in a later issue). */
export function SearchBox() {
  const [query, setQuery] = useState('');
  const navigate = useNavigate();
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
