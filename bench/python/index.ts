// `npm run bench -- python`: Python kernels under runc and runsc (kernels.ts).
await import('./kernels.js');
