import type { TokenView } from '@atrium/protocol';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/** The person's tokens (names and roles only; secrets are never listed), each with a revoke button. */
export function TokenList({
  tokens,
  pending,
  onRevoke,
}: {
  tokens: TokenView[];
  pending: boolean;
  onRevoke: (t: TokenView) => void;
}) {
  if (tokens.length === 0) return <p className="muted">You have no access tokens yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Access tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th className="optional">Created</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.displayName}</td>
              <td>
                <span className={`badge badge-${t.role}`}>{t.role}</span>
              </td>
              <td className="muted optional">{when(t.createdAt)}</td>
              <td className="muted">{when(t.lastUsedAt)}</td>
              <td>
                <button
                  type="button"
                  className="button button-danger button-small"
                  disabled={pending}
                  aria-label={`Revoke ${t.displayName}`}
                  onClick={() => onRevoke(t)}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
