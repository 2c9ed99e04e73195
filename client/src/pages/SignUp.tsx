import { Link, useNavigate } from 'react-router-dom';
import { useSession } from '../auth';
import { AuthForm } from '../components/AuthForm';
import { usePageTitle } from '../hooks/usePageTitle';

/** Create an account; the server checks the name and answers with what is wrong, shown as is. */
export function SignUp() {
  usePageTitle('Sign up');
  const { signUp } = useSession();
  const navigate = useNavigate();
  return (
    <AuthForm
      title="Join Atrium"
      submitLabel="Create account"
      pendingLabel="Creating account…"
      passwordAutocomplete="new-password"
      nameHint="2 to 42 letters, digits, '-', '_' or '.'"
      passwordHint="At least 8 characters"
      onSubmit={async (name, password) => {
        await signUp(name, password);
        // The home page greets a new account as new, not "back".
        navigate('/', { state: { signedUp: true } });
      }}
      footer={
        <>
          Already have an account? <Link to="/login">Log in</Link>
        </>
      }
    />
  );
}
