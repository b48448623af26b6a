import { type ConnectorDefinition, ConnectorError } from '@renkei/core';
import { describe, expect, it } from 'vitest';
import { referenceConnector } from '../reference/connector.ts';
import { createReferenceFake, REFERENCE_CLIENT } from '../reference/fake/index.ts';
import { brokenConnector, type PlantedBug, runContractCheck } from './broken.ts';
import type { ContractCheckName } from './checks.ts';
import type { ContractOptions } from './harness.ts';

type Fetch = typeof globalThis.fetch;

/** The reference connector with a bug planted in its transport or its session. */
const broken = (bug: PlantedBug) => brokenConnector(referenceConnector, bug);

const isBatchWrite = (input: Parameters<Fetch>[0], init?: RequestInit) =>
  init?.method === 'POST' &&
  String(input instanceof Request ? input.url : input).endsWith('/employees/batch');

const VARIANTS: {
  name: string;
  check: ContractCheckName;
  connector: ConnectorDefinition;
  failure: RegExp;
}[] = [
  {
    name: 'creates twice after a lost response (re-sends a POST that got no answer)',
    check: 'idempotentCreate',
    failure: /社員番号/,
    connector: broken({
      fetch: (fetch) => async (input, init) => {
        try {
          return await fetch(input, init);
        } catch (error) {
          if (!isBatchWrite(input, init)) throw error;
          return fetch(input, init);
        }
      },
    }),
  },
  {
    name: 'ignores Retry-After',
    check: 'retryAfter',
    failure: /Retry-After window/,
    connector: broken({
      fetch: (fetch) => async (input, init) => {
        const response = await fetch(input, init);
        const headers = new Headers(response.headers);
        headers.delete('retry-after');
        return new Response(response.body, { status: response.status, headers });
      },
    }),
  },
  {
    name: 'throws on one bad record instead of reporting it',
    check: 'recordsParse',
    failure: /読み取れないレコードがあります/,
    connector: broken({
      session: (session) => ({
        ...session,
        async *listEmployees(area) {
          for await (const entry of session.listEmployees(area)) {
            if (!entry.ok) throw new ConnectorError('protocol', '読み取れないレコードがあります。');
            yield entry;
          }
        },
      }),
    }),
  },
  {
    name: 'sends a field it does not declare (a default 雇用形態 on create)',
    check: 'unsupportedFieldsNeverSent',
    failure: /employmentType/,
    connector: broken({
      fetch: (fetch) => async (input, init) => {
        if (!isBatchWrite(input, init) || typeof init?.body !== 'string') return fetch(input, init);
        const body = JSON.parse(init.body) as {
          operations: { op: string; employee?: Record<string, unknown> }[];
        };
        for (const operation of body.operations) {
          if (operation.employee) operation.employee.employment_type = { code: null, name: '社員' };
        }
        return fetch(input, { ...init, body: JSON.stringify(body) });
      },
    }),
  },
  {
    name: 'passes every write in checkWrites (the preview misses a refusal)',
    check: 'writesAgree',
    failure: /checkWrites and writeEmployees disagree/,
    connector: broken({ session: (session) => ({ ...session, checkWrites: async () => [] }) }),
  },
  {
    name: 'flags writes in checkWrites that writeEmployees accepts',
    check: 'writesAgree',
    failure: /checkWrites and writeEmployees disagree/,
    connector: broken({
      session: (session) => ({
        ...session,
        async checkWrites(_area, writes) {
          return writes.map((write) => ({
            employeeCode: write.employeeCode,
            issues: [{ field: 'record' as const, message: '登録できません。' }],
          }));
        },
      }),
    }),
  },
  {
    name: 'writes while checking',
    check: 'writesAgree',
    failure: /requests checkWrites sent to write/,
    connector: broken({
      session: (session) => ({
        ...session,
        async checkWrites(area, writes) {
          await session.writeEmployees(area, writes.slice(0, 1));
          return (await session.checkWrites?.(area, writes)) ?? [];
        },
      }),
    }),
  },
];

function options(connector: ConnectorDefinition): ContractOptions {
  return {
    connector,
    createFake: ({ clock }) => createReferenceFake({ clock }),
    credentials: { valid: REFERENCE_CLIENT, invalid: { ...REFERENCE_CLIENT, clientSecret: 'wrong' } },
  };
}

const runCheck = (connector: ConnectorDefinition, check: ContractCheckName) =>
  runContractCheck(options(connector), check);

describe('the contract suite catches broken connectors', () => {
  for (const variant of VARIANTS) {
    it(`fails "${variant.check}" for a connector that ${variant.name}`, async () => {
      // The same check passes for the reference connector, so the failure is the planted bug's.
      await runCheck(referenceConnector, variant.check);
      await expect(runCheck(variant.connector, variant.check)).rejects.toThrow(variant.failure);
    });
  }
});
