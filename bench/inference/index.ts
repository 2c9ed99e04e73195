await import('./inProcess.js');
await import('./serving.js');
