import type { WhoAmIView } from '@atrium/protocol';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, accountsApi } from '../api';

/** Who is using the page: still asking the server, nobody, or a signed-in user. */
export type Session =
  | { status: 'loading'; user: null }
  | { status: 'signedOut'; user: null }
  | { status: 'signedIn'; user: WhoAmIView };

interface SessionApi {
  session: Session;
  signUp: (name: string, password: string) => Promise<void>;
  logIn: (name: string, password: string) => Promise<void>;
  logOut: () => Promise<void>;
  /** Asks the server again, for example after joining an organization. */
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

async function currentSession(): Promise<Session> {
  try {
    return { status: 'signedIn', user: await accountsApi.whoAmI() };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return { status: 'signedOut', user: null };
    throw err;
  }
}

/** Holds the session for the whole app; whoami once on load, and again after every sign-in or out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading', user: null });

  const refresh = useCallback(async () => {
    try {
      setSession(await currentSession());
    } catch {
      // The server is unreachable: show the page signed out rather than spin forever.
      setSession({ status: 'signedOut', user: null });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo<SessionApi>(
    () => ({
      session,
      refresh,
      signUp: async (name, password) => {
        await accountsApi.signUp(name, password);
        await refresh();
      },
      logIn: async (name, password) => {
        await accountsApi.logIn(name, password);
        await refresh();
      },
      logOut: async () => {
        await accountsApi.logOut();
        setSession({ status: 'signedOut', user: null });
      },
    }),
    [session, refresh],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session and its actions; only inside <SessionProvider>. */
export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() must be used inside <SessionProvider>');
  return value;
}
