// `npm run build:web` (vite build web): the app lands in web/dist, which `tally serve` serves.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (path: string) => decodeURIComponent(new URL(path, import.meta.url).pathname);

export default defineConfig({
  plugins: [react()],
  // The API contract and the pure core modules it speaks (channels, outcomes…), shared with the
  // server; web/tsconfig.json maps the same names. Nothing else of src/ belongs in the bundle.
  resolve: { alias: { '@contract': here('../src/contract/index.ts'), '@core': here('../src/core') } },
  build: { outDir: 'dist', emptyOutDir: true },
  // `npx vite web` during development, with `tally serve` on :3000 behind it.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
