import type { AccountRecord } from '../../../accounts/AccountStore.js';
import { badRequest } from '../../../errors.js';
import { createRepo } from '../../../hub/commands/createRepo.js';
import type { RepoRecord } from '../../../hub/RepoStore.js';
import type { Services } from '../../../services.js';
import { spaceTemplateFiles } from '../templates.js';

export interface CreateFromTemplateInput {
  template: string;
  name: string;
  organization?: string;
  private?: boolean;
}

/** Creates a Space whose first commit holds a template's files (its card, app and assets). */
export async function createSpaceFromTemplate(
  services: Services,
  actor: AccountRecord,
  input: CreateFromTemplateInput,
  /** asleep: the Space does not start until its first visit (the intent travels with the creation). */
  options: { asleep?: boolean } = {},
): Promise<RepoRecord> {
  const template = /^[a-z0-9][a-z0-9-]{0,63}$/.test(input.template)
    ? spaceTemplateFiles(input.template)
    : undefined;
  if (!template)
    throw badRequest(`There is no Space template named "${input.template}"`, 'template_not_found');
  const undoAsleep = options.asleep
    ? services.spaceRuntimes.expectAsleep(input.organization ?? actor.name, input.name)
    : undefined;
  try {
    return await createRepo(services, actor, {
      type: 'space',
      name: input.name,
      organization: input.organization,
      private: input.private,
      sdk: template.sdk,
      files: template.files,
    });
  } catch (err) {
    undoAsleep?.();
    throw err;
  }
}
