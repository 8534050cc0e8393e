import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console is served under `/console/` (by the local stack and by CloudFront), so every
 * asset URL is relative to that base. JSX compiles to Preact's automatic runtime.
 */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { '@shared': here('../shared') } },
  build: { outDir: here('dist'), emptyOutDir: true, sourcemap: true },
});
