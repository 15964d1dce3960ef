// `npm run build:web` (vite build web): the app lands in web/dist, which `tally serve` serves.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

export default defineConfig({
  plugins: [react()],
  // The pure core modules the web shares with the server (the channel registry, the outcomes);
  // web/tsconfig.json maps the same name. Nothing else of src/ belongs in the bundle.
  resolve: { alias: { '@core': here('../src/core') } },
  build: { outDir: 'dist', emptyOutDir: true },
  // `npx vite web` during development, with `tally serve` on :3000 behind it.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
