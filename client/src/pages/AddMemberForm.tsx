import type { OrgRole } from '@atrium/protocol';
import { type FormEvent, useState } from 'react';
import { accountsApi } from '../api';
import { ErrorMessage } from '../components';
import { useAction } from '../hooks/useAction';

/** For organization admins: add a user by name with a role; the server says if the user is unknown. */
export function AddMemberForm({ org, onAdded }: { org: string; onAdded: () => void }) {
  const [user, setUser] = useState('');
  const [role, setRole] = useState<OrgRole>('write');
  const { run, pending, error } = useAction(async () => {
    await accountsApi.setMember(org, user.trim(), role);
    setUser('');
    onAdded();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <form className="stack add-member" onSubmit={submit}>
      <h4>Add a member</h4>
      <ErrorMessage message={error} />
      <input
        aria-label="Username to add"
        placeholder="username"
        required
        value={user}
        onChange={(e) => setUser(e.target.value)}
      />
      <div className="row">
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as OrgRole)}>
          <option value="admin">admin</option>
          <option value="write">write</option>
          <option value="read">read</option>
        </select>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add member'}
        </button>
      </div>
    </form>
  );
}
