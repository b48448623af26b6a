import { z } from 'zod';
import { PCA } from './vendor.ts';

/**
 * PCA Web-API payloads as zod schemas: the only place PCA's entity and field names appear.
 * The envelopes are confirmed; the employee entity's field names are modelled (docs/vendors.md).
 */

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const ErrorBody = z.object({ Code: z.string(), Message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** `{"BE<Entity>":{…}}` → the record. */
export function single<T extends z.ZodType>(entity: string, item: T): z.ZodType<z.output<T>> {
  const key = `BE${entity}`;
  return z.object({ [key]: item }).transform((value) => value[key] as z.output<T>);
}

/**
 * `{"ArrayOfBE<Entity>":{"BE<Entity>":[…]}}` → the records. The empty list is
 * `{"ArrayOfBE<Entity>":{}}`, and a one-record list may arrive as an object (an XML-serialiser habit).
 */
export function listOf<T extends z.ZodType>(entity: string, item: T): z.ZodType<z.output<T>[]> {
  const outer = `ArrayOfBE${entity}`;
  const inner = `BE${entity}`;
  return z
    .object({ [outer]: z.object({ [inner]: z.union([z.array(item), item]).optional() }) })
    .transform((value) => {
      const items = (value[outer] as Record<string, unknown>)[inner] as
        | z.output<T>
        | z.output<T>[]
        | undefined;
      if (items === undefined) return [];
      return Array.isArray(items) ? items : [items];
    });
}

/** A list envelope (a bulk call's body, a list answer); an empty list is `{"ArrayOfBE<Entity>":{}}`. */
export function wrapList(entity: string, items: readonly unknown[]): Record<string, unknown> {
  return { [`ArrayOfBE${entity}`]: items.length === 0 ? {} : { [`BE${entity}`]: items } };
}

export const conditionEntity = (entity: string) => `${entity}Condition`;
export const resultEntity = (entity: string) => `ResultOf${entity}`;

/** A `YYYYMMDD` date as PCA sends it: an int, or a string without dashes; `0` means none. */
export const PcaDate = z
  .union([z.number().int().nonnegative(), z.string().regex(/^(\d{8}|0)$/)])
  .transform((value) => Number(value));

export const BECommonDataArea = z.object({
  Name: z.string(),
  DataVersion: z.string().optional(),
  CompanyCode: z.string(),
  CompanyName: z.string(),
  CompanyKane: z.string().optional(),
  CompanyTerm: z.number().optional(),
  CompanyTermStart: PcaDate.optional(),
  CompanyTermEnd: PcaDate.optional(),
  StatusDescription: z.string().optional(),
  UpdateTime: z.string().optional(),
  /** Modelled: 社員コード桁数; codes are zero-padded to this width, 0 = no padding. */
  SyainCodeLength: z.number().int().nonnegative().default(0),
});
export type BECommonDataArea = z.infer<typeof BECommonDataArea>;

/** The 給与振込口座 blocks: slot 1 in both products, slots 2 and 3 in 給与 hyper only. */
export const BANK_SLOTS = [
  {
    bankCode: 'GinkoCode',
    branchCode: 'SitenCode',
    accountType: 'YokinSyumoku',
    accountNumber: 'KozaNo',
    holderKana: 'KozaMeigi',
  },
  {
    bankCode: 'GinkoCode2',
    branchCode: 'SitenCode2',
    accountType: 'YokinSyumoku2',
    accountNumber: 'KozaNo2',
    holderKana: 'KozaMeigi2',
  },
  {
    bankCode: 'GinkoCode3',
    branchCode: 'SitenCode3',
    accountType: 'YokinSyumoku3',
    accountNumber: 'KozaNo3',
    holderKana: 'KozaMeigi3',
  },
] as const;
export type BankSlot = (typeof BANK_SLOTS)[number];

/** 預金種目: 1 普通, 2 当座. */
export const ACCOUNT_TYPES = { ordinary: 1, checking: 2 } as const;

const text = z.string().optional();
const code = z.string().optional();
const accountType = z.number().int().optional();

/** The employee entity; the bank slots 2–3 and `SyainKubun` exist in 給与 hyper only. */
export const BEMasterSyain = z.object({
  BEVersion: z.number().int().optional(),
  Id: z.number().int().optional(),
  Code: z.string(),
  Name: text,
  Kana: text,
  BirthDate: PcaDate.optional(),
  Sex: z.number().int().optional(),
  NyusyaDate: PcaDate.optional(),
  TaisyokuDate: PcaDate.optional(),
  BumonCode: code,
  YakusyokuCode: code,
  KoyoKubun: code,
  SyainKubun: code,
  ZipCode: text,
  Address1: text,
  Address2: text,
  TelNo: text,
  MailAddress: text,
  GinkoCode: code,
  SitenCode: code,
  YokinSyumoku: accountType,
  KozaNo: code,
  KozaMeigi: text,
  GinkoCode2: code,
  SitenCode2: code,
  YokinSyumoku2: accountType,
  KozaNo2: code,
  KozaMeigi2: text,
  GinkoCode3: code,
  SitenCode3: code,
  YokinSyumoku3: accountType,
  KozaNo3: code,
  KozaMeigi3: text,
  UpdateTime: z.string().optional(),
});
export type BEMasterSyain = z.infer<typeof BEMasterSyain>;
export type SyainField = keyof BEMasterSyain;

/** 部門, 役職, 雇用区分: code and name. */
export const BEMaster = z.object({
  BEVersion: z.number().int().optional(),
  Code: z.string(),
  Name: z.string(),
});
export type BEMaster = z.infer<typeof BEMaster>;

export const BESyainCondition = z.object({ Code: z.string() });

/** One record's outcome inside a bulk write's answer. */
export const BEResult = z.object({
  Status: z.enum([PCA.recordStatus.success, PCA.recordStatus.failure]),
  ErrorMessage: z.string().nullable().optional(),
  Code: z.string().optional(),
  Target: BEMasterSyain.nullable().optional(),
});
export type BEResult = z.infer<typeof BEResult>;

const { entities } = PCA;
export const schemas = {
  dataAreas: listOf(entities.dataArea, BECommonDataArea),
  dataArea: single(entities.dataArea, BECommonDataArea),
  employees: listOf(entities.employee, BEMasterSyain),
  masters: (entity: string) => listOf(entity, BEMaster),
  writeResults: listOf(resultEntity(entities.employee), BEResult),
};
