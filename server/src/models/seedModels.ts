import type { GeneratedModel } from './GeneratedModel.js';
import { imageClassifier } from './imageClassifier.js';
import { questionAnswerer } from './questionAnswerer.js';
import { sentimentClassifier } from './sentimentClassifier.js';
import { textGenerator } from './textGenerator.js';
import { translator } from './translator.js';

/** The five seed models, one per showcase task, in the order the Explore page lists them. */
export const seedModels: readonly GeneratedModel[] = [
  sentimentClassifier,
  translator,
  textGenerator,
  questionAnswerer,
  imageClassifier,
];
