import type { BankAccount, OrgRef } from '@renkei/core';

/** The master lists fakes seed so their 部署 / 役職 / 雇用形態 match generated employees. */
export const DEPARTMENTS: readonly Required<OrgRef>[] = [
  { code: '100', name: '経営企画部' },
  { code: '110', name: '総務部' },
  { code: '120', name: '人事部' },
  { code: '130', name: '経理部' },
  { code: '200', name: '営業部' },
  { code: '210', name: 'マーケティング部' },
  { code: '300', name: '開発部' },
  { code: '310', name: '情報システム部' },
  { code: '400', name: '製造部' },
  { code: '410', name: '品質管理部' },
  { code: '500', name: '物流部' },
  { code: '600', name: 'カスタマーサポート部' },
];

/** Relative headcount per department, by code. */
export const DEPARTMENT_WEIGHTS: Readonly<Record<string, number>> = {
  '100': 2,
  '110': 3,
  '120': 2,
  '130': 3,
  '200': 12,
  '210': 4,
  '300': 10,
  '310': 3,
  '400': 10,
  '410': 3,
  '500': 5,
  '600': 6,
};

export interface JobTitle extends Required<OrgRef> {
  /** Youngest plausible age for the title. */
  minAge: number;
  /** A 管理職 title (drives 社員区分). */
  manager: boolean;
}

export const JOB_TITLES: readonly JobTitle[] = [
  { code: '10', name: '部長', minAge: 40, manager: true },
  { code: '20', name: '次長', minAge: 38, manager: true },
  { code: '30', name: '課長', minAge: 33, manager: true },
  { code: '40', name: '係長', minAge: 28, manager: false },
  { code: '50', name: '主任', minAge: 25, manager: false },
  { code: '90', name: '一般', minAge: 18, manager: false },
];

export interface EmploymentType extends Required<OrgRef> {
  /** The name HR systems such as SmartHR use where it differs from Jobcan's スタッフ種別. */
  aliases: readonly string[];
}

/** Named as Jobcan's default スタッフ種別; `aliases` carries the SmartHR / PCA wording. */
export const EMPLOYMENT_TYPES: readonly EmploymentType[] = [
  { code: '1', name: '社員', aliases: ['正社員'] },
  { code: '2', name: '契約社員', aliases: [] },
  { code: '3', name: 'パートタイマー', aliases: ['パート'] },
  { code: '4', name: 'アルバイト', aliases: [] },
  { code: '5', name: '派遣社員', aliases: [] },
];

/** Finds an employment type by its Jobcan name or any alias (`正社員` → `社員`). */
export function findEmploymentType(name: string): EmploymentType | undefined {
  const wanted = name.trim();
  return EMPLOYMENT_TYPES.find((type) => type.name === wanted || type.aliases.includes(wanted));
}

/** 社員区分 (PCA hyper's SyainKubun). */
export const EMPLOYEE_CATEGORIES: readonly Required<OrgRef>[] = [
  { code: '1', name: '一般' },
  { code: '2', name: '管理職' },
  { code: '3', name: '嘱託' },
];

/** Real 金融機関コード of banks many employees are paid into. */
export const BANKS: readonly { code: string; name: string; weight: number }[] = [
  { code: '0001', name: 'みずほ銀行', weight: 5 },
  { code: '0005', name: '三菱UFJ銀行', weight: 6 },
  { code: '0009', name: '三井住友銀行', weight: 5 },
  { code: '0010', name: 'りそな銀行', weight: 2 },
  { code: '0017', name: '埼玉りそな銀行', weight: 1 },
  { code: '0033', name: 'PayPay銀行', weight: 1 },
  { code: '0036', name: '楽天銀行', weight: 2 },
  { code: '0038', name: '住信SBIネット銀行', weight: 1 },
  { code: '9900', name: 'ゆうちょ銀行', weight: 3 },
];

export const ACCOUNT_TYPES: readonly (readonly [BankAccount['accountType'], number])[] = [
  ['ordinary', 95],
  ['checking', 3],
  ['savings', 2],
];
