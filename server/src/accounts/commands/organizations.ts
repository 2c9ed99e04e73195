import { nameProblem, type OrgMemberView, type OrgRole } from '@atrium/protocol';
import type { AccessEvents } from '../../auth/AccessEvents.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import type { AccountRecord, AccountStore } from '../AccountStore.js';

/** Creates an organization with its creator as admin. */
export async function createOrganization(
  accounts: AccountStore,
  creator: AccountRecord,
  name: string,
  fullname?: string,
): Promise<AccountRecord> {
  const problem = nameProblem(name);
  if (problem) throw badRequest(`Organization name ${problem}`, 'invalid_name');
  const org = await accounts.create({
    kind: 'org',
    name,
    fullname: fullname?.trim() || name,
    email: null,
    passwordHash: null,
  });
  if (!org) throw conflict(`The name "${name}" is already taken`, 'name_taken');
  await accounts.setMember(org.id, creator.id, 'admin');
  return org;
}

export async function findOrganization(accounts: AccountStore, name: string): Promise<AccountRecord> {
  const org = await accounts.findByName(name);
  if (org?.kind !== 'org') throw notFound(`Organization "${name}" not found`, 'org_not_found');
  return org;
}

async function requireOrgAdmin(accounts: AccountStore, org: AccountRecord, actor: AccountRecord) {
  const role = await accounts.roleInOrg(org.id, actor.id);
  if (role !== 'admin' && !actor.isAdmin)
    throw forbidden('Only an admin of the organization can change its members');
}

/** Adds a member or changes their role; only an org admin may. The last admin cannot be demoted. */
export async function setOrgMember(
  accounts: AccountStore,
  events: AccessEvents,
  actor: AccountRecord,
  orgName: string,
  userName: string,
  role: OrgRole,
): Promise<OrgMemberView> {
  const org = await findOrganization(accounts, orgName);
  await requireOrgAdmin(accounts, org, actor);
  const user = await accounts.findByName(userName);
  if (user?.kind !== 'user') throw notFound(`User "${userName}" not found`, 'user_not_found');
  if (role !== 'admin') await refuseRemovingLastAdmin(accounts, org, user);
  await accounts.setMember(org.id, user.id, role);
  await events.publish({ kind: 'org-member', orgId: org.id, userId: user.id });
  return { user: user.name, fullname: user.fullname, role };
}

export async function removeOrgMember(
  accounts: AccountStore,
  events: AccessEvents,
  actor: AccountRecord,
  orgName: string,
  userName: string,
) {
  const org = await findOrganization(accounts, orgName);
  const user = await accounts.findByName(userName);
  // Members may leave on their own; removing someone else takes an admin.
  if (user?.id !== actor.id) await requireOrgAdmin(accounts, org, actor);
  if (!user) throw notFound(`User "${userName}" not found`, 'user_not_found');
  await refuseRemovingLastAdmin(accounts, org, user);
  if (!(await accounts.removeMember(org.id, user.id)))
    throw notFound(`${userName} is not a member of ${orgName}`, 'not_member');
  await events.publish({ kind: 'org-member', orgId: org.id, userId: user.id });
}

async function refuseRemovingLastAdmin(accounts: AccountStore, org: AccountRecord, user: AccountRecord) {
  const members = await accounts.membersOfOrg(org.id);
  const admins = members.filter((m) => m.role === 'admin');
  if (admins.length === 1 && admins[0]?.user.id === user.id) {
    throw conflict('An organization needs at least one admin', 'last_admin');
  }
}

export async function listOrgMembers(accounts: AccountStore, org: AccountRecord): Promise<OrgMemberView[]> {
  return (await accounts.membersOfOrg(org.id)).map((m) => ({
    user: m.user.name,
    fullname: m.user.fullname,
    role: m.role,
  }));
}
