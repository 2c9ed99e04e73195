import type { Services } from './services.js';

/** One seeding step: runs once per data directory, recorded in `meta` under its id. */
export interface SeedStep {
  id: string;
  run: (services: Services) => Promise<void>;
}

/** The built-in steps; later concerns (models, templates) append theirs in app.ts. */
export const baseSeeds: SeedStep[] = [
  {
    id: 'seed/atrium-org',
    // The organization that publishes Atrium's own models and templates; its name is reserved for users.
    run: async ({ accounts }) => {
      if (await accounts.findByName('atrium')) return;
      await accounts.create({
        kind: 'org',
        name: 'atrium',
        fullname: 'Atrium',
        email: null,
        passwordHash: null,
      });
    },
  },
];

export async function runSeeds(services: Services, steps: readonly SeedStep[]): Promise<string[]> {
  const ran: string[] = [];
  for (const step of steps) {
    if (await services.meta.get(step.id)) continue;
    await step.run(services);
    await services.meta.set(step.id, new Date().toISOString());
    ran.push(step.id);
  }
  return ran;
}
