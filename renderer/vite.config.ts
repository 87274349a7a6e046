// Builds the renderer into renderer/dist. `base: './'` keeps asset URLs relative so the same
// build loads from the engine's HTTP server (web mode) and from Electron's app:// scheme.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
