import {
  ConnectorError,
  type ConnectorFields,
  type ConnectorLimits,
  canWrite,
  defineConnector,
  type EmployeeWrite,
  FIELD_KEYS,
  IMPLICIT_DATA_AREA,
  settleWrite,
  type WriteResult,
} from '@renkei/core';
import { Credentials } from './auth.ts';
import { createClient } from './client.ts';
import { type Masters, toCrewBody, toListedEmployee, withEmployeeCode } from './mapper.ts';
import { VENDOR } from './vendor.ts';

/** 連携可能な従業員情報: メールアドレス is read only (SmartHR's login address is never written). */
export const FIELDS: ConnectorFields = {
  lastName: 'readWrite',
  firstName: 'readWrite',
  lastNameKana: 'readWrite',
  firstNameKana: 'readWrite',
  businessLastName: 'readWrite',
  businessFirstName: 'readWrite',
  businessLastNameKana: 'readWrite',
  businessFirstNameKana: 'readWrite',
  birthDate: 'readWrite',
  gender: 'readWrite',
  hireDate: 'readWrite',
  retireDate: 'readWrite',
  status: 'readWrite',
  email: 'read',
  phone: 'readWrite',
  employmentType: 'readWrite',
  department: 'readWrite',
  jobTitle: 'readWrite',
  address: 'readWrite',
  bankAccounts: 'readWrite',
};

/** SmartHR writes one crew per call; its per-second and per-hour limits are both declared. */
export const LIMITS: ConnectorLimits = {
  rateLimits: [...VENDOR.rateLimits],
  concurrency: 2,
  writeBatchSize: 1,
};

/** The fields a write carries. */
export const WRITABLE = FIELD_KEYS.filter((field) => canWrite(FIELDS[field]));

/** Creates the connector; `baseUrl` points it at another host than the tenant's (a second fake). */
export function createSmarthrConnector(options: { baseUrl?: string } = {}) {
  return defineConnector({
    id: 'smarthr',
    displayName: 'SmartHR',
    kind: 'hr',
    description:
      'SmartHRの従業員リスト（氏名・生年月日・入退社日・在籍状況・雇用形態・部署・役職・住所・口座など）と連携します。',
    credentials: Credentials,
    fields: FIELDS,
    limits: LIMITS,
    hasDataAreas: false,
    async connect(credentials, context) {
      const client = createClient({ credentials, context, limits: LIMITS, ...options });
      // The masters are read once per session; a failed read is tried again next time.
      let masters: Promise<Masters> | undefined;
      const loadMasters = () =>
        (masters ??= client.masters().catch((error: unknown) => {
          masters = undefined;
          throw error;
        }));
      const onlyArea = (area: string) => {
        if (area !== IMPLICIT_DATA_AREA.id) {
          throw new ConnectorError('not_found', `SmartHRにはデータ領域「${area}」がありません。`);
        }
      };
      const prepare = (change: EmployeeWrite, known: Masters) =>
        change.op === 'create'
          ? toCrewBody(change.values, known, WRITABLE, true)
          : toCrewBody(change.changes, known, WRITABLE);

      /** One write; SmartHR's refusal of this record is its result, anything else throws for apply. */
      const write = async (change: EmployeeWrite, known: Masters): Promise<WriteResult> => {
        const { employeeCode, op } = change;
        const mapped = prepare(change, known);
        if (!mapped.ok) return { employeeCode, ok: false, error: mapped.error };
        return settleWrite(change, async () => {
          if (op === 'create') return client.create(withEmployeeCode(mapped.body, employeeCode));
          const id = ((await client.crew(employeeCode)) as { id?: unknown } | undefined)?.id;
          if (typeof id !== 'string')
            throw new ConnectorError('not_found', `社員番号「${employeeCode}」の従業員がSmartHRにいません。`);
          return client.update(id, mapped.body);
        });
      };

      return {
        check: () => client.check(),
        listDataAreas: async () => [IMPLICIT_DATA_AREA],
        async *listEmployees(area) {
          onlyArea(area);
          for await (const crew of client.crews()) yield toListedEmployee(crew);
        },
        async getEmployees(area, codes) {
          onlyArea(area);
          const crews = await Promise.all(codes.map((code) => client.crew(code)));
          return crews.filter((crew) => crew !== undefined).map(toListedEmployee);
        },
        async writeEmployees(area, writes) {
          onlyArea(area);
          const known = await loadMasters();
          return Promise.all(writes.map((change) => write(change, known)));
        },
        // The mapper's checks against the masters (read once per session): what write() refuses unsent.
        async checkWrites(area, writes) {
          onlyArea(area);
          const known = await loadMasters();
          return writes.flatMap((change) => {
            const mapped = prepare(change, known);
            return mapped.ok ? [] : [{ employeeCode: change.employeeCode, issues: mapped.issues }];
          });
        },
        async close() {},
      };
    },
  });
}

export const smarthrConnector = createSmarthrConnector();
