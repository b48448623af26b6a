import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The vitest config every package extends. Each package writes a JSON report to
 * `.vitest/report.json`; `tooling/scripts/test.ts` adds them up for CI's summary line.
 */
export function renkeiVitestConfig(overrides: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        reporters: ['default', 'json'],
        outputFile: { json: '.vitest/report.json' },
        // Two cores: a modest pool keeps PGlite instances (≈0.5 GB each) in check.
        maxWorkers: 2,
        testTimeout: 20_000,
        hookTimeout: 60_000,
        passWithNoTests: false,
      },
    }),
    overrides,
  );
}
