import { collectImageFiles, type ImageFile } from './collectImageFiles.js';
import { DOCKERFILE } from './dockerfile.js';

/** What one sandbox image is made of: its repository name, Dockerfile and root filesystem. */
export interface ImageRecipe {
  /** Image repository; tags are `<repository>:<hash12>` and `:latest`, pruning stays inside it. */
  repository: string;
  /** Bump when the recipe changes in a way the inputs' bytes do not show. */
  version: string;
  dockerfile: string;
  /** Gathers the root filesystem (may prepare it first, e.g. install Python packages). */
  collect(onProgress?: (message: string) => void): ImageFile[] | Promise<ImageFile[]>;
}

/** The JavaScript/TypeScript sandbox: node, transformers.js and the runner. */
export const javascriptRecipe: ImageRecipe = {
  repository: 'atrium-sandbox',
  version: '1',
  dockerfile: DOCKERFILE,
  collect: () => collectImageFiles(),
};
