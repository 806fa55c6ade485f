import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    globalSetup: ['test/support/build-dist.ts'],
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts', 'src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
