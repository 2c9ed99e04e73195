import { type FormEvent, type ReactNode, useState } from 'react';
import { useAction } from '../hooks/useAction';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  title: string;
  submitLabel: string;
  pendingLabel: string;
  /** Password field's autocomplete hint: new-password on sign-up, current-password on log-in. */
  passwordAutocomplete: 'new-password' | 'current-password';
  nameHint?: string;
  passwordHint?: string;
  onSubmit: (name: string, password: string) => Promise<void>;
  footer: ReactNode;
}

/** Name + password card shared by sign-up and log-in; shows the server's message when it refuses. */
export function AuthForm(props: Props) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { run, pending, error } = useAction(props.onSubmit);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(name.trim(), password);
  };
  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} aria-busy={pending}>
        <span className="logo-mark logo-mark-large" aria-hidden="true">
          A
        </span>
        <h1>{props.title}</h1>
        <ErrorMessage message={error} />
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          {props.nameHint && <small className="muted">{props.nameHint}</small>}
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={props.passwordAutocomplete}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {props.passwordHint && <small className="muted">{props.passwordHint}</small>}
        </label>
        <button type="submit" className="button button-primary button-wide" disabled={pending}>
          {pending ? props.pendingLabel : props.submitLabel}
        </button>
        <p className="muted auth-footer">{props.footer}</p>
      </form>
    </div>
  );
}
