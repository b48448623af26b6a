import { expect, it } from 'vitest';
import { describeConnectorContract } from '../contract/index.ts';
import { referenceConnector } from './connector.ts';
import { createReferenceFake, REFERENCE_AREAS, REFERENCE_CLIENT } from './fake/index.ts';

describeConnectorContract({
  connector: referenceConnector,
  createFake: ({ clock }) => createReferenceFake({ clock }),
  credentials: {
    valid: REFERENCE_CLIENT,
    invalid: { clientId: REFERENCE_CLIENT.clientId, clientSecret: 'not-the-secret-4711' },
  },
  extend({ env }) {
    it('keeps the data areas apart', async () => {
      const { fake, connect, sample, list } = env();
      const [first, second] = REFERENCE_AREAS.map((area) => area.id) as [string, string];
      await fake.seed(first, sample(3, 1));
      await fake.seed(second, sample(2, 2));
      const session = await connect();
      expect(await list(session, first)).toHaveLength(3);
      expect(await list(session, second)).toHaveLength(2);
    });
  },
});
