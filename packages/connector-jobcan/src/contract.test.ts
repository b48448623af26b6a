import { describeConnectorContract } from '@renkei/testkit/contract';
import { createJobcanFake, FAKE_CREDENTIALS } from './fake/index.ts';
import jobcan from './index.ts';

describeConnectorContract({
  connector: jobcan,
  createFake: ({ clock }) => createJobcanFake({ clock }),
  credentials: {
    valid: FAKE_CREDENTIALS,
    invalid: { ...FAKE_CREDENTIALS, clientSecret: 'not-the-secret-access-key' },
  },
});
