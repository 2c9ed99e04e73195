import type { RepoSort, RepoType } from '@atrium/protocol';
import type { Request, RequestHandler } from 'express';
import { requireUser, requireWriter } from '../auth/Identity.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { byteLength, rawChunksOf } from '../http/rawBody.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services.js';
import { permissionOn } from './access.js';
import { collectGarbage } from './commands/collectGarbage.js';
import { commitNdjson } from './commands/commitNdjson.js';
import { createRepo } from './commands/createRepo.js';
import { describeRepo } from './commands/describeRepo.js';
import { duplicateRepo } from './commands/duplicateRepo.js';
import { lfsBatch, receiveLfsObject, verifyLfsObject } from './commands/lfs.js';
import { listRepos } from './commands/listRepos.js';
import { pathsInfo, treeEntries, withLastCommits } from './commands/listTree.js';
import { loadRepo, resolveRevision } from './commands/loadRepo.js';
import {
  deleteRepo,
  moveRepo,
  removeCollaborator,
  setCollaborator,
  updateRepoSettings,
} from './commands/manageRepo.js';
import { preupload } from './commands/preupload.js';
import type { RepoRecord } from './RepoStore.js';
import {
  CollaboratorBody,
  CommitsQuery,
  DeleteRepoBody,
  DuplicateBody,
  GcQuery,
  LfsBatchBody,
  LfsLinkQuery,
  ListReposQuery,
  MoveRepoBody,
  PathsInfoBody,
  PreuploadBody,
  SettingsBody,
  TreeQuery,
} from './schema.js';
import { commitView, fullId, repoInfoView, typePrefix } from './views.js';

const param = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('/') : (v ?? ''));

const encodeCursor = (offset: number) => Buffer.from(String(offset)).toString('base64url');
function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest('Invalid cursor', 'invalid_cursor');
  return n;
}

const SORT_ALIASES: Record<string, RepoSort> = {
  trending_score: 'trendingScore',
  last_modified: 'lastModified',
  created_at: 'createdAt',
};

/** Request bodies up to this size are parsed in place (a thread hand-off would cost more). */
const INLINE_BODY_BYTES = 256 * 1024;

