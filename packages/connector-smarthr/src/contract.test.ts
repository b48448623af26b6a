import { describeConnectorContract } from '@renkei/testkit';
import connector, { createSmarthrFake, FAKE_CREDENTIALS } from './index.ts';
import { smarthrSample } from './testing.ts';

describeConnectorContract({
  connector,
  createFake: ({ clock }) => createSmarthrFake({ clock }),
  credentials: { valid: FAKE_CREDENTIALS, invalid: { ...FAKE_CREDENTIALS, apiToken: 'wrong-apiToken' } },
  employees: smarthrSample,
});
