import type { SeedStep } from '../seed.js';
import { publishModels } from './publishModels.js';
import { seedModels } from './seedModels.js';

/** First start: the five seed models appear under the `atrium` organization (after seed/atrium-org). */
export const modelSeeds: SeedStep[] = [
  {
    id: 'seed/atrium-models',
    run: async (services) => {
      const report = await publishModels(services, 'atrium');
      // Sandboxes have no network: the seed models are ready in their read-only /models from the start.
      await services.modelCache.ensureAll(seedModels.map((m) => m.id));
      services.log.info(
        {
          published: report.published,
          skipped: report.skipped,
          generateMs: Math.round(report.generateMs),
          bytes: report.bytes,
        },
        'seed models published',
      );
    },
  },
];
