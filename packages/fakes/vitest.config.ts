import { renkeiVitestConfig } from '@renkei/tooling/vitest';

export default renkeiVitestConfig();
