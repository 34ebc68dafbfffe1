import { defineConfig } from 'vitest/config';

// One build for every stack: relative asset paths, so the same files work under /console/ on the
// local runtime and at the root of the CloudFront distribution. No source maps in the bundle.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    sourcemap: false,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
