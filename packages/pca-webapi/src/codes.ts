import { toHalfWidthKana } from './halfwidth.ts';
import { PCA } from './vendor.ts';

/**
 * How the company stores 社員コード: its 桁数 (4–13) and whether numeric codes are ０詰め to it.
 * Two separate company settings (会社基本情報); `source` says who told us.
 */
export interface CodeRule {
  width: number;
  fillZero: boolean;
  source: 'pca' | 'connection';
}

const digitsOnly = (code: string) => /^\d+$/.test(code);
const unpadded = (code: string) => code.replace(/^0+(?=\d)/, '');

/**
 * The match key of a 社員コード (NFKC, so ｱ and ア, Ａ and A are one): where the company fills
 * zeros, `123` and `000123` name the same employee and the key is the padded form PCA stores.
 */
export function canonicalCode(code: string, rule: CodeRule | undefined): string {
  const folded = code.normalize('NFKC').trim();
  if (!rule?.fillZero || !digitsOnly(folded)) return folded;
  return unpadded(folded).padStart(rule.width, '0');
}

export type VendorCodeResult = { ok: true; code: string } | { ok: false; message: string };

/**
 * The code as PCA stores it (半角英数カナ, ０詰め where the company fills zeros), or why PCA cannot
 * hold it. Without a known rule the code is only checked for its characters and the largest 桁数
 * (a look-up by an exact code is safe; a create is refused elsewhere).
 */
export function vendorCode(code: string, rule: CodeRule | undefined): VendorCodeResult {
  const half = toHalfWidthKana(code.trim());
  if (!PCA.employeeCode.characters.test(half)) {
    return {
      ok: false,
      message: `社員番号「${code}」はPCAの社員コードに使えません。半角英数字・半角カナで指定してください。`,
    };
  }
  const width = rule?.width ?? PCA.employeeCode.maxWidth;
  const stored = rule?.fillZero && digitsOnly(half) ? unpadded(half).padStart(width, '0') : half;
  if (stored.length > width) {
    return {
      ok: false,
      message: rule
        ? `社員番号「${code}」は${width}桁を超えています。この会社の社員コードは${width}桁までです（PCAの会社基本情報の桁数）。`
        : `社員番号「${code}」は${width}桁を超えています。PCAの社員コードは${width}桁までです。`,
    };
  }
  return { ok: true, code: stored };
}

/** The rule from the company record and the connection's override for what the record does not say. */
export function resolveCodeRule(
  company: { width?: number | undefined; fillZero?: boolean | undefined },
  override: { width?: number | undefined; fillZero?: boolean | undefined },
): CodeRule | undefined {
  const width = company.width ?? override.width;
  const fillZero = company.fillZero ?? override.fillZero;
  if (width === undefined || fillZero === undefined) return undefined;
  const fromPca = company.width !== undefined && company.fillZero !== undefined;
  return { width, fillZero, source: fromPca ? 'pca' : 'connection' };
}

/** Why a create cannot be sent while the company's code rule is unknown (never a guess). */
export const UNKNOWN_RULE_MESSAGE =
  'PCAの会社基本情報から社員コードの桁数と０詰めを読み取れませんでした。新規登録の前に、連携設定で「社員コードの桁数」と「社員コードの０詰め」を指定してください。';
