export * from './collectImageFiles.js';
export * from './dockerfile.js';
export * from './ensureSandboxImage.js';
export * from './python/pythonRecipe.js';
export * from './recipes.js';
