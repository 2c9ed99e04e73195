import type { RepoType } from '@atrium/protocol';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { repoPrefix, reposApi } from '../../api';
import { ErrorMessage, OwnerSelect, useWritableOwners } from '../../components';
import { useAction } from '../../hooks/useAction';
import { usePageTitle } from '../../hooks/usePageTitle';
import './repo.css';

const KINDS: { type: RepoType; label: string }[] = [
  { type: 'model', label: 'Model' },
  { type: 'space', label: 'Space' },
];

/** `/new`: create a model or Space repository (notebooks start at /notebooks/new) under the user or one of their organizations. */
export function NewRepo() {
  usePageTitle('New repository');
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [type, setType] = useState<RepoType>((search.get('type') as RepoType | null) ?? 'model');
  const [owner, setOwner] = useState(useWritableOwners()[0] ?? '');
  const [name, setName] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [sdk, setSdk] = useState('static');
  const { run, pending, error } = useAction(async () => {
    const made = await reposApi.create({
      type,
      name: name.trim(),
      organization: owner,
      private: isPrivate,
      sdk: type === 'space' ? sdk : undefined,
    });
    navigate(`${repoPrefix(type)}/${made.name}`);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <form className="card narrow new-repo" onSubmit={submit}>
      <h1>Create a new repository</h1>
      <ErrorMessage message={error} />
      <fieldset className="role-choice">
        <legend>Kind</legend>
        {KINDS.map((k) => (
          <label key={k.type} className="radio">
            <input
              type="radio"
              name="type"
              value={k.type}
              checked={type === k.type}
              onChange={() => setType(k.type)}
            />{' '}
            {k.label}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <OwnerSelect value={owner} onChange={setOwner} />
        <label>
          Name
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            placeholder="my-model"
          />
        </label>
      </div>
      {type === 'space' && (
        <label>
          SDK
          <select name="sdk" value={sdk} onChange={(e) => setSdk(e.target.value)}>
            <option value="static">static</option>
            <option value="atrium">atrium</option>
            <option value="gradio">gradio</option>
          </select>
        </label>
      )}
      <label className="radio">
        <input
          type="checkbox"
          name="private"
          checked={isPrivate}
          onChange={(e) => setPrivate(e.target.checked)}
        />{' '}
        Private (only you and collaborators can see it)
      </label>
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? 'Creating…' : 'Create repository'}
      </button>
    </form>
  );
}
