import { toFullWidthKatakana } from '@renkei/core';

/**
 * PCA keeps フリガナ and parts of 社員コード in 半角カナ, and counts its name lengths in 半角 units
 * (a 全角 character takes two). These helpers bring text to that form and measure it.
 */

const FULL =
  'ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユョヨラリルレロワヲンー・「」、。';
const HALF = 'ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ･｢｣､｡';
const SINGLE = new Map([...FULL].map((char, index) => [char, HALF[index] as string]));
const VOICED = 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ';
const SEMI_VOICED = 'パピプペポ';
const DAKUTEN = 'ﾞ';
const HANDAKUTEN = 'ﾟ';

/** The unvoiced kana of a voiced one (ガ → カ): one code point below in the katakana block. */
const unvoiced = (char: string, step: number) => String.fromCharCode(char.charCodeAt(0) - step);

/**
 * 半角カナ of a reading: hiragana and 全角カナ become 半角 (ガ → ｶﾞ), 全角 letters, digits and
 * spaces become 半角 (NFKC). Characters with no 半角 form (ヰ, 漢字) are kept, so a check can name them.
 */
export function toHalfWidthKana(input: string): string {
  let out = '';
  for (const char of toFullWidthKatakana(input)) {
    const single = SINGLE.get(char);
    if (single) out += single;
    else if (VOICED.includes(char)) out += `${SINGLE.get(unvoiced(char, 1))}${DAKUTEN}`;
    else if (SEMI_VOICED.includes(char)) out += `${SINGLE.get(unvoiced(char, 2))}${HANDAKUTEN}`;
    else if (char === 'ヴ') out += `ｳ${DAKUTEN}`;
    else out += char;
  }
  return out;
}

/** Only 半角 characters: ASCII printable and 半角カナ (U+FF61–FF9F). */
export const isHalfWidth = (text: string): boolean => /^[\x20-\x7E\uFF61-\uFF9F]*$/.test(text);

/** 半角カナ (with the voicing marks and the long-vowel mark) and the 半角 space. */
export const isHalfWidthKana = (text: string): boolean => /^[\uFF66-\uFF9F ]*$/.test(text);

/** Length in 半角 units: a 半角 character counts one, any other two (全角10 = 半角20). */
export function halfWidthUnits(text: string): number {
  let units = 0;
  for (const char of text) units += isHalfWidth(char) ? 1 : 2;
  return units;
}
