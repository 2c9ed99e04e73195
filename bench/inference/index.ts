await import('./inProcess.js');
await import('./serving.js');
await import('./sandbox.js');
