/** The calendar day in Japan (`YYYY-MM-DD`): 退職年月日 and 情報取得基準日 are Japanese days, not UTC ones. */
const tokyoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' });
export const tokyoDate = (epochMs: number): string => tokyoDay.format(epochMs);
