export * from './collectImageFiles.js';
export * from './dockerfile.js';
export * from './ensureSandboxImage.js';
