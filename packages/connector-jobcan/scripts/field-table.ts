/**
 * The README's 連携可能な従業員情報 table (testkit's generator, Jobcan's screen labels).
 * `pnpm fields:readme` rewrites it; src/readme.test.ts keeps it current.
 */
import type { ConnectorFields } from '@renkei/core';
import { fieldTable as table, writeReadmeIfMain } from '@renkei/testkit/readme';
import { JOBCAN_FIELDS } from '../src/connector.ts';
import { JOBCAN_PROPERTY, STAFF_CODE } from '../src/mapper.ts';

export const fieldTable = (fields: ConnectorFields = JOBCAN_FIELDS): string =>
  table({
    fields,
    vendorName: 'ジョブカン',
    hrName: '社員名簿',
    codeItem: STAFF_CODE.label,
    vendorItem: (key) => (JOBCAN_PROPERTY as Partial<Record<string, { label: string }>>)[key]?.label,
  });

writeReadmeIfMain(import.meta.url, () => fieldTable());
