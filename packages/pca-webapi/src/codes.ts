import { PCA } from './vendor.ts';

/**
 * 社員コード per the data area's 桁数 setting. Where the area pads (width > 0), `123` and
 * `00123` name the same employee and the canonical code is the padded one PCA shows; where it
 * does not, they are two employees and codes are taken as they are.
 */
export function canonicalCode(code: string, width: number): string {
  const trimmed = code.normalize('NFKC').trim();
  if (width === 0 || !/^\d+$/.test(trimmed)) return trimmed;
  return trimmed.replace(/^0+(?=\d)/, '').padStart(width, '0');
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
  const significant = width > 0 ? trimmed.replace(/^0+(?=\d)/, '') : trimmed;
  if (significant.length > max) {
    return {
      ok: false,
      message: `社員番号「${code}」は${max}桁を超えています。このデータ領域の社員コードは${max}桁までです。`,
    };
  }
  return { ok: true, code: width > 0 ? significant.padStart(width, '0') : trimmed };
}
