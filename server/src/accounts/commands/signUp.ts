import { nameProblem } from '@atrium/protocol';
import { hashPassword } from '../../auth/passwords.js';
import { badRequest, conflict } from '../../errors.js';
import type { AccountRecord, AccountStore } from '../AccountStore.js';

export interface SignUpInput {
  name: string;
  password: string;
  fullname?: string | undefined;
  email?: string | undefined;
}

/**
 * Creates a user account. The first user of an instance becomes its administrator and an admin of
 * the seeded `atrium` organization, so the demos have someone to look after them (and a member).
 */
export async function signUp(accounts: AccountStore, input: SignUpInput): Promise<AccountRecord> {
  const problem = nameProblem(input.name);
  if (problem) throw badRequest(`Username ${problem}`, 'invalid_name');
  if (await accounts.findByName(input.name))
    throw conflict(`The name "${input.name}" is already taken`, 'name_taken');
  const created = await accounts.create({
    kind: 'user',
    name: input.name,
    fullname: input.fullname?.trim() || input.name,
    email: input.email ?? null,
    passwordHash: await hashPassword(input.password),
  });
  // Two sign-ups racing for one name: the unique index decides, the loser hears "taken".
  if (!created) throw conflict(`The name "${input.name}" is already taken`, 'name_taken');
  // Claimed after the account exists, so two first sign-ups at once still make one administrator.
  const isAdmin = await accounts.claimFirstAdmin(created.id);
  const user = isAdmin ? { ...created, isAdmin } : created;
  const atrium = isAdmin ? await accounts.findByName('atrium') : undefined;
  if (atrium?.kind === 'org') await accounts.setMember(atrium.id, user.id, 'admin');
  return user;
}
