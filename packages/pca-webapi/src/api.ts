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
});
export type BECommonDataArea = z.infer<typeof BECommonDataArea>;

/**
 * 会社基本情報 of the selected area's company (modelled on 会計's `BEComp`): 社員コード桁数 and ０詰め
 * as two fields, either of which a company record may lack.
 */
export const BEComp = z
  .object({
    BEVersion: z.number().int().optional(),
    [PCA.company.codeLength]: z
      .number()
      .int()
      .min(PCA.employeeCode.minWidth)
      .max(PCA.employeeCode.maxWidth)
      .optional(),
    [PCA.company.codeFillZero]: z.enum([PCA.company.fillZero.on, PCA.company.fillZero.off]).optional(),
    [PCA.company.previousArea]: z.string().optional(),
  })
  .transform((value) => ({
    width: value[PCA.company.codeLength] as number | undefined,
    fillZero:
      value[PCA.company.codeFillZero] === undefined
        ? undefined
        : value[PCA.company.codeFillZero] === PCA.company.fillZero.on,
  }));
export type CompanyCodeSettings = z.output<typeof BEComp>;

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

/**
 * The employee entity (field names modelled); the bank slots 2–3 and `SyainKubun` exist in 給与 hyper
 * only. 姓/名 and their フリガナ are separate fields (confirmed); `ZipCode`/`Address1`/`Address2` are
 * the 現住所 and the `Jumin…` fields the 住民票住所 (both confirmed to exist since Rev 6.30, names
 * modelled), as are the personal (`TelNo`, `MailAddress`) and company (`Kaisya…`) contacts.
 */
export const BEMasterSyain = z.object({
  BEVersion: z.number().int().optional(),
  Id: z.number().int().optional(),
  Code: z.string(),
  Sei: text,
  Mei: text,
  SeiKana: text,
  MeiKana: text,
  BirthDate: PcaDate.optional(),
  Sex: z.number().int().optional(),
  NyusyaDate: PcaDate.optional(),
  TaisyokuDate: PcaDate.optional(),
  /** 退職区分 (modelled): PCA's own retired state; a 退職者 may have no 退職日. */
  TaisyokuKubun: z.number().int().optional(),
  BumonCode: code,
  YakusyokuCode: code,
  KoyoKubun: code,
  SyainKubun: code,
  ZipCode: text,
  Address1: text,
  Address2: text,
  JuminZipCode: text,
  JuminAddress1: text,
  JuminAddress2: text,
  TelNo: text,
  MailAddress: text,
  KeitaiTelNo: text,
  KaisyaTelNo: text,
  KaisyaMailAddress: text,
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

const RecordStatus = z.enum([PCA.recordStatus.success, PCA.recordStatus.failure]);

/** One record's outcome inside a bulk write's answer, modelled shape (`Status`). */
export const BEResult = z.object({
  Status: RecordStatus,
  ErrorMessage: z.string().nullable().optional(),
  Code: z.string().optional(),
  Target: BEMasterSyain.nullable().optional(),
});
export type BEResult = z.infer<typeof BEResult>;

/** One record's outcome in the 商魂 shape (`InnerStatus`; `Target` is the entity envelope). */
export const BEIntegrationResult = z.object({
  InnerStatus: RecordStatus,
  ErrorMessage: z.string().nullable().optional(),
  Target: z.unknown().optional(),
});

const { entities } = PCA;
export const schemas = {
  dataAreas: listOf(entities.dataArea, BECommonDataArea),
  dataArea: single(entities.dataArea, BECommonDataArea),
  company: single(entities.company, BEComp),
  employees: listOf(entities.employee, BEMasterSyain),
  masters: (entity: string) => listOf(entity, BEMaster),
  writeResults: listOf(resultEntity(entities.employee), BEResult),
};