/** HTTP handlers of the Hub API: validate, call a command, answer in the Hub's shapes. */
export function hubHandlers(services: Services) {
  const baseUrl = (req: Request) => services.config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  /** The same URL with another page's cursor, for `Link: <…>; rel="next"`. */
  const nextLink = (req: Request, cursor: string) => {
    const url = new URL(req.originalUrl, baseUrl(req));
    url.searchParams.set('cursor', cursor);
    return `<${url.href}>; rel="next"`;
  };
  const repoOf = (req: Request, type: RepoType, need: 'read' | 'write' | 'admin' = 'read') =>
    loadRepo(services, req.identity, type, param(req.params.owner), param(req.params.name), need);
  const canSee = (req: Request) => async (r: RepoRecord) =>
    (await permissionOn(services, req.identity, r)) !== 'none';

  return {
    createRepo: (async (req, res) => {
      const actor = requireWriter(req.identity);
      const raw = rawChunksOf(req.body);
      // Up to 50 MB of JSON and base64: parsed and decoded in the task worker, off the event loop.
      const { fields: body, files } = await services.work.run(
        'repoCreateBody',
        { body: raw },
        { inline: byteLength(raw) <= INLINE_BODY_BYTES, budgetMs: 60_000 },
      );
      const repo = await createRepo(services, actor, {
        type: body.type,
        name: body.name,
        organization: body.organization,
        private: body.private ?? (body.visibility ? body.visibility === 'private' : undefined),
        sdk: body.sdk,
        files,
      });
      const id = fullId(repo);
      res.status(200).json({ url: `${baseUrl(req)}${typePrefix(repo.type)}/${id}`, name: id, id: repo.id });
    }) satisfies RequestHandler,

    deleteRepo: (async (req, res) => {
      const body = validate(DeleteRepoBody, req.body);
      const actor = requireWriter(req.identity);
      await deleteRepo(services, req.identity, body.type, `${body.organization ?? actor.name}/${body.name}`);
      res.status(200).json({});
    }) satisfies RequestHandler,

    moveRepo: (async (req, res) => {
      const body = validate(MoveRepoBody, req.body);
      await moveRepo(
        services,
        req.identity,
        requireWriter(req.identity),
        body.type,
        body.fromRepo,
        body.toRepo,
      );
      res.status(200).json({ url: `${baseUrl(req)}${typePrefix(body.type)}/${body.toRepo}` });
    }) satisfies RequestHandler,

    list:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const q = validate(ListReposQuery, req.query, 'query');
        const offset = decodeCursor(q.cursor);
        const limit = q.limit ?? 100;
        const { items, more } = await listRepos(services, req.identity, {
          type,
          search: q.search,
          filters: [...[q.filter ?? []].flat(), ...(q.pipeline_tag ? [q.pipeline_tag] : [])],
          models: [q.models ?? []].flat(),
          author: q.author,
          sort: q.sort ? (SORT_ALIASES[q.sort] ?? (q.sort as RepoSort)) : 'trendingScore',
          limit,
          offset,
          siblings: Boolean(q.full) || (q.expand?.includes('siblings') ?? false),
        });
        if (more) res.set('Link', nextLink(req, encodeCursor(offset + limit)));
        res.json(items);
      },

    info:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const { repo, permission } = await repoOf(req, type);
        const commit = await resolveRevision(services, repo, param(req.params.rev) || 'main');
        res.json({ ...(await describeRepo(services, repo, commit, canSee(req))), permission });
      },

    tree:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const q = validate(TreeQuery, req.query, 'query');
        const { repo } = await repoOf(req, type);
        const commit = await resolveRevision(services, repo, param(req.params.rev));
        const folder = param(req.params.path).replace(/\/$/, '');
        const all = await treeEntries(services, commit, folder, q.recursive ?? false);
        const offset = decodeCursor(q.cursor);
        const limit = q.limit ?? (q.expand ? 50 : 1000);
        let page = all.slice(offset, offset + limit);
        if (q.expand) page = await withLastCommits(services, commit, page);
        if (offset + limit < all.length) res.set('Link', nextLink(req, encodeCursor(offset + limit)));
        res.json(page);
      },

    pathsInfo:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const body = validate(PathsInfoBody, req.body);
        const { repo } = await repoOf(req, type);
        const commit = await resolveRevision(services, repo, param(req.params.rev));
        res.json(
          await pathsInfo(services, commit, body.paths, body.expand === true || body.expand === 'true'),
        );
      },

    preupload:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const body = validate(PreuploadBody, req.body);
        requireWriter(req.identity);
        const { repo } = await repoOf(req, type, 'write');
        const commit = await resolveRevision(services, repo, param(req.params.rev));
        res.json(await preupload(services, commit, body.files, body.gitAttributes));
      },

    commit:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const author = requireWriter(req.identity);
        const { repo } = await repoOf(req, type, 'write');
        if (req.query.create_pr)
          throw badRequest('Pull requests are not supported by Atrium yet', 'no_pull_requests');
        const { commitOid } = await commitNdjson(services, repo, author, param(req.params.rev), req);
        res.json({
          success: true,
          commitOid,
          commitUrl: `${baseUrl(req)}${typePrefix(type)}/${fullId(repo)}/commit/${commitOid}`,
          hookOutput: '',
        });
      },

    commits:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const q = validate(CommitsQuery, req.query, 'query');
        const { repo } = await repoOf(req, type);
        const commit = await resolveRevision(services, repo, param(req.params.rev));
        const limit = q.limit ?? 50;
        const page = q.p ?? 0;
        const [items, total] = await Promise.all([
          services.hub.repos.history(commit, limit, page * limit),
          services.hub.repos.countHistory(commit),
        ]);
        res.set('X-Total-Count', String(total));
        if ((page + 1) * limit < total) {
          const url = new URL(req.originalUrl, baseUrl(req));
          url.searchParams.set('p', String(page + 1));
          res.set('Link', `<${url.href}>; rel="next"`);
        }
        res.json(items.map(commitView));
      },

    refs:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const { repo } = await repoOf(req, type);
        const refs = await services.hub.repos.refs(repo.id);
        res.json({
          branches: refs.map((r) => ({ name: r.name, ref: `refs/heads/${r.name}`, targetCommit: r.commit })),
          tags: [],
          converts: [],
        });
      },

    like:
      (type: RepoType, liked: boolean): RequestHandler =>
      async (req, res) => {
        const user = requireWriter(req.identity);
        const { repo } = await repoOf(req, type);
        if (liked) await services.hub.repos.like(repo.id, user.id, new Date().toISOString());
        else await services.hub.repos.unlike(repo.id, user.id);
        const fresh = await services.hub.repos.findById(repo.id);
        res.json({ liked, likes: fresh?.likes ?? 0 });
      },

    likers:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const { repo } = await repoOf(req, type);
        const likers = await services.hub.repos.likers(repo.id);
        const viewer = req.identity.user;
        res.json({
          likers: likers.map((l) => ({ user: l.userName, likedAt: l.at })),
          liked: viewer ? likers.some((l) => l.userName === viewer.name) : false,
          likes: likers.length,
        });
      },

    userLikes: (async (req, res) => {
      const user = await services.accounts.findByName(param(req.params.name));
      if (user?.kind !== 'user')
        throw notFound(`User "${param(req.params.name)}" not found`, 'user_not_found');
      const see = canSee(req);
      const out = [];
      for (const { repo, at } of await services.hub.repos.likedBy(user.id)) {
        if (await see(repo)) out.push({ createdAt: at, repo: { name: fullId(repo), type: repo.type } });
      }
      res.json(out);
    }) satisfies RequestHandler,

    duplicate:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const body = validate(DuplicateBody, req.body);
        const actor = requireWriter(req.identity);
        const { repo } = await repoOf(req, type);
        const fork = await duplicateRepo(services, actor, repo, body.repository, { private: body.private });
        res.status(200).json({
          url: `${baseUrl(req)}${typePrefix(type)}/${fullId(fork)}`,
          name: fullId(fork),
          id: fork.id,
        });
      },

    forks:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const { repo } = await repoOf(req, type);
        const see = canSee(req);
        const out = [];
        for (const f of await services.hub.repos.forksOf(repo.id))
          if (await see(f)) out.push(repoInfoView(f, f.head));
        res.json(out);
      },

    settings:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const body = validate(SettingsBody, req.body);
        requireWriter(req.identity);
        const { repo } = await repoOf(req, type, 'admin');
        await updateRepoSettings(services, repo, body);
        res.json({ private: body.private ?? repo.private });
      },

    collaborators:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const { repo } = await repoOf(req, type);
        const list = await services.hub.repos.collaborators(repo.id);
        res.json(list.map((c) => ({ user: c.userName, role: c.role })));
      },

    setCollaborator:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const body = validate(CollaboratorBody, req.body);
        requireWriter(req.identity);
        const { repo } = await repoOf(req, type, 'admin');
        res.json(await setCollaborator(services, repo, param(req.params.user), body.role));
      },

    removeCollaborator:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        requireWriter(req.identity);
        const { repo } = await repoOf(req, type, 'admin');
        await removeCollaborator(services, repo, param(req.params.user));
        res.status(204).end();
      },

    collectGarbage: (async (req, res) => {
      const actor = requireWriter(req.identity);
      if (!actor.isAdmin) throw forbidden('Only an instance admin can collect garbage', 'admin_only');
      const q = validate(GcQuery, req.query, 'query');
      const hub = await collectGarbage(
        services,
        q.graceSeconds === undefined ? undefined : q.graceSeconds * 1000,
      );
      // The sandboxes' model cache holds hard links to blobs: its unused commits go too.
      res.json({ ...hub, modelCache: await services.runtime.models?.collectGarbage() });
    }) satisfies RequestHandler,

    lfsBatch:
      (type: RepoType): RequestHandler =>
      async (req, res) => {
        const body = validate(LfsBatchBody, req.body);
        requireUser(req.identity);
        const name = param(req.params.name).replace(/\.git$/, '');
        const need = body.operation === 'upload' ? 'write' : 'read';
        if (need === 'write') requireWriter(req.identity);
        const { repo } = await loadRepo(services, req.identity, type, param(req.params.owner), name, need);
        // Answered first: a refusal is JSON `{error}` (what the Hub's clients read), not an LFS type.
        const answer = await lfsBatch(services, repo, baseUrl(req), body.operation, body.objects);
        res.type('application/vnd.git-lfs+json').send(JSON.stringify(answer));
      },

    lfsUpload: (async (req, res) => {
      const q = validate(LfsLinkQuery, req.query, 'query');
      const length = req.get('content-length');
      await receiveLfsObject(
        services,
        { oid: param(req.params.oid), ...q },
        req,
        length === undefined ? undefined : Number(length),
      );
      res.status(200).json({});
    }) satisfies RequestHandler,

    lfsVerify: (async (req, res) => {
      const q = validate(LfsLinkQuery, req.query, 'query');
      await verifyLfsObject(
        services,
        { oid: param(req.params.oid), ...q },
        (req.body ?? {}) as { oid?: unknown; size?: unknown },
      );
      res.status(200).json({});
    }) satisfies RequestHandler,
  };
}
