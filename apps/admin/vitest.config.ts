import { renkeiVitestConfig } from '@renkei/tooling/vitest';

// Two projects: `default` (everything but `*.pg.test.ts`) and `pg`, the `renkei serve` E2E on a real
// PostgreSQL server at DATABASE_URL with a separate `renkei worker` (started by with-postgres.sh; the
// test script narrows it to `.pg.test.ts` files).
export default renkeiVitestConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'default', exclude: ['**/node_modules/**', '**/*.pg.test.ts'] } },
      { extends: true, test: { name: 'pg' } },
    ],
  },
});
