import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { safeNext, useSession } from '../auth';
import { AuthForm } from '../components/AuthForm';
import { usePageTitle } from '../hooks/usePageTitle';

/** Log in with name and password, then go back where the person came from (Home by default). */
export function LogIn() {
  usePageTitle('Log in');
  const { logIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <AuthForm
      title="Log in to Atrium"
      submitLabel="Log in"
      pendingLabel="Logging in…"
      passwordAutocomplete="current-password"
      onSubmit={async (name, password) => {
        await logIn(name, password);
        navigate(safeNext(params.get('next')));
      }}
      footer={
        <>
          New to Atrium? <Link to="/signup">Create an account</Link>
        </>
      }
    />
  );
}
