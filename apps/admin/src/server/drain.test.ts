import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { drainThenClose } from './drain.ts';

describe('drainThenClose', () => {
  it('stops the work at once, answers a request in flight before closing the hub, and refuses new connections meanwhile', async () => {
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

    const closed = drainThenClose(server, {
      stopWork: async () => {
        order.push('work stopped');
      },
      closeRest: async () => {
        order.push('hub closed');
      },
    });
    await expect(fetch(`http://127.0.0.1:${port}/new`)).rejects.toThrow();
    expect(order).toEqual(['work stopped']);
    finish();
    expect(await slow).toBe('ok');
    await closed;
    expect(order).toEqual(['work stopped', 'answered', 'hub closed']);
  });

  it('closes the hub only after the work in flight has stopped, even with no request open', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const order: string[] = [];
    let workDone = () => {};
    const closed = drainThenClose(server, {
      stopWork: () =>
        new Promise<void>((resolve) => {
          workDone = () => {
            order.push('work stopped');
            resolve();
          };
        }),
      closeRest: async () => {
        order.push('hub closed');
      },
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    workDone();
    await closed;
    expect(order).toEqual(['work stopped', 'hub closed']);
  });
});
