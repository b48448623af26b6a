import { PCA } from './vendor.ts';

/**
 * 社員コード per the data area's 桁数 setting. Where the area pads (width > 0), PCA stores
 * `00123` and `123` names the same employee; where it does not, they are two employees.
 * Canonically a padded area's codes carry no leading zeros, so both spellings meet in one key.
 */
export function canonicalCode(vendorCode: string, width: number): string {
  const code = vendorCode.trim();
  if (width === 0 || !/^\d+$/.test(code)) return code;
  return code.replace(/^0+(?=\d)/, '');
}

export type VendorCodeResult = { ok: true; code: string } | { ok: false; message: string };

/** The code as the area stores it, or why PCA cannot hold it. */
export function vendorCode(code: string, width: number): VendorCodeResult {
  const trimmed = code.normalize('NFKC').trim();
  if (!/^\d+$/.test(trimmed)) {
    return {
      ok: false,
      message: `社員番号「${code}」はPCAの社員コードに使えません。数字のみで指定してください。`,
    };
  }
  const max = width > 0 ? width : PCA.employeeCodeMaxLength;
  const significant = width > 0 ? canonicalCode(trimmed, width) : trimmed;
  if (significant.length > max) {
    return {
      ok: false,
      message: `社員番号「${code}」は${max}桁を超えています。このデータ領域の社員コードは${max}桁までです。`,
    };
  }
  return { ok: true, code: width > 0 ? significant.padStart(width, '0') : trimmed };
}
