import type { AccountRecord } from '../accounts/AccountStore.js';
import type { RepoRecord } from '../hub/RepoStore.js';
import { createNotebook } from '../notebooks/commands/createNotebook.js';
import { notebookFile } from '../notebooks/importTask.js';
import { notebookTemplate } from '../notebooks/notebookTemplate.js';
import type { SeedStep } from '../seed.js';
import type { Services } from '../services.js';
import { createSpaceFromTemplate } from '../spaces/runtime/commands/createSpaceFromTemplate.js';
import { templatesDir } from '../spaces/runtime/templates.js';

/**
 * The showcase tasks: each template folder holds a Space and a notebook for one seed model. Published
 * in this order, so with equal likes the last (most recent) leads trending: sentiment analysis, which
 * a visitor tries by typing a sentence.
 */
export const demoTemplates = [
  'image-classification',
  'question-answering',
  'text-generation',
  'translation',
  'sentiment-analysis',
] as const;

/** What one seeding did, for the start-up log. */
export interface DemoReport {
  created: string[];
  skipped: string[];
}

/** The publisher's like: trending lists have something to rank, and a visitor sees it counted. */
const like = (services: Services, repo: RepoRecord, by: AccountRecord) =>
  // Liking twice is a no-op in the store (a re-run does not count it again).
  services.hub.repos.like(repo.id, by.id, new Date().toISOString());

/**
 * Publishes a Space and a notebook per showcase template under `ownerName`, each liked by it. An
 * existing repository of that name is left alone, so a re-run never rewrites anyone's history.
 */
export async function publishDemos(
  services: Services,
  ownerName: string,
  templates: readonly string[] = demoTemplates,
  dir = templatesDir(),
): Promise<DemoReport> {
  const owner = await services.accounts.findByName(ownerName);
  if (!owner) throw new Error(`cannot publish demos: account ${ownerName} does not exist`);
  const report: DemoReport = { created: [], skipped: [] };
  for (const name of templates) {
    let space = await services.hub.repos.find('space', owner.name, name);
    if (space) report.skipped.push(`spaces/${owner.name}/${name}`);
    else {
      // Five apps starting at once would slow the first start: each wakes on its first visit instead.
      space = await createSpaceFromTemplate(services, owner, { template: name, name }, { asleep: true });
      report.created.push(`spaces/${owner.name}/${name}`);
    }
    await like(services, space, owner);

    let notebook = await services.hub.repos.find('notebook', owner.name, name);
    if (notebook) report.skipped.push(`notebooks/${owner.name}/${name}`);
    else {
      const template = notebookTemplate(name, dir);
      if (!template) throw new Error(`cannot publish demos: template ${name} has no notebook`);
      await createNotebook(services, owner, {
        name,
        notebook: notebookFile(template.ipynb, services.config.collabDocMaxBytes),
        card: template.card ?? undefined,
      });
      notebook = await services.hub.repos.find('notebook', owner.name, name);
      if (!notebook) throw new Error(`cannot publish demos: notebook ${name} vanished as it was created`);
      report.created.push(`notebooks/${owner.name}/${name}`);
    }
    await like(services, notebook, owner);
  }
  return report;
}

/** First start: the showcase Spaces and notebooks appear under `atrium` (after its org and models). */
export const demoSeeds: SeedStep[] = [
  {
    id: 'seed/atrium-demos',
    run: async (services) => {
      const started = performance.now();
      const report = await publishDemos(services, 'atrium');
      services.log.info(
        { ...report, ms: Math.round(performance.now() - started) },
        'seed Spaces and notebooks published',
      );
    },
  },
];
