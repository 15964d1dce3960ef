// `npm run build:web` (vite build web): the app lands in web/dist, which `tally serve` serves.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  // `npx vite web` during development, with `tally serve` on :3000 behind it.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
