import express, { type Express } from 'express';
import { avatarHandler } from './accounts/avatar.js';
import { accountHandlers } from './accounts/handlers.js';
import { perAddressLimit } from './auth/rateLimit.js';
import { healthHandlers } from './health/handlers.js';
import type { Services } from './services.js';
import type { UpgradeRoute } from './upgrade.js';

/**
 * The route table: every HTTP route and WebSocket endpoint of Atrium, in one place.
 * Handlers live beside their resource; this file only says which URL goes where.
 */
export function mountRoutes(app: Express, services: Services): void {
  const json = express.json({ limit: services.config.jsonLimit });
  const authLimit = perAddressLimit(services.config.authRateLimit, services.config.authRateWindowMs);
  const health = healthHandlers(services);
  const accounts = accountHandlers(services);

  app.get('/api/health', health.check);

  // Accounts and sessions
  app.post('/api/signup', authLimit, json, accounts.signUp);
  app.post('/api/login', authLimit, json, accounts.logIn);
  app.post('/api/logout', accounts.logOut);
  app.get('/api/whoami-v2', accounts.whoAmI);
  app.get('/api/users/:name', accounts.getUser);
  app.get('/api/avatars/:name', avatarHandler);

  // API tokens (settings)
  app.get('/api/settings/tokens', accounts.listTokens);
  app.post('/api/settings/tokens', json, accounts.createToken);
  app.delete('/api/settings/tokens/:id', accounts.revokeToken);

  // Organizations
  app.post('/api/organizations', json, accounts.createOrg);
  app.get('/api/organizations/:name', accounts.getOrg);
  app.put('/api/organizations/:name/members/:user', json, accounts.setMember);
  app.delete('/api/organizations/:name/members/:user', accounts.removeMember);
}

/** WebSocket endpoints, by path prefix. */
export function upgradeRoutes(_services: Services): UpgradeRoute[] {
  return [];
}
