import { describeConnectorContract } from '@renkei/testkit';
import connector, { createSmarthrFake, FAKE_CREDENTIALS } from './index.ts';

describeConnectorContract({
  connector,
  createFake: ({ clock }) => createSmarthrFake({ clock }),
  credentials: { valid: FAKE_CREDENTIALS, invalid: { ...FAKE_CREDENTIALS, apiToken: 'wrong-apiToken' } },
});
