import { defineConfig } from 'vite';

// In development the Atrium server runs on :3000 (npm start); Vite serves the app and proxies the rest.
const server = process.env.ATRIUM_DEV_SERVER ?? 'http://localhost:3000';
// Keys starting with ^ are regular expressions: Hub-style file URLs are /<owner>/<repo>/resolve/<rev>/<path>.
const proxied = ['/api', '/collab', '^/(?:[^/]+/){1,3}resolve/'];

export default defineConfig({
  // Vite 8 transforms TSX with Oxc; the automatic runtime means no `import React` in every file.
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      proxied.map((prefix) => [prefix, { target: server, changeOrigin: false, ws: prefix === '/collab' }]),
    ),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // react-router marks its modules "use client" for React Server Components; irrelevant in a SPA bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
