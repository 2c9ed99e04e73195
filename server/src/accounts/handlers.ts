import type { RequestHandler } from 'express';
import { clearSessionCookies, cookiesOf, SESSION_COOKIE, setSessionCookies } from '../auth/cookies.js';
import { requireUser, requireWriter } from '../auth/Identity.js';
import { notFound } from '../errors.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services.js';
import { createApiToken, listApiTokens, revokeApiToken } from './commands/apiTokens.js';
import { describeWhoAmI } from './commands/describeWhoAmI.js';
import { logIn } from './commands/logIn.js';
import {
  createOrganization,
  findOrganization,
  listOrgMembers,
  removeOrgMember,
  setOrgMember,
} from './commands/organizations.js';
import { endSession, startSession } from './commands/sessions.js';
import { signUp } from './commands/signUp.js';
import { CreateOrgBody, CreateTokenBody, LogInBody, SetMemberBody, SignUpBody } from './schema.js';
import { accountView } from './views.js';

/** HTTP handlers for accounts: thin wrappers that validate, call a command and answer. */
export function accountHandlers({ accounts, config, accessEvents }: Services) {
  const param = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('/') : (v ?? ''));

  return {
    signUp: (async (req, res) => {
      const body = validate(SignUpBody, req.body);
      const user = await signUp(accounts, body);
      const { session, csrf } = await startSession(accounts, user.id);
      setSessionCookies(res, req, config.publicUrl, session, csrf);
      res.status(201).json({ user: accountView(user), csrfToken: csrf });
    }) satisfies RequestHandler,

    logIn: (async (req, res) => {
      const body = validate(LogInBody, req.body);
      const user = await logIn(accounts, body.name, body.password);
      const { session, csrf } = await startSession(accounts, user.id);
      setSessionCookies(res, req, config.publicUrl, session, csrf);
      res.json({ user: accountView(user), csrfToken: csrf });
    }) satisfies RequestHandler,

    logOut: (async (req, res) => {
      await endSession(accounts, accessEvents, cookiesOf(req)[SESSION_COOKIE], req.identity.user?.id);
      clearSessionCookies(res, req, config.publicUrl);
      res.status(204).end();
    }) satisfies RequestHandler,

    whoAmI: (async (req, res) => {
      res.json(await describeWhoAmI(accounts, req.identity));
    }) satisfies RequestHandler,

    listTokens: (async (req, res) => {
      res.json(await listApiTokens(accounts, requireUser(req.identity)));
    }) satisfies RequestHandler,

    createToken: (async (req, res) => {
      // Only a browser session may mint tokens: a leaked token must not be able to breed more.
      const user = requireWriter(req.identity);
      if (req.identity.via !== 'session')
        throw notFound('Tokens are managed from a signed-in session', 'session_required');
      const body = validate(CreateTokenBody, req.body);
      res.status(201).json(await createApiToken(accounts, user, body.displayName, body.role));
    }) satisfies RequestHandler,

    revokeToken: (async (req, res) => {
      await revokeApiToken(accounts, accessEvents, requireWriter(req.identity), param(req.params.id));
      res.status(204).end();
    }) satisfies RequestHandler,

    createOrg: (async (req, res) => {
      const body = validate(CreateOrgBody, req.body);
      const org = await createOrganization(accounts, requireWriter(req.identity), body.name, body.fullname);
      res.status(201).json(accountView(org));
    }) satisfies RequestHandler,

    getOrg: (async (req, res) => {
      const org = await findOrganization(accounts, param(req.params.name));
      res.json({ ...accountView(org), members: await listOrgMembers(accounts, org) });
    }) satisfies RequestHandler,

    setMember: (async (req, res) => {
      const body = validate(SetMemberBody, req.body);
      const actor = requireWriter(req.identity);
      res.json(
        await setOrgMember(
          accounts,
          accessEvents,
          actor,
          param(req.params.name),
          param(req.params.user),
          body.role,
        ),
      );
    }) satisfies RequestHandler,

    removeMember: (async (req, res) => {
      await removeOrgMember(
        accounts,
        accessEvents,
        requireWriter(req.identity),
        param(req.params.name),
        param(req.params.user),
      );
      res.status(204).end();
    }) satisfies RequestHandler,

    getUser: (async (req, res) => {
      const user = await accounts.findByName(param(req.params.name));
      if (user?.kind !== 'user')
        throw notFound(`User "${param(req.params.name)}" not found`, 'user_not_found');
      const orgs = await accounts.membershipsOfUser(user.id);
      res.json({
        ...accountView(user),
        orgs: orgs.map((m) => ({ ...accountView(m.org), roleInOrg: m.role })),
      });
    }) satisfies RequestHandler,
  };
}
