import {
  type ConnectorContext,
  ConnectorError,
  type ConnectorSession,
  connectionLimiter,
  type DataArea,
  defaultDataArea,
  type EmployeeWrite,
  type FieldIssue,
  fiscalYearLabel,
  type ListedEmployee,
  type NewEmployeeDefault,
  toConnectorError,
  type WriteResult,
} from '@renkei/core';
import { z } from 'zod';
import { type BECommonDataArea, BEMaster, BEMasterSyain, type CompanyCodeSettings } from './api.ts';
import { type LoginGuard, openPcaLogin, type PcaCredentials, type PcaLogin } from './client.ts';
import { type CodeRule, canonicalCode, resolveCodeRule, vendorCode } from './codes.ts';
import {
  fromPca,
  MASTER_LABELS,
  type MapperContext,
  type Masters,
  type ToPcaResult,
  tokyoDate,
  toPcaCreate,
  toPcaModify,
} from './mapper.ts';
import type { PcaProduct } from './product.ts';
import { type PcaSettingsInput, pcaSettings } from './settings.ts';
import { PCA, PCA_LIMITS } from './vendor.ts';
import type { WriteOutcome } from './write-answers.ts';

interface AreaSession {
  login: PcaLogin;
  mapper: Omit<MapperContext, 'today'>;
}

/**
 * A connector session over PCA logins: one login per data area in use (SelectDataArea binds a
 * token to one area), the first one shared for FindDataArea. `close()` logs every login out,
 * whatever happened before; an aborted run logs out at once.
 */
