import type { TokenView } from '@atrium/protocol';
import { CopyButton } from '../../components';

/** The new token's secret, shown this one time: the server keeps only a hash of it. */
export function CreatedToken({ token, onDone }: { token: TokenView; onDone: () => void }) {
  if (!token.token) return null;
  return (
    <div className="card created-token" role="status">
      <h3>Token “{token.displayName}” created</h3>
      <p>Copy it now: you will not be able to see it again.</p>
      <div className="secret-row">
        <code className="secret" data-testid="new-token">
          {token.token}
        </code>
        <CopyButton text={token.token} />
      </div>
      <button type="button" className="button-link" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}
