import { z } from 'zod';

/** POST /api/notebooks/:owner/:name/run */
export const RunBody = z
  .object({
    cells: z.array(z.string().min(1).max(64)).max(10_000).optional(),
    all: z.boolean().optional(),
  })
  .refine((b) => b.all === true || (b.cells?.length ?? 0) > 0, 'name the cells to run, or all: true');

/** POST /api/notebooks/new */
export const CreateBody = z.object({
  name: z.string().min(1).max(96),
  organization: z.string().max(96).optional(),
  private: z.boolean().optional(),
  notebook: z.unknown().optional(),
  /** A notebook template's folder name (GET /api/templates); not with `notebook`. */
  template: z
    .string()
    .max(96)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'a template name: lowercase letters, digits and dashes')
    .optional(),
});
