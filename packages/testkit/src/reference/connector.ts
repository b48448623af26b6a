import {
  type ConnectorFields,
  type ConnectorLimits,
  canWrite,
  credential,
  defineConnector,
  type FieldKey,
  secret,
} from '@renkei/core';
import { z } from 'zod';
import { EMPLOYEE_CODE_RULE, MAX_BATCH_OPERATIONS, REFERENCE_BASE_URL } from './api.ts';
import { createReferenceClient } from './client.ts';

export const ReferenceCredentials = z.object({
  clientId: credential(z.string().min(1, 'クライアントIDを入力してください。'), { label: 'クライアントID' }),
  clientSecret: secret('シークレット'),
});
export type ReferenceCredentials = z.infer<typeof ReferenceCredentials>;

/** 連携可能な従業員情報: 電話番号 and 雇用形態 are read-only through this API. */
export const REFERENCE_FIELDS: ConnectorFields = {
  lastName: 'readWrite',
  firstName: 'readWrite',
  lastNameKana: 'readWrite',
  firstNameKana: 'readWrite',
  birthDate: 'readWrite',
  hireDate: 'readWrite',
  retireDate: 'readWrite',
  gender: 'readWrite',
  status: 'readWrite',
  email: 'readWrite',
  department: 'readWrite',
  jobTitle: 'readWrite',
  phone: 'read',
  employmentType: 'read',
};

export const REFERENCE_LIMITS: ConnectorLimits = {
  rateLimits: [{ limit: 10, intervalMs: 1000 }],
  concurrency: 1,
  writeBatchSize: MAX_BATCH_OPERATIONS,
};

/**
 * The reference connector: a small JSON REST vendor (see api.ts), on which the contract suite is
 * proven. `baseUrl` lets several fakes coexist.
 */
export function createReferenceConnector(options: { baseUrl?: string } = {}) {
  const writable = (Object.keys(REFERENCE_FIELDS) as FieldKey[]).filter((field) =>
    canWrite(REFERENCE_FIELDS[field]),
  );
  return defineConnector({
    id: 'reference',
    displayName: 'リファレンス人事API',
    kind: 'hr',
    description: 'コネクタ契約テストの基準となる架空の人事システムです。',
    credentials: ReferenceCredentials,
    fields: REFERENCE_FIELDS,
    limits: REFERENCE_LIMITS,
    hasDataAreas: true,
    async connect(credentials, context) {
      const client = createReferenceClient({
        baseUrl: options.baseUrl ?? REFERENCE_BASE_URL,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        limits: REFERENCE_LIMITS,
        writable,
        context,
      });
      return {
        check: () => client.authenticate(),
        listDataAreas: () => client.listDataAreas(),
        listEmployees: (area) => client.listEmployees(area),
        getEmployees: (area, codes) => client.getEmployees(area, codes),
        writeEmployees: (area, writes) => client.writeEmployees(area, writes),
        // Only the 社員番号 rule can be known without writing; the vendor's other rules are its own.
        // An update's code is one the vendor already holds.
        async checkWrites(_area, writes) {
          return writes.flatMap((write) =>
            write.op === 'create' && !EMPLOYEE_CODE_RULE.pattern.test(write.employeeCode)
              ? [
                  {
                    employeeCode: write.employeeCode,
                    issues: [
                      {
                        field: 'employeeCode' as const,
                        message: EMPLOYEE_CODE_RULE.message,
                        value: write.employeeCode,
                      },
                    ],
                  },
                ]
              : [],
          );
        },
        async close() {},
      };
    },
  });
}

export const referenceConnector = createReferenceConnector();
