// Builds the console into web/dist (served by the controller, api/src/http/console.ts).
// `npx vite --config web/vite.config.ts` runs a dev server that proxies /api to a controller:
// TWINREC_CONTROLLER_URL, default http://127.0.0.1:8740.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const controllerUrl = process.env.TWINREC_CONTROLLER_URL ?? 'http://127.0.0.1:8740';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed names under assets/ are what the controller caches for a year.
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': {
        target: controllerUrl,
        changeOrigin: true,
        // The controller refuses cookie-authenticated writes whose Origin is not its own
        // (csrf-rejected); through the proxy the browser's Origin is the dev server's.
        configure: (proxy) => {
          proxy.on('proxyReq', (proxyReq) => {
            if (proxyReq.getHeader('origin') !== undefined) proxyReq.setHeader('origin', new URL(controllerUrl).origin);
          });
        },
      },
    },
  },
});
