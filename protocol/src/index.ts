export * from './accounts.js';
export * from './closeCodes.js';
export * from './errors.js';
export * from './hub.js';
export * from './kernel.js';
export * from './collab.js';
export * from './demo.js';
export * from './notebook.js';
