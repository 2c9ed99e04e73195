export * from './browser.js';
export * from './postgres.js';
export * from './requirements.js';
export * from './server.js';
export * from './swift.js';
export * from './users.js';
export * from './waitFor.js';
