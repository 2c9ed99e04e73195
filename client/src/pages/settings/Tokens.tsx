import type { TokenView } from '@atrium/protocol';
import { useState } from 'react';
import { accountsApi } from '../../api';
import { ErrorMessage } from '../../components';
import { useAction } from '../../hooks/useAction';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useResource } from '../../hooks/useResource';
import { CreatedToken } from './CreatedToken';
import { NewTokenForm } from './NewTokenForm';
import { TokenList } from './TokenList';

/** Settings → Access Tokens: create (secret shown once), list, revoke. */
export function Tokens() {
  usePageTitle('Access Tokens');
  const { resource, reload } = useResource('tokens', accountsApi.tokens);
  const [created, setCreated] = useState<TokenView | null>(null);
  const revoke = useAction(async (t: TokenView) => {
    await accountsApi.revokeToken(t.id);
    if (created?.id === t.id) setCreated(null);
    reload();
  });
  return (
    <>
      <h1>Access Tokens</h1>
      <p className="muted">
        Tokens let programs such as <code>@huggingface/hub</code> or <code>curl</code> act as you. Send one as{' '}
        <code>Authorization: Bearer hf_atr_…</code>.
      </p>
      {created && <CreatedToken token={created} onDone={() => setCreated(null)} />}
      <NewTokenForm
        onCreated={(t) => {
          setCreated(t);
          reload();
        }}
      />
      <section className="card">
        <h3>Your tokens</h3>
        <ErrorMessage message={revoke.error} />
        {resource.state === 'loading' && <p className="muted">Loading…</p>}
        {resource.state === 'failed' && <ErrorMessage message={resource.error} />}
        {resource.state === 'ready' && (
          <TokenList tokens={resource.data} pending={revoke.pending} onRevoke={revoke.run} />
        )}
      </section>
    </>
  );
}
