import type { Collaborator } from './useNotebookDoc';

/** Who is on the page and which cell each one is in. */
export function PresenceList({ people, ids }: { people: Collaborator[]; ids: string[] }) {
  return (
    <ul className="nb-presence" aria-label="People here" data-testid="presence">
      {people.map((p) => {
        const at = p.cell ? ids.indexOf(p.cell) : -1;
        return (
          <li key={p.clientId} className="nb-person" title={p.user.name}>
            <span className="nb-person-dot" style={{ background: p.user.color }} aria-hidden="true" />
            <span className="nb-person-name">
              {p.self && !p.user.name.startsWith('You') ? `${p.user.name} (you)` : p.user.name}
            </span>
            <span className="nb-person-cell">{at >= 0 ? `cell ${at + 1}` : '—'}</span>
          </li>
        );
      })}
    </ul>
  );
}
