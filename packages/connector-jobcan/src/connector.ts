import {
  ConnectorError,
  type ConnectorFields,
  type ConnectorLimits,
  credential,
  defineConnector,
  type EmployeeWrite,
  type FieldIssue,
  IMPLICIT_DATA_AREA,
  type NewEmployeeDefault,
  secret,
  settleWrite,
  tokyoDate,
  type WriteResult,
} from '@renkei/core';
import { z } from 'zod';
import type { Group, WorkKind } from './api.ts';
import { createJobcanClient } from './client.ts';
import { toCreateBody, toListedEmployee, toUpdateBody } from './mapper.ts';
import { JOBCAN, type JobcanEnvironment } from './vendor.ts';

/** The 環境 choice of the 連携設定 form, and the hosts it selects. */
export const ENVIRONMENTS = { 本番: 'production', サンドボックス: 'sandbox' } as const satisfies Record<
  string,
  JobcanEnvironment
>;

export const JobcanCredentials = z.object({
  clientId: credential(z.string().trim().min(1, 'APIクライアントIDを入力してください。'), {
    label: 'APIクライアントID',
    help: 'ジョブカンの「他社システム連携 > APIクライアント発行」で発行したIDです。APIは有料プランでのみ利用でき、事前にジョブカンへのAPI利用申請が必要です。',
  }),
  clientSecret: secret('シークレットアクセスキー', 'APIクライアントの発行時に一度だけ表示されるキーです。'),
  environment: credential(z.enum(['本番', 'サンドボックス']).default('本番'), { label: '環境' }),
  newMainGroup: credential(
    z.string().trim().regex(/^\d*$/, 'グループを一覧から選んでください。').optional(),
    {
      label: '新規登録時のメイングループ',
      help: 'Renkeiが新しく登録するスタッフのメイングループ（ジョブカンのグループから選びます）。未設定のスタッフはどのグループにも属さず、シフトや集計の対象になりません。',
    },
  ),
  newWorkKind: credential(
    z.string().trim().regex(/^\d*$/, 'スタッフ種別を一覧から選んでください。').optional(),
    {
      label: '新規登録時のスタッフ種別',
      help: '雇用形態のない従業員を新しく登録するときのスタッフ種別。未設定なら【未分類】になります。',
    },
  ),
});
export type JobcanCredentials = z.infer<typeof JobcanCredentials>;

/**
 * 連携可能な従業員情報: the fields SmartHR documents for Jobcan, plus 在籍状況 and 退職日 written so
 * that a retiree chosen for export reaches Jobcan as 退職 (Jobcan bills by 在職 staff).
 */
export const JOBCAN_FIELDS = {
  lastName: 'readWrite',
  firstName: 'readWrite',
  hireDate: 'readWrite',
  retireDate: 'readWrite',
  employmentType: 'readWrite',
  phone: 'readWrite',
  birthDate: 'readWrite',
  status: 'readWrite',
} as const satisfies ConnectorFields;

/** Jobcan writes one staff member per call. */
export const JOBCAN_LIMITS: ConnectorLimits = {
  rateLimits: [JOBCAN.rateLimit],
  concurrency: 4,
  writeBatchSize: 1,
};

/** A create refused for a reason of the connection's settings, not of the employee. */
const refusedCreate = (issues: readonly FieldIssue[]) => ({
  ok: false as const,
  issues: [...issues],
  error: {
    kind: 'validation' as const,
    retryable: false,
    message: issues.map((issue) => issue.message).join(' '),
  },
});

export interface JobcanConnectorOptions {
  /** Domain of the placeholder e-mail a create carries (default example.jp). */
  placeholderEmailDomain?: string;
}

