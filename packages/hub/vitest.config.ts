import { renkeiVitestConfig } from '@renkei/tooling/vitest';

// Two projects over one suite: `pglite` (embedded, in memory) and `pg` (a real PostgreSQL server at
// DATABASE_URL, started by tooling/scripts/with-postgres.sh). `*.pg.test.ts` need a server
// (several processes on one database); `*.pglite.test.ts` test the embedded default itself.
export default renkeiVitestConfig({
  test: {
    // Every test talks to a real database (and some to several processes): room for a busy machine.
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          exclude: ['**/node_modules/**', '**/*.pg.test.ts'],
          env: { RENKEI_TEST_BACKEND: 'pglite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'pg',
          exclude: ['**/node_modules/**', '**/*.pglite.test.ts'],
          env: { RENKEI_TEST_BACKEND: 'postgres' },
        },
      },
    ],
  },
});
