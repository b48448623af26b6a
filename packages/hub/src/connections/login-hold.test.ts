import { type ConnectorContext, type LoginHold, systemClock } from '@renkei/core';
import { createReferenceFake, REFERENCE_CLIENT, referenceConnector } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';

// Every session the hub opens for the connection (a chunk on any worker, a preview) is handed the
// connection's one lost-login record, kept in the database.
const contexts: ConnectorContext[] = [];
let t: ReferenceHub;

beforeAll(async () => {
  t = await startReferenceHub(createReferenceFake({ clock: systemClock }), {
    connector: {
      ...referenceConnector,
      connect: (credentials: Parameters<typeof referenceConnector.connect>[0], context: ConnectorContext) => {
        contexts.push(context);
        return referenceConnector.connect(credentials, context);
      },
    },
  });
});
afterAll(() => t.close());

/** The hold as a new session of the connection sees it (as a chunk on another worker would). */
async function sessionHold(): Promise<LoginHold> {
  await t.hub.connections.dataAreas(t.connection.id);
  return (contexts.at(-1) as ConnectorContext).loginHold as LoginHold;
}

describe("a connection's lost login, shared by every session", () => {
  it('one session records it; every later session sees it until the vendor frees the login', async () => {
    const first = await sessionHold();
    const second = await sessionHold();
    expect(await second.current()).toBeUndefined();
    const now = Date.now();
    await first.place({ since: now, until: now + 60 * 60_000 });
    expect(await second.current()).toEqual({ since: now, until: now + 60 * 60_000 });
    // A shorter hold placed later never shortens the wait.
    await second.place({ since: now - 1, until: now + 60_000 });
    expect(await (await sessionHold()).current()).toEqual({ since: now, until: now + 60 * 60_000 });
  });

  it("the admin's successful 接続テスト of the connection lifts it", async () => {
    const hold = await sessionHold();
    const now = Date.now();
    await hold.place({ since: now, until: now + 60 * 60_000 });
    expect(await hold.current()).toBeDefined();
    // A test of other credentials (no stored connection named) leaves it alone.
    await t.hub.connections.test(t.admin.id, {
      connectorId: 'reference',
      credentials: { ...REFERENCE_CLIENT },
    });
    expect(await hold.current()).toBeDefined();
    const result = await t.hub.connections.test(t.admin.id, {
      connectorId: 'reference',
      credentials: {},
      connectionId: t.connection.id,
    });
    expect(result).toEqual({ ok: true });
    expect(await hold.current()).toBeUndefined();
  });

  it('a hold whose time has passed is not in force', async () => {
    const hold = await sessionHold();
    const now = Date.now();
    await hold.place({ since: now - 2 * 60 * 60_000, until: now - 1 });
    expect(await hold.current()).toBeUndefined();
  });
});