export function createJobcanConnector(options: JobcanConnectorOptions = {}) {
  return defineConnector({
    id: 'jobcan',
    displayName: 'ジョブカン勤怠管理',
    kind: 'attendance',
    description:
      'ジョブカン勤怠管理のスタッフ情報（氏名・入社日・退職日・ステータス・スタッフ種別・電話番号・生年月日）と連携します。',
    credentials: JobcanCredentials,
    fields: JOBCAN_FIELDS,
    limits: JOBCAN_LIMITS,
    hasDataAreas: false,
    async connect(credentials, context) {
      const client = createJobcanClient({
        hosts: JOBCAN.hosts[ENVIRONMENTS[credentials.environment]],
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        limits: JOBCAN_LIMITS,
        context,
      });
      // スタッフ種別 are read once per session; a failed read is tried again next time.
      let workKinds: Promise<WorkKind[]> | undefined;
      const masters = () =>
        (workKinds ??= client.workKinds().catch((error: unknown) => {
          workKinds = undefined;
          throw error;
        }));
      let groupList: Promise<Group[]> | undefined;
      const groups = () =>
        (groupList ??= client.groups().catch((error: unknown) => {
          groupList = undefined;
          throw error;
        }));
      const chosen = (value: string | undefined) => (value ? Number(value) : undefined);
      const defaults = {
        mainGroup: chosen(credentials.newMainGroup),
        workKind: chosen(credentials.newWorkKind),
      };
      /** A default that is no longer in Jobcan's masters: creates are refused with the reason. */
      const staleDefaults = async (kinds: readonly WorkKind[]): Promise<FieldIssue[]> => {
        const issues: FieldIssue[] = [];
        if (
          defaults.mainGroup !== undefined &&
          !(await groups()).some((group) => group.id === defaults.mainGroup)
        ) {
          issues.push({
            field: 'record',
            message: `連携設定の「新規登録時のメイングループ」（ID ${defaults.mainGroup}）がジョブカンにありません。連携設定で選び直してください。`,
          });
        }
        if (defaults.workKind !== undefined && !kinds.some((kind) => kind.id === defaults.workKind)) {
          issues.push({
            field: 'employmentType',
            message: `連携設定の「新規登録時のスタッフ種別」（ID ${defaults.workKind}）がジョブカンにありません。連携設定で選び直してください。`,
          });
        }
        return issues;
      };
      const onlyArea = (area: string) => {
        if (area !== IMPLICIT_DATA_AREA.id) {
          throw new ConnectorError('not_found', `ジョブカンにはデータ領域「${area}」がありません。`);
        }
      };

      /** The call a write makes, or why Jobcan would refuse it: what writing and checking share. */
      const prepare = (change: EmployeeWrite, kinds: readonly WorkKind[], stale: readonly FieldIssue[]) => {
        if (change.op === 'create') {
          if (stale.length > 0) return refusedCreate(stale);
          const mapped = toCreateBody(
            { ...change.values, employeeCode: change.employeeCode },
            kinds,
            options.placeholderEmailDomain,
            tokyoDate(context.clock.now()),
            defaults,
          );
          return mapped.ok ? { ok: true as const, send: () => client.create(mapped.body) } : mapped;
        }
        const mapped = toUpdateBody(change.changes, kinds);
        return mapped.ok
          ? { ok: true as const, send: () => client.update(change.employeeCode, mapped.body) }
          : mapped;
      };

      /** One write; Jobcan's refusal of this record is its result, anything else throws for apply. */
      const write = async (
        change: EmployeeWrite,
        kinds: readonly WorkKind[],
        stale: readonly FieldIssue[],
      ): Promise<WriteResult> => {
        const prepared = prepare(change, kinds, stale);
        if (!prepared.ok) return { employeeCode: change.employeeCode, ok: false, error: prepared.error };
        return settleWrite(change, prepared.send);
      };

      return {
        check: () => client.check(),
        listDataAreas: async () => [IMPLICIT_DATA_AREA],
        async *listEmployees(area) {
          onlyArea(area);
          const kinds = await masters();
          for await (const record of client.employees()) yield toListedEmployee(record, kinds);
        },
        async getEmployees(area, codes) {
          onlyArea(area);
          const kinds = await masters();
          const records = await Promise.all(codes.map((code) => client.employee(code)));
          return records
            .filter((record) => record !== undefined)
            .map((record) => toListedEmployee(record, kinds));
        },
        async writeEmployees(area, writes) {
          onlyArea(area);
          const kinds = await masters();
          const stale = writes.some((change) => change.op === 'create') ? await staleDefaults(kinds) : [];
          return Promise.all(writes.map((change) => write(change, kinds, stale)));
        },
        // The mapper's checks on the スタッフ種別 master (one read per session). Dates are left to
        // Jobcan: a plan carries them normalised to YYYY-MM-DD already.
        async checkWrites(area, writes) {
          onlyArea(area);
          const kinds = await masters();
          const stale = writes.some((change) => change.op === 'create') ? await staleDefaults(kinds) : [];
          return writes.flatMap((change) => {
            const prepared = prepare(change, kinds, stale);
            return prepared.ok ? [] : [{ employeeCode: change.employeeCode, issues: prepared.issues }];
          });
        },
        async newEmployeeDefaults(): Promise<NewEmployeeDefault[]> {
          const [groupChoices, kinds] = await Promise.all([groups(), masters()]);
          const setting = (
            key: 'newMainGroup' | 'newWorkKind',
            label: string,
            list: readonly { id: number; name: string }[],
          ): NewEmployeeDefault => {
            const value = credentials[key] || undefined;
            const found = list.find((entry) => String(entry.id) === value);
            return {
              key,
              label,
              choices: list.map((entry) => ({ value: String(entry.id), label: entry.name })),
              ...(value ? { value, valueLabel: found?.name ?? `ID ${value}（ジョブカンにありません）` } : {}),
            };
          };
          return [
            setting('newMainGroup', 'メイングループ', groupChoices),
            setting('newWorkKind', 'スタッフ種別', kinds),
          ];
        },
        async close() {},
      };
    },
  });
}

export const jobcanConnector = createJobcanConnector();
