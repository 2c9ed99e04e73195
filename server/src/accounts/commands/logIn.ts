import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { unauthorized } from '../../errors.js';
import type { AccountRecord, AccountStore } from '../AccountStore.js';

// Checked when the name is unknown, so both failures take the same time and reveal nothing.
const decoy = hashPassword('decoy password');

/** Checks a name and password; one message for both kinds of mistake. */
export async function logIn(accounts: AccountStore, name: string, password: string): Promise<AccountRecord> {
  const user = await accounts.findByName(name);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoy));
  if (user?.kind !== 'user' || !ok) throw unauthorized('Invalid username or password', 'invalid_credentials');
  return user;
}
