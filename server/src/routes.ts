import { REPO_TYPES } from '@atrium/protocol';
import express, { type Express } from 'express';
import { avatarHandler } from './accounts/avatar.js';
import { accountHandlers } from './accounts/handlers.js';
import { perAddressLimit } from './auth/rateLimit.js';
import { collabUpgradeRoute } from './collab/collabUpgrade.js';
import { collabHandlers } from './collab/handlers.js';
import { healthHandlers } from './health/handlers.js';
import { rawJsonBody } from './http/rawBody.js';
import { hubCors } from './hub/cors.js';
import { downloadHandler } from './hub/downloads.js';
import { hubHandlers } from './hub/handlers.js';
import { modelHandlers } from './models/handlers.js';
import { notebookHandlers } from './notebooks/handlers.js';
import { importLimits } from './notebooks/importTask.js';
import { quotaHandlers } from './quota/handlers.js';
import { kernelChannelsRoute } from './runtime/channelsUpgrade.js';
import { kernelHandlers } from './runtime/handlers.js';
import type { Services } from './services.js';
import { resolveSpaceApp, SPACE_APP_ROUTE, watchSpaceAccess } from './spaces/gradio/appRoute.js';
import { gradioRouter } from './spaces/gradio/handlers.js';
import { spaceAppGate } from './spaces/runtime/appGate.js';
import { spaceRuntimeHandlers } from './spaces/runtime/handlers.js';
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
  const hub = hubHandlers(services);
  const models = modelHandlers(services);
  const collab = collabHandlers(services);
  const kernels = kernelHandlers(services);
  const notebooks = notebookHandlers(services);

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
  // Storage against its quota: the user's, their organizations', their demo uploads (quota/README.md)
  app.get('/api/settings/storage', quotaHandlers(services).storage);

  // Organizations
  app.post('/api/organizations', json, accounts.createOrg);
  app.get('/api/organizations/:name', accounts.getOrg);
  app.put('/api/organizations/:name/members/:user', json, accounts.setMember);
  app.delete('/api/organizations/:name/members/:user', accounts.removeMember);

  // Kernels: sandboxed code execution (runtime/README.md); the WebSocket channels are in upgradeRoutes
  app.post('/api/kernels', json, kernels.start);
  app.get('/api/kernels', kernels.list);
  app.get('/api/kernels/:id', kernels.get);
  app.delete('/api/kernels/:id', kernels.stop);
  app.post('/api/kernels/:id/interrupt', kernels.interrupt);
  app.post('/api/kernels/:id/restart', kernels.restart);
  app.post('/api/kernels/:id/execute', json, kernels.execute);
  app.post('/api/kernels/:id/complete', json, kernels.complete);
  app.post('/api/kernels/:id/inspect', json, kernels.inspect);

  // Hub: repositories, files, commits, likes, forks, with the Hugging Face Hub's paths (hub/README.md)
  // Large bodies stay bytes here and are parsed in the task worker (server/src/work).
  const createBody = rawJsonBody(50 * 1024 * 1024, 'A repository creation request');
  const lfsJson = express.json({ limit: '1mb', type: ['application/json', 'application/vnd.git-lfs+json'] });
  app.use(hubCors);
  app.post('/api/repos/create', createBody, hub.createRepo);
  app.delete('/api/repos/delete', json, hub.deleteRepo);
  app.post('/api/repos/move', json, hub.moveRepo);
  app.get('/api/users/:name/likes', hub.userLikes);
  app.put('/api/lfs/objects/:oid', hub.lfsUpload);
  app.post('/api/lfs/verify/:oid', lfsJson, hub.lfsVerify);
  app.post('/api/admin/hub/gc', hub.collectGarbage);
  // Model cards with their responsible-use warnings and a transformers.js snippet (models/README.md)
  app.get('/api/models/:owner/:name/card', models.card);
  // A Space's duplicate may name secrets, variables and a sleep time for the copy (spaces/runtime)
  app.post('/api/spaces/:owner/:name/duplicate', json, spaceRuntimeHandlers(services).duplicateSettings);
  for (const type of REPO_TYPES) {
    const api = `/api/${type}s/:owner/:name`;
    const site = type === 'model' ? '/:owner/:name' : `/${type}s/:owner/:name`;
    app.get(`/api/${type}s`, hub.list(type));
    app.get(api, hub.info(type));
    app.get(`${api}/revision/:rev`, hub.info(type));
    app.get(`${api}/tree/:rev{/*path}`, hub.tree(type));
    app.post(`${api}/paths-info/:rev`, json, hub.pathsInfo(type));
    app.post(`${api}/preupload/:rev`, json, hub.preupload(type));
    app.post(`${api}/commit/:rev`, hub.commit(type));
    app.get(`${api}/commits/:rev`, hub.commits(type));
    app.get(`${api}/refs`, hub.refs(type));
    app.post(`${api}/like`, hub.like(type, true));
    app.delete(`${api}/like`, hub.like(type, false));
    app.get(`${api}/likers`, hub.likers(type));
    app.post(`${api}/duplicate`, json, hub.duplicate(type));
    app.get(`${api}/forks`, hub.forks(type));
    app.put(`${api}/settings`, json, hub.settings(type));
    app.get(`${api}/collaborators`, hub.collaborators(type));
    app.put(`${api}/collaborators/:user`, json, hub.setCollaborator(type));
    app.delete(`${api}/collaborators/:user`, hub.removeCollaborator(type));
    app.post(`${site}.git/info/lfs/objects/batch`, lfsJson, hub.lfsBatch(type));
    app.get(`${site}/resolve/:rev/*path`, downloadHandler(services, type));
    app.get(`${site}/raw/:rev/*path`, downloadHandler(services, type));
  }

  // Notebooks: create/import, export, and the notebook's one shared kernel (notebooks/README.md)
  app.post('/api/notebooks/new', rawJsonBody(importLimits.maxBytes, 'A notebook import'), notebooks.create);
  app.get('/api/notebooks/:owner/:name/export', notebooks.exportIpynb);
  app.get('/api/notebooks/:owner/:name/session', notebooks.session);
  app.post('/api/notebooks/:owner/:name/run', json, notebooks.run);
  app.post('/api/notebooks/:owner/:name/interrupt', notebooks.interrupt);
  app.post('/api/notebooks/:owner/:name/complete', json, notebooks.complete);
  app.post('/api/notebooks/:owner/:name/inspect', json, notebooks.inspect);
  app.post('/api/notebooks/:owner/:name/restart', notebooks.restart);

  // Live documents (the WebSocket side is in upgradeRoutes)
  app.post('/api/collab/:kind/:owner/:name/save', json, collab.save);

  // Spaces' runtime with the Hub's paths: templates, stages, restart/pause/sleep, logs (SSE),
  // secrets and variables (spaces/runtime/README.md)
  const spaces = spaceRuntimeHandlers(services);
  app.get('/api/templates', spaces.templates);
  app.post('/api/spaces/from-template', json, spaces.fromTemplate);
  app.get('/api/spaces/:owner/:name/runtime', spaces.runtime);
  app.post('/api/spaces/:owner/:name/restart', spaces.restart);
  app.post('/api/spaces/:owner/:name/pause', spaces.pause);
  app.post('/api/spaces/:owner/:name/sleeptime', json, spaces.sleeptime);
  app.get('/api/spaces/:owner/:name/logs/:kind', spaces.logs);
  app.get('/api/spaces/:owner/:name/secrets', spaces.listSecrets);
  app.post('/api/spaces/:owner/:name/secrets', json, spaces.putSecret);
  app.delete('/api/spaces/:owner/:name/secrets', json, spaces.deleteSecret);
  app.get('/api/spaces/:owner/:name/variables', spaces.listVariables);
  app.post('/api/spaces/:owner/:name/variables', json, spaces.putVariable);
  app.delete('/api/spaces/:owner/:name/variables', json, spaces.deleteVariable);

  // A Space's app URL: a visit wakes it; static Spaces' files; then the running demo's
  // Gradio-compatible API (spaces/gradio/README.md)
  app.use(SPACE_APP_ROUTE, spaceAppGate(services));
  app.use(SPACE_APP_ROUTE, gradioRouter(resolveSpaceApp(services), watchSpaceAccess(services)));
}

/** WebSocket endpoints, by path prefix. */
export function upgradeRoutes(services: Services): UpgradeRoute[] {
  return [collabUpgradeRoute(services, services.collab), kernelChannelsRoute(services)];
}
