export * from './image/index.js';
