export * from './component.js';
export * from './components/index.js';
export * from './DemoQueue.js';
export * from './demo.js';
export * from './demoHost.js';
export * from './errors.js';
export * from './fromConfig.js';
