import type { StorageUse } from '@atrium/protocol';
import prettyBytes from 'pretty-bytes';
import { accountsApi } from '../../api';
import { ErrorMessage } from '../../components';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';

/** One line of use against a limit, with a bar. */
function Usage({ label, usedBytes, quotaBytes }: { label: string; usedBytes: number; quotaBytes: number }) {
  return (
    <p>
      <strong>{label}</strong>: {prettyBytes(usedBytes)} of {prettyBytes(quotaBytes)}{' '}
      <progress value={Math.min(usedBytes, quotaBytes)} max={quotaBytes} aria-label={`${label} used`} />
    </p>
  );
}

/** Settings → Storage: what the user's and their organizations' repositories hold, and demo uploads. */
export function Storage() {
  usePageTitle('Storage');
  const { resource } = useResource('storage', accountsApi.storage);
  return (
    <>
      <h1>Storage</h1>
      <p className="muted">
        Every file your repositories' history holds counts once (a file deleted in a later commit still
        counts); deleting a repository gives its storage back. Uploads past the limit are refused.
      </p>
      {resource.state === 'loading' && <p className="muted">Loading…</p>}
      {resource.state === 'failed' && <ErrorMessage message={resource.error} />}
      {resource.state === 'ready' && (
        <>
          <section className="card">
            <h3>Repositories</h3>
            {[resource.data.storage, ...resource.data.organizations].map((u: StorageUse) => (
              <Usage key={u.name} label={u.name} usedBytes={u.usedBytes} quotaBytes={u.quotaBytes} />
            ))}
          </section>
          <section className="card">
            <h3>Demo uploads</h3>
            <p className="muted">Files you send to Space apps, kept for an hour.</p>
            <Usage label="Uploads" {...resource.data.demoUploads} />
          </section>
        </>
      )}
    </>
  );
}
