export * from './childProcessChannel.js';
export * from './DemoBackend.js';
export * from './DemoHostBackend.js';
export * from './GradioApp.js';
export * from './GradioApps.js';
export * from './gradioConfig.js';
export * from './handlers.js';
export * from './InProcessDemoBackend.js';
