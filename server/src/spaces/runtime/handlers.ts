import type { Request, RequestHandler, Response } from 'express';
import { requireWriter } from '../../auth/Identity.js';
import { badRequest, notFound } from '../../errors.js';
import { closeEventStream, openEventStream } from '../../http/eventStream.js';
import { validate } from '../../http/validate.js';
import { permissionOn } from '../../hub/access.js';
import { describeRepo } from '../../hub/commands/describeRepo.js';
import { loadRepo } from '../../hub/commands/loadRepo.js';
import type { RepoRecord } from '../../hub/RepoStore.js';
import type { Services } from '../../services.js';
import { createSpaceFromTemplate } from './commands/createSpaceFromTemplate.js';
import { deleteSpaceEnv, listSpaceSecrets, listSpaceVariables, putSpaceEnv } from './commands/spaceEnv.js';
import {
  DuplicateSettingsBody,
  EnvEntryBody,
  EnvKeyBody,
  FromTemplateBody,
  SleepTimeBody,
} from './schema.js';
import { listTemplates } from './templates.js';

const param = (v: unknown) => (typeof v === 'string' ? v : '');

/** The Space runtime's API with the Hub's paths and shapes (spaces/runtime/README.md). */
export function spaceRuntimeHandlers(services: Services) {
  const runtimes = () => services.spaceRuntimes;
  const space = async (req: Request, need: 'read' | 'write' = 'read'): Promise<RepoRecord> => {
    if (need === 'write') requireWriter(req.identity);
    const { repo } = await loadRepo(
      services,
      req.identity,
      'space',
      param(req.params.owner),
      param(req.params.name),
      need,
    );
    return repo;
  };
  const runtimeOf = async (repo: RepoRecord) => runtimes().view(repo, { wake: false });
  const applyDuplicateSettings = async (
    repoId: string,
    extras: ReturnType<typeof DuplicateSettingsBody.parse>,
    secretsOf: RepoRecord | undefined,
  ) => {
    const { settings } = runtimes();
    const updatedAt = new Date().toISOString();
    // The source's secrets first (asked for, and checked: the actor may manage them), so named ones win.
    const copied = secretsOf ? await settings.env(secretsOf.id, 'secret') : [];
    let envWritten = false;
    for (const [kind, entries] of [
      ['secret', [...copied, ...(extras.secrets ?? [])]],
      ['variable', extras.variables],
    ] as const)
      for (const e of entries ?? []) {
        envWritten = true;
        await settings.putEnv(repoId, kind, {
          key: e.key,
          value: e.value,
          description: e.description ?? null,
          updatedAt,
        });
      }
    if (extras.sleepTimeSeconds !== undefined)
      await settings.setSleepSeconds(repoId, extras.sleepTimeSeconds === -1 ? null : extras.sleepTimeSeconds);
    // The copy's first build may have read its environment already: it starts again with these (a
    // sleep time alone changes nothing the app sees).
    if (!envWritten) return;
    const copy = await services.hub.repos.findById(repoId);
    if (copy) await runtimes().onSettingsChanged(copy);
  };

  return {
    templates: (async (_req, res) => {
      res.json(listTemplates());
    }) satisfies RequestHandler,

    fromTemplate: (async (req, res) => {
      const body = validate(FromTemplateBody, req.body);
      const actor = requireWriter(req.identity);
      const repo = await createSpaceFromTemplate(services, actor, body);
      const see = async (r: RepoRecord) => (await permissionOn(services, req.identity, r)) !== 'none';
      res.status(201).json(await describeRepo(services, repo, repo.head ?? '', see));
    }) satisfies RequestHandler,

    /** A visit: a sleeping Space wakes (the Space page polls this). */
    runtime: (async (req, res) => {
      res.json(await runtimes().view(await space(req), { wake: true }));
    }) satisfies RequestHandler,

    restart: (async (req, res) => {
      const repo = await space(req, 'write');
      await runtimes().restart(repo);
      res.json(await runtimeOf(repo));
    }) satisfies RequestHandler,

    pause: (async (req, res) => {
      const repo = await space(req, 'write');
      await runtimes().pause(repo);
      res.json(await runtimeOf(repo));
    }) satisfies RequestHandler,

    sleeptime: (async (req, res) => {
      const body = validate(SleepTimeBody, req.body);
      const repo = await space(req, 'write');
      await runtimes().setSleepTime(repo, body.seconds);
      res.json(await runtimeOf(repo));
    }) satisfies RequestHandler,

    /** The Hub's log streams: SSE, one `data: {"data","timestamp"}` per line, history first, then live. */
    logs: (async (req, res) => {
      const kind = param(req.params.kind);
      if (kind !== 'build' && kind !== 'run') throw notFound(`No ${kind} logs`, 'logs_not_found');
      const repo = await space(req);
      const log = runtimes().logs(repo, kind);
      const stream = openEventStream(res);
      const write = (line: object) => stream({ data: line });
      for (const line of log.history()) write(line);
      const unfollow = log.follow(write);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      // A Space made private (or a reader removed, a token revoked…) ends its readers' streams at once.
      const release = services.liveAccess.claim({
        identity: req.identity,
        repoId: repo.id,
        need: 'read',
        lost: (code, reason) => closeEventStream(res, stream, code, reason),
      });
      res.once('close', () => {
        clearInterval(heartbeat);
        unfollow();
        release();
      });
    }) satisfies RequestHandler,

    /**
     * In front of the Hub's duplicate: the copy also gets the secrets, variables and sleep time the
     * request names (huggingface_hub's duplicate_space sends them) and, with `copySecrets`, the
     * source's own secrets: only for someone who may manage them (write access), else 403 and no copy.
     */
    duplicateSettings: (async (req, res, next) => {
      const extras = validate(DuplicateSettingsBody, req.body ?? {});
      const secretsOf = extras.copySecrets ? await space(req, 'write') : undefined;
      if (!secretsOf && !extras.secrets && !extras.variables && extras.sleepTimeSeconds === undefined)
        return next();
      const send = res.json.bind(res);
      res.json = ((body: { id?: string }) => {
        if (res.statusCode !== 200 || typeof body?.id !== 'string') return send(body);
        void applyDuplicateSettings(body.id, extras, secretsOf).then(
          () => send(body),
          (err: unknown) => next(err),
        );
        return res;
      }) as Response['json'];
      next();
    }) satisfies RequestHandler,

    listSecrets: (async (req, res) => {
      res.json(await listSpaceSecrets(runtimes(), await space(req, 'write')));
    }) satisfies RequestHandler,

    putSecret: (async (req, res) => {
      const body = validate(EnvEntryBody, req.body);
      await putSpaceEnv(runtimes(), await space(req, 'write'), 'secret', body);
      res.json({});
    }) satisfies RequestHandler,

    deleteSecret: (async (req, res) => {
      const body = validate(EnvKeyBody, req.body);
      if (!(await deleteSpaceEnv(runtimes(), await space(req, 'write'), 'secret', body.key)))
        throw notFound(`No secret named ${body.key}`, 'secret_not_found');
      res.json({});
    }) satisfies RequestHandler,

    listVariables: (async (req, res) => {
      res.json(await listSpaceVariables(runtimes(), await space(req)));
    }) satisfies RequestHandler,

    putVariable: (async (req, res) => {
      const body = validate(EnvEntryBody, req.body);
      const repo = await space(req, 'write');
      const secrets = await runtimes().settings.env(repo.id, 'secret');
      if (secrets.some((s) => s.key === body.key))
        throw badRequest(`${body.key} is already a secret of this Space`, 'env_key_taken');
      await putSpaceEnv(runtimes(), repo, 'variable', body);
      res.json(await listSpaceVariables(runtimes(), repo));
    }) satisfies RequestHandler,

    deleteVariable: (async (req, res) => {
      const body = validate(EnvKeyBody, req.body);
      const repo = await space(req, 'write');
      if (!(await deleteSpaceEnv(runtimes(), repo, 'variable', body.key)))
        throw notFound(`No variable named ${body.key}`, 'variable_not_found');
      res.json(await listSpaceVariables(runtimes(), repo));
    }) satisfies RequestHandler,
  };
}
