import { renkeiVitestConfig } from './vitest.shared.ts';

export default renkeiVitestConfig({
  test: { include: ['generators/**/*.test.ts', 'scripts/**/*.test.ts'] },
});
