import type { ConnectorDefinition } from '@renkei/core';
import {
  brokenConnector,
  type ContractCheckName,
  type ContractOptions,
  type PlantedBug,
  runContractCheck,
} from '@renkei/testkit/contract';
import { describe, expect, it } from 'vitest';
import { createSmarthrFake, FAKE_CREDENTIALS, type SmarthrFakeOptions } from './fake/index.ts';
import { smarthrSample } from './fake/sample.ts';
import connector from './index.ts';

type Fetch = typeof globalThis.fetch;

/** The SmartHR connector with a bug planted in its transport or its session. */
const broken = (bug: PlantedBug) => brokenConnector(connector, bug);

/** Answers with the named headers removed (what a client that ignores them would see). */
const withoutHeaders =
  (pattern: RegExp, when: (response: Response) => boolean) =>
  (fetch: Fetch): Fetch =>
  async (input, init) => {
    const response = await fetch(input, init);
    if (!when(response)) return response;
    const headers = new Headers([...response.headers].filter(([name]) => !pattern.test(name)));
    return new Response(response.body, { status: response.status, headers });
  };

const isCreate = (init?: RequestInit) => init?.method === 'POST';

const VARIANTS: {
  name: string;
  check: ContractCheckName;
  connector: ConnectorDefinition;
  fake?: SmarthrFakeOptions;
  failure: RegExp;
}[] = [
  {
    name: 'ignores the x-rate-limit-reset of a 429 (SmartHR sends no Retry-After)',
    check: 'retryAfter',
    failure: /Retry-After window/,
    connector: broken({
      fetch: withoutHeaders(/^x-rate-limit-reset$/, (response) => response.status === 429),
    }),
  },
  {
    name: 'does not pace to x-rate-limit-remaining on successful answers',
    check: 'listing',
    // An hourly allowance smaller than two listings: only the headers can keep the client under it.
    fake: { hourlyLimit: 3 },
    failure: /went over the vendor's rate limit|API利用回数の上限/,
    connector: broken({ fetch: withoutHeaders(/^x-rate-limit-remaining$/, (response) => response.ok) }),
  },
  {
    name: 'creates twice after a lost response (re-sends a POST that got no answer)',
    check: 'idempotentCreate',
    // SmartHR refuses the second POST (emp_code taken), so the employee fails instead of converging.
    failure: /status: 'failed'/,
    connector: broken({
      fetch: (fetch) => async (input, init) => {
        try {
          return await fetch(input, init);
        } catch (error) {
          if (!isCreate(init)) throw error;
          return fetch(input, init);
        }
      },
    }),
  },
  {
    name: 'writes the e-mail address, which SmartHR owns',
    check: 'unsupportedFieldsNeverSent',
    failure: /email/,
    connector: broken({
      fetch: (fetch) => async (input, init) => {
        if (!isCreate(init) || typeof init?.body !== 'string') return fetch(input, init);
        const body = { ...JSON.parse(init.body), email: 'someone@example.jp' };
        return fetch(input, { ...init, body: JSON.stringify(body) });
      },
    }),
  },
];

function options(connector: ConnectorDefinition, fake: SmarthrFakeOptions = {}): ContractOptions {
  return {
    connector,
    createFake: ({ clock }) => createSmarthrFake({ clock, ...fake }),
    credentials: { valid: FAKE_CREDENTIALS, invalid: { ...FAKE_CREDENTIALS, apiToken: 'wrong' } },
    employees: smarthrSample,
  };
}

const runCheck = (subject: ConnectorDefinition, check: ContractCheckName, fake?: SmarthrFakeOptions) =>
  runContractCheck(options(subject, fake), check);

describe('the contract suite on the SmartHR fake catches broken SmartHR connectors', () => {
  for (const variant of VARIANTS) {
    // Two contract checks on virtual time each; a loaded machine still needs real seconds for them.
    it(`fails "${variant.check}" for a connector that ${variant.name}`, { timeout: 60_000 }, async () => {
      // The same check passes for the real connector on the same fake, so the failure is the bug's.
      await runCheck(connector, variant.check, variant.fake);
      await expect(runCheck(variant.connector, variant.check, variant.fake)).rejects.toThrow(variant.failure);
    });
  }
});
