import {
  type ConnectorDefinition,
  ConnectorError,
  type ConnectorFields,
  defineConnector,
  FIELD_KEYS,
  IMPLICIT_DATA_AREA,
  type ListedEmployee,
} from '@renkei/core';
import { z } from 'zod';
import type { EmployeeStore } from './store.ts';

export const HR_CONNECTOR_ID = 'hr';

const fields: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite']));

function requireArea(area: string): void {
  if (area !== IMPLICIT_DATA_AREA.id) {
    throw new ConnectorError('not_found', `データ領域「${area}」は従業員リストにありません。`);
  }
}

/** What the connector needs of the employee store. */
export type HrStore = Pick<EmployeeStore, 'all' | 'getMany' | 'write'>;

/**
 * The HR master (従業員リスト) as a connector, so every sync is connector ↔ connector. It needs
 * no credentials; `actor` is what its writes record in the audit columns (a run, a user).
 */
export function createHrConnector(store: HrStore, actor: string): ConnectorDefinition {
  return defineConnector({
    id: HR_CONNECTOR_ID,
    displayName: '従業員リスト',
    kind: 'hr',
    description: 'Renkei が保持する従業員マスタ',
    credentials: z.object({}),
    fields,
    // A local table: no vendor limits, but batches keep transactions short.
    limits: { rateLimits: [], concurrency: 1, writeBatchSize: 100 },
    hasDataAreas: false,
    async connect(_credentials, context) {
      const guard = () => {
        if (context.signal.aborted) throw new ConnectorError('cancelled', '処理が中断されました。');
      };
      return {
        async check() {
          guard();
        },
        async listDataAreas() {
          return [IMPLICIT_DATA_AREA];
        },
        async *listEmployees(area: string): AsyncIterable<ListedEmployee> {
          requireArea(area);
          for await (const employee of store.all()) {
            guard();
            yield { ok: true, employee };
          }
        },
        async getEmployees(area, codes) {
          requireArea(area);
          guard();
          return (await store.getMany(codes)).map((employee) => ({ ok: true as const, employee }));
        },
        async writeEmployees(area, writes) {
          requireArea(area);
          guard();
          return store.write(actor, writes);
        },
        async close() {},
      };
    },
  });
}
