import react from '@vitejs/plugin-react';
import * as path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The console is built into dist/console, beside the services, and the
 * gateway serves it at /console (apps/gateway/src/console/console-static.ts).
 * Everything is bundled: no CDN, no inline script (the gateway's CSP forbids both).
 */
export default defineConfig({
  root: __dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: path.resolve(__dirname, '../../dist/console'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // The CSP allows no inline data: scripts; keep small assets as files too.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
});