export function openPcaSession(
  product: PcaProduct,
  credentials: PcaCredentials & PcaSettingsInput,
  context: ConnectorContext,
): ConnectorSession {
  const settings = pcaSettings(credentials);
  const limiter = connectionLimiter(PCA_LIMITS, context);
  const guard: LoginGuard = { lost: undefined };
  const logins: PcaLogin[] = [];
  let unbound: PcaLogin | undefined;
  const areas = new Map<string, Promise<AreaSession>>();
  /** 社員コードの桁数・０詰め per area (its company's), once read; undefined when nobody says. */
  const codeRules = new Map<string, CodeRule | undefined>();
  let closing: Promise<void> | undefined;

  const newLogin = () => {
    if (closing) throw new ConnectorError('cancelled', `${product.displayName}との接続は終了しています。`);
    const login = openPcaLogin({ product, credentials, context, limiter, guard });
    logins.push(login);
    return login;
  };
  const anyLogin = () => {
    if (logins[0]) return logins[0];
    unbound = newLogin();
    return unbound;
  };

  const openArea = async (name: string): Promise<AreaSession> => {
    const login = unbound ?? newLogin();
    unbound = undefined;
    try {
      await login.selectDataArea(name);
      const codeRule = resolveCodeRule(await companySettings(login), settings.codeOverride);
      codeRules.set(name, codeRule);
      const load = async (entity: string) => {
        const entries = [];
        for await (const page of login.find(entity, BEMaster, product.maxPageSize)) entries.push(...page);
        return entries.map((entry) => ({ code: entry.Code, name: entry.Name }));
      };
      const masters: Masters = {
        department: await load(PCA.entities.department),
        jobTitle: await load(PCA.entities.jobTitle),
        employmentType: await load(PCA.entities.employmentType),
        employeeCategory: product.employeeCategories ?? [],
      };
      return {
        login,
        mapper: { product, codeRule, address: settings.address, masters, newEmployee: settings.newEmployee },
      };
    } catch (error) {
      if (!login.area) unbound ??= login;
      throw error;
    }
  };
  const areaSession = (name: string): Promise<AreaSession> => {
    let session = areas.get(name);
    if (!session) {
      session = openArea(name);
      areas.set(name, session);
      session.catch(() => areas.delete(name));
    }
    return session;
  };
  const mapperContext = (session: AreaSession): MapperContext => ({
    ...session.mapper,
    today: tokyoDate(context.clock.now()),
  });

  const close = (): Promise<void> => {
    closing ??= (async () => {
      const results = await Promise.allSettled(logins.map((login) => login.logout()));
      for (const result of results) {
        if (result.status === 'rejected') {
          context.logger.error(`${product.displayName}からのログアウトに失敗しました`, {
            error: toConnectorError(result.reason).message,
          });
        }
      }
    })();
    return closing;
  };
  context.signal.addEventListener('abort', () => void close(), { once: true });

  return {
    async check() {
      await anyLogin().findDataAreas();
    },

    async listDataAreas(): Promise<DataArea[]> {
      const found = await anyLogin().findDataAreas();
      return found.map(toDataArea);
    },

    async *listEmployees(area) {
      const session = await areaSession(area);
      const context = mapperContext(session);
      for await (const page of session.login.find(PCA.entities.employee, z.unknown(), product.pageSize)) {
        for (const raw of page) yield listed(raw, context);
      }
    },

    employeeCodeKey(area) {
      if (codeRules.has(area)) {
        const rule = codeRules.get(area);
        return rule?.fillZero ? (code) => canonicalCode(code, rule) : undefined;
      }
      // A fresh session (a run's): the company's rule is read with the area's first call, before
      // the key is used.
      return (code) => {
        if (!codeRules.has(area)) {
          throw new Error(
            `PCA session: the 社員コード rule of data area ${area} is not known before it is read`,
          );
        }
        return canonicalCode(code, codeRules.get(area));
      };
    },

    // Each record comes back under the code it was asked by (`123` finds `000123` in a padding
    // area), so a caller matching by its own codes finds it.
    async getEmployees(area, codes) {
      const session = await areaSession(area);
      const { codeRule } = session.mapper;
      const asked = new Map<string, string[]>();
      for (const code of new Set(codes)) {
        const converted = vendorCode(code, codeRule);
        if (converted.ok) asked.set(converted.code, [...(asked.get(converted.code) ?? []), code]);
      }
      const records = await session.login.findEmployees([...asked.keys()]);
      const context = mapperContext(session);
      return records.flatMap((record) => {
        const listed = fromPca(record, context);
        return (asked.get(record.Code) ?? []).map((code) => withCode(listed, code));
      });
    },

    async writeEmployees(area, writes) {
      const session = await areaSession(area);
      return writeBatch(session, mapperContext(session), writes);
    },

    // Exactly the mapper's checks writeEmployees runs before sending, on the session's masters and
    // the current records (read in bulk: a modify keeps the 氏名 half it does not change). What only
    // PCA itself refuses (lengths, formats) still shows when writing; so does an update whose
    // record is gone (not_found is not a refusal of the values).
    async checkWrites(area, writes) {
      const session = await areaSession(area);
      const context = mapperContext(session);
      const current = await currentRecords(session, writes);
      return writes.flatMap((write) => {
        const mapped = mapWrite(write, current, context);
        return mapped.ok || 'missing' in mapped
          ? []
          : [{ employeeCode: write.employeeCode, issues: mapped.issues }];
      });
    },

    // 新規登録時の部門 / 社員区分, chosen from the masters of the current 処理年度's area (PCA keeps
    // masters per data area; a create in an area without the code is refused in the preview).
    async newEmployeeDefaults(): Promise<NewEmployeeDefault[]> {
      const listed = (await anyLogin().findDataAreas()).map(toDataArea);
      const area = defaultDataArea(listed, { today: tokyoDate(context.clock.now()) }) ?? listed[0]?.id;
      if (!area) return [];
      const { masters } = (await areaSession(area)).mapper;
      const setting = (
        key: 'newDepartment' | 'newEmployeeCategory',
        kind: 'department' | 'employeeCategory',
      ) => {
        const value = credentials[key]?.trim() || undefined;
        const found = masters[kind].find((entry) => entry.code === value);
        return {
          key,
          label: MASTER_LABELS[kind],
          choices: masters[kind].map((entry) => ({
            value: entry.code,
            label: `${entry.code} ${entry.name}`,
          })),
          ...(value
            ? { value, valueLabel: found?.name ?? `コード ${value}（${product.displayName}にありません）` }
            : {}),
        };
      };
      return [
        setting('newDepartment', 'department'),
        ...(product.employeeCategories ? [setting('newEmployeeCategory', 'employeeCategory')] : []),
      ];
    },

    close,
  };

  /** The current records of the updates among `writes`, by canonical code: one read per page of codes. */
  async function currentRecords(session: AreaSession, writes: readonly EmployeeWrite[]) {
    const { codeRule } = session.mapper;
    const codes = new Set<string>();
    for (const write of writes) {
      if (write.op !== 'update') continue;
      const converted = vendorCode(write.employeeCode, codeRule);
      if (converted.ok) codes.add(converted.code);
    }
    const current = new Map<string, BEMasterSyain>();
    const all = [...codes];
    for (let start = 0; start < all.length; start += product.maxPageSize) {
      for (const record of await session.login.findEmployees(all.slice(start, start + product.maxPageSize))) {
        current.set(canonicalCode(record.Code, codeRule), record);
      }
    }
    return current;
  }

  /** A write as the record PCA is sent, or the mapper's reasons to refuse it, or no record to modify. */
  function mapWrite(
    write: EmployeeWrite,
    current: ReadonlyMap<string, BEMasterSyain>,
    context: MapperContext,
  ): ToPcaResult | { ok: false; missing: true } {
    if (write.op === 'create') {
      return toPcaCreate({ ...write.values, employeeCode: write.employeeCode }, context);
    }
    const converted = vendorCode(write.employeeCode, context.codeRule);
    const existing = converted.ok ? current.get(canonicalCode(converted.code, context.codeRule)) : undefined;
    if (!existing) return { ok: false, missing: true };
    return toPcaModify(existing, write.changes, context);
  }

  async function writeBatch(session: AreaSession, context: MapperContext, writes: readonly EmployeeWrite[]) {
    const results: WriteResult[] = new Array(writes.length);
    const current = await currentRecords(session, writes);
    const batches: Record<'create' | 'modify', { index: number; record: BEMasterSyain }[]> = {
      create: [],
      modify: [],
    };
    writes.forEach((write, index) => {
      const mapped = mapWrite(write, current, context);
      if (mapped.ok)
        batches[write.op === 'create' ? 'create' : 'modify'].push({ index, record: mapped.record });
      else if ('missing' in mapped) {
        results[index] = failed(
          write,
          new ConnectorError(
            'not_found',
            `社員番号「${write.employeeCode}」は${product.displayName}に登録されていません。`,
          ),
        );
      } else results[index] = invalid(write, mapped.issues);
    });

    // At most 10 records per call. A call that fails is thrown for the engine to retry, split or
    // resolve; once an earlier call of this batch committed, the failure is ambiguous.
    let committed = false;
    for (const op of ['create', 'modify'] as const) {
      const pending = batches[op];
      for (let start = 0; start < pending.length; start += PCA.writeBatchSize) {
        const call = pending.slice(start, start + PCA.writeBatchSize);
        let answers: WriteOutcome[];
        try {
          answers = await session.login.write(
            op,
            call.map((item) => item.record),
          );
        } catch (error) {
          const reason = toConnectorError(error);
          if (!committed || reason.ambiguous) throw reason;
          throw new ConnectorError(reason.kind, reason.message, {
            retryable: reason.retryable,
            ...(reason.vendorCode ? { vendorCode: reason.vendorCode } : {}),
            ...(reason.status ? { status: reason.status } : {}),
            ambiguous: true,
            cause: error,
          });
        }
        committed = true;
        answers.forEach((answer, position) => {
          const { index } = call[position] as { index: number };
          const write = writes[index] as EmployeeWrite;
          results[index] = answer.ok
            ? { employeeCode: write.employeeCode, ok: true, op: write.op }
            : failed(
                write,
                new ConnectorError(
                  'validation',
                  `${product.displayName}が受け付けませんでした: ${answer.message ?? '理由不明'}`,
                ),
              );
        });
      }
    }
    return results;
  }
}

