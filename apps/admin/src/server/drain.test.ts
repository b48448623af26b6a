import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { drainThenClose } from './drain.ts';

describe('drainThenClose', () => {
  it('answers a request in flight before closing the hub, and refuses new connections meanwhile', async () => {
    const order: string[] = [];
    let finish = () => {};
    let arrived = () => {};
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = createServer((_req, res) => {
      arrived();
      finish = () => {
        order.push('answered');
        res.end('ok');
      };
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const slow = fetch(`http://127.0.0.1:${port}/slow`).then((response) => response.text());
    await inFlight;

    const closed = drainThenClose(server, async () => {
      order.push('hub closed');
    });
    await expect(fetch(`http://127.0.0.1:${port}/new`)).rejects.toThrow();
    expect(order).toEqual([]);
    finish();
    expect(await slow).toBe('ok');
    await closed;
    expect(order).toEqual(['answered', 'hub closed']);
  });
});
