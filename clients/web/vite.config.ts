import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  build: {
    manifest: true,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    // `npm run dev -w clients/web` against a running demo: the API and runtime config come from the gateway.
    proxy: { '/graphql': 'http://localhost:4000', '/exports': 'http://localhost:4000', '/config.json': 'http://localhost:4000' },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['test/setup.ts'],
    include: ['test/**/*.test.{ts,tsx}'],
    css: false,
  },
});