/**
 * What the company record says of 社員コード; a product without the record (not found) says nothing,
 * and the connection's own setting decides.
 */
async function companySettings(login: PcaLogin): Promise<CompanyCodeSettings> {
  try {
    return await login.company();
  } catch (error) {
    if (toConnectorError(error).kind === 'not_found') return { width: undefined, fillZero: undefined };
    throw error;
  }
}

function listed(raw: unknown, context: MapperContext): ListedEmployee {
  const parsed = BEMasterSyain.safeParse(raw);
  if (parsed.success) return fromPca(parsed.data, context);
  const code = (raw as { Code?: unknown } | null)?.Code;
  return {
    ok: false,
    ...(typeof code === 'string' ? { employeeCode: code.trim() } : {}),
    issues: parsed.error.issues.map((issue) => ({
      field: 'record' as const,
      message: `PCAの社員データの項目 ${issue.path.join('.')} を読み取れません。`,
    })),
    raw,
  };
}

function withCode(listed: ListedEmployee, employeeCode: string): ListedEmployee {
  return listed.ok
    ? { ...listed, employee: { ...listed.employee, employeeCode } }
    : { ...listed, employeeCode };
}

function failed(write: EmployeeWrite, error: ConnectorError): WriteResult {
  return { employeeCode: write.employeeCode, ok: false, error: error.toJSON() };
}

function invalid(write: EmployeeWrite, issues: FieldIssue[]): WriteResult {
  return failed(write, new ConnectorError('validation', issues.map((issue) => issue.message).join(' ')));
}

/** `20260101` → `2026-01-01`; undefined for PCA's `0` (no date) or anything else. */
const isoDate = (value: number | undefined): string | undefined =>
  value === undefined ? undefined : /^(\d{4})(\d{2})(\d{2})$/.exec(String(value))?.slice(1).join('-');

/**
 * An area as the wizard shows it: PCA keeps one area per 処理年度 (年次更新 creates the next), so it is
 * named by its company and year — 「株式会社… 2026年度（2026/01〜12）」 — with its 期 and PCA's own
 * name beside. `group` (the company) and `period` let the wizard preselect the current year.
 */
function toDataArea(area: BECommonDataArea): DataArea {
  const start = isoDate(area.CompanyTermStart);
  const end = isoDate(area.CompanyTermEnd);
  const period = start && end ? { start, end } : undefined;
  const term = area.CompanyTerm === undefined ? '' : `第${area.CompanyTerm}期`;
  return {
    id: area.Name,
    name: `${area.CompanyName} ${period ? fiscalYearLabel(period) : term || area.Name}`,
    description: [period ? term : '', area.Name].filter(Boolean).join(' / '),
    group: area.CompanyCode,
    ...(period ? { period } : {}),
  };
}
