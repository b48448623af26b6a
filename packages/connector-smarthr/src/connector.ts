import {
  type ConnectorFields,
  type ConnectorLimits,
  canWrite,
  defineConnector,
  FIELD_KEYS,
} from '@renkei/core';
import { Credentials } from './auth.ts';
import { createClient } from './client.ts';
import { VENDOR } from './vendor.ts';

/** 連携可能な従業員情報: 電話番号 is read-only through this API. The README's table shows the same. */
export const FIELDS: ConnectorFields = {
  lastName: 'readWrite',
  firstName: 'readWrite',
  lastNameKana: 'readWrite',
  firstNameKana: 'readWrite',
  birthDate: 'readWrite',
  hireDate: 'readWrite',
  status: 'readWrite',
  email: 'readWrite',
  phone: 'read',
};

/** The vendor writes one employee per call. */
export const LIMITS: ConnectorLimits = {
  rateLimits: [VENDOR.rateLimit],
  concurrency: 2,
  writeBatchSize: 1,
};

const writable = FIELD_KEYS.filter((field) => canWrite(FIELDS[field]));

/** Creates the connector; `baseUrl` points it at another host (a sandbox, or a second fake). */
export function createSmarthrConnector(options: { baseUrl?: string } = {}) {
  return defineConnector({
    id: 'smarthr',
    displayName: 'SmartHR',
    kind: 'hr',
    description: 'SmartHRの従業員情報と連携します。',
    credentials: Credentials,
    fields: FIELDS,
    limits: LIMITS,
    hasDataAreas: false,
    async connect(credentials, context) {
      const client = createClient({ credentials, context, limits: LIMITS, writable, ...options });
      return {
        check: () => client.check(),
        listDataAreas: () => client.listDataAreas(),
        listEmployees: (area) => client.listEmployees(area),
        getEmployees: (area, codes) => client.getEmployees(area, codes),
        writeEmployees: (area, writes) => client.writeEmployees(area, writes),
        async close() {},
      };
    },
  });
}

export const smarthrConnector = createSmarthrConnector();
