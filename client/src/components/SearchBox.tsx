import type { RepoInfoView } from '@atrium/protocol';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { repoPrefix, reposApi } from '../api';
import { useDebounced } from '../hooks/useDebounced';
import { Icon } from './Icon';

const title = (r: RepoInfoView) => (typeof r.cardData?.title === 'string' ? r.cardData.title : undefined);

/**
 * Search across models, Spaces and notebooks: suggestions as you type (a few of each kind, by id,
 * title, description or tag; arrows and Enter pick one), Enter alone opens every result on /search.
 */
export function SearchBox() {
  const [params] = useSearchParams();
  const current = params.get('search') ?? '';
  const [query, setQuery] = useState(current);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // Suggestions with the words they answer: those for older words are never shown or picked.
  const [found, setFound] = useState<{ words: string; items: RepoInfoView[] }>({ words: '', items: [] });
  const typed = useDebounced(query.trim(), 150);
  const navigate = useNavigate();
  const listId = useId();
  // Follow the address when it changes (back button, a link), not while the person types.
  useEffect(() => setQuery(current), [current]);
  useEffect(() => {
    if (!typed) return;
    let live = true;
    reposApi.search(typed, 3).then(
      (kinds) => {
        if (!live) return;
        setFound({ words: typed, items: kinds.flatMap((k) => k.items) });
        setActive(-1);
      },
      () => live && setFound({ words: typed, items: [] }),
    );
    return () => {
      live = false;
    };
  }, [typed]);
  const suggestions = found.words === query.trim() ? found.items : [];
  const go = (to: string) => {
    setOpen(false);
    navigate(to);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const picked = suggestions[active];
    if (open && picked) return go(`${repoPrefix(picked.type)}/${picked.id}`);
    go(query.trim() ? `/search?search=${encodeURIComponent(query.trim())}` : '/');
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') return setOpen(false);
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    setOpen(true);
    const n = suggestions.length;
    if (n > 0) setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % n : (i - 1 + n) % n));
  };
  const shown = open && suggestions.length > 0;
  return (
    <search className="search-box">
      <form onSubmit={submit}>
        <input
          type="search"
          role="combobox"
          placeholder="Search models, Spaces, notebooks…"
          aria-label="Search"
          aria-autocomplete="list"
          aria-expanded={shown}
          aria-controls={listId}
          aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
          }}
          onKeyDown={onKey}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
        />
      </form>
      {shown && (
        <div className="search-suggestions" id={listId} role="listbox" aria-label="Suggestions">
          {suggestions.map((r, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the search box's arrows and Enter pick options.
            <div
              key={`${r.type}:${r.id}`}
              id={`${listId}-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              // Before the input's blur closes the list.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => go(`${repoPrefix(r.type)}/${r.id}`)}
            >
              <Icon name={r.type} size={16} /> <span>{r.id}</span>
              {title(r) && <span className="muted small"> {title(r)}</span>}
            </div>
          ))}
        </div>
      )}
    </search>
  );
}
