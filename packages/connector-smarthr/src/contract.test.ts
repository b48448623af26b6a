import { describeConnectorContract } from '@renkei/testkit/contract';
import { createSmarthrFake, FAKE_CREDENTIALS } from './fake/index.ts';
import { smarthrSample } from './fake/sample.ts';
import connector from './index.ts';

describeConnectorContract({
  connector,
  createFake: ({ clock }) => createSmarthrFake({ clock }),
  credentials: { valid: FAKE_CREDENTIALS, invalid: { ...FAKE_CREDENTIALS, apiToken: 'wrong-apiToken' } },
  employees: smarthrSample,
});
