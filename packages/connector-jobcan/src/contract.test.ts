import { describeConnectorContract } from '@renkei/testkit';
import jobcan, { createJobcanFake, FAKE_CREDENTIALS } from './index.ts';

describeConnectorContract({
  connector: jobcan,
  createFake: ({ clock }) => createJobcanFake({ clock }),
  credentials: {
    valid: FAKE_CREDENTIALS,
    invalid: { ...FAKE_CREDENTIALS, clientSecret: 'not-the-secret-access-key' },
  },
});
