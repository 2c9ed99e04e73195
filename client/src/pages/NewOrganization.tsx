import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { accountsApi } from '../api';
import { useSession } from '../auth';
import { ErrorMessage } from '../components';
import { useAction } from '../hooks/useAction';
import { usePageTitle } from '../hooks/usePageTitle';

/** Create an organization; its creator becomes its first admin. */
export function NewOrganization() {
  usePageTitle('New organization');
  const [name, setName] = useState('');
  const [fullname, setFullname] = useState('');
  const navigate = useNavigate();
  const { refresh } = useSession();
  const { run, pending, error } = useAction(async () => {
    const org = await accountsApi.createOrg(name.trim(), fullname.trim() || undefined);
    await refresh();
    navigate(`/${org.name}`);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <div className="narrow">
      <h1>New organization</h1>
      <p className="muted">Organizations own models, Spaces and notebooks that several people work on.</p>
      <form className="card stack" onSubmit={submit}>
        <ErrorMessage message={error} />
        <label>
          Organization name
          <input name="name" required value={name} onChange={(e) => setName(e.target.value)} />
          <small className="muted">Used in addresses: /{name || 'name'}</small>
        </label>
        <label>
          Full name <span className="muted">(optional)</span>
          <input name="fullname" value={fullname} onChange={(e) => setFullname(e.target.value)} />
        </label>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create organization'}
        </button>
      </form>
    </div>
  );
}
