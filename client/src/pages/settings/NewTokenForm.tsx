import type { TokenRole, TokenView } from '@atrium/protocol';
import { type FormEvent, useState } from 'react';
import { accountsApi } from '../../api';
import { ErrorMessage } from '../../components';
import { useAction } from '../../hooks/useAction';

/** Name a token and pick what it may do; the answer carries the secret, handed up to be shown once. */
export function NewTokenForm({ onCreated }: { onCreated: (token: TokenView) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<TokenRole>('read');
  const { run, pending, error } = useAction(async () => {
    onCreated(await accountsApi.createToken(name.trim(), role));
    setName('');
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <form className="card stack" onSubmit={submit} aria-label="New token">
      <h3>Create a new token</h3>
      <ErrorMessage message={error} />
      <label>
        Token name
        <input
          name="displayName"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <fieldset className="role-choice">
        <legend>Permissions</legend>
        <label className="radio">
          <input
            type="radio"
            name="role"
            value="read"
            checked={role === 'read'}
            onChange={() => setRole('read')}
          />
          <span>
            <strong>Read</strong> <span className="muted">— download and read what you can see</span>
          </span>
        </label>
        <label className="radio">
          <input
            type="radio"
            name="role"
            value="write"
            checked={role === 'write'}
            onChange={() => setRole('write')}
          />
          <span>
            <strong>Write</strong>{' '}
            <span className="muted">— also create, push and change your repositories</span>
          </span>
        </label>
      </fieldset>
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? 'Creating…' : 'Create token'}
      </button>
    </form>
  );
}
