import type { SeedStep } from '../seed.js';
import { publishModels } from './publishModels.js';

/** First start: the five seed models appear under the `atrium` organization (after seed/atrium-org). */
export const modelSeeds: SeedStep[] = [
  {
    id: 'seed/atrium-models',
    run: async (services) => {
      const report = await publishModels(services, 'atrium');
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
