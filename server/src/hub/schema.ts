import { REPO_TYPES } from '@atrium/protocol';
import { z } from 'zod';

const repoType = z.enum(REPO_TYPES as ['model', 'space', 'notebook']);
const listOf = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const flag = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => ['1', 'true'].includes(String(Array.isArray(v) ? v[0] : v).toLowerCase()));

/** `POST /api/repos/create`, as @huggingface/hub's createRepo sends it. */
export const CreateRepoBody = z.object({
  name: z.string(),
  organization: z.string().optional(),
  type: repoType.default('model'),
  private: z.boolean().optional(),
  visibility: z.enum(['public', 'private']).optional(),
  sdk: z.string().optional(),
  license: z.string().optional(),
  files: z
    .array(z.object({ path: z.string(), content: z.string(), encoding: z.literal('base64').optional() }))
    .max(1000)
    .optional(),
});

export const DeleteRepoBody = z.object({
  name: z.string(),
  organization: z.string().optional(),
  type: repoType.default('model'),
});

export const MoveRepoBody = z.object({
  fromRepo: z.string(),
  toRepo: z.string(),
  type: repoType.default('model'),
});

export const ListReposQuery = z.object({
  search: z.string().max(200).optional(),
  // The Hub's tag filter (repeatable) and task filter.
  filter: z.union([z.string().max(100), z.array(z.string().max(100)).max(10)]).optional(),
  pipeline_tag: z.string().max(100).optional(),
  models: z.union([z.string().max(200), z.array(z.string().max(200)).max(10)]).optional(),
  author: z.string().max(100).optional(),
  sort: z
    .enum([
      'likes',
      'lastModified',
      'createdAt',
      'trendingScore',
      'trending_score',
      'downloads',
      'last_modified',
      'created_at',
    ])
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(100).optional(),
  full: flag.optional(),
  expand: listOf.optional(),
});

export const TreeQuery = z.object({
  recursive: flag.optional(),
  expand: flag.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  cursor: z.string().max(100).optional(),
});

export const PathsInfoBody = z.object({
  paths: z
    .union([z.array(z.string()).max(10_000), z.string()])
    .transform((v) => (Array.isArray(v) ? v : [v])),
  expand: z.union([z.boolean(), z.string()]).optional(),
});

export const PreuploadBody = z.object({
  files: z
    .array(
      z.object({ path: z.string(), size: z.number().int().min(0), sample: z.string().max(1024).optional() }),
    )
    .max(1000),
  gitAttributes: z.string().max(100_000).optional(),
  gitIgnore: z.string().optional(),
});

export const LfsBatchBody = z.object({
  operation: z.string(),
  transfers: z.array(z.string()).optional(),
  objects: z.array(z.object({ oid: z.string(), size: z.number() })).max(1000),
});

export const LfsLinkQuery = z.object({
  size: z.coerce.number().int().min(0),
  exp: z.coerce.number().int(),
  sig: z.string().max(100),
});

export const CommitsQuery = z.object({
  p: z.coerce.number().int().min(0).max(100_000).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const DuplicateBody = z.object({ repository: z.string(), private: z.boolean().optional() });

export const SettingsBody = z.object({ private: z.boolean().optional() });

export const CollaboratorBody = z.object({ role: z.enum(['read', 'write', 'admin']) });

export const GcQuery = z.object({
  graceSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .optional(),
});
