// The password policy: long enough, and not guessable from the account's own e-mail or name.

export const MIN_PASSWORD_LENGTH = 12;

/** Lower-case, width-folded letters and digits only: `Hanako.Sato-1` and `ｈａｎａｋｏsato1` compare equal. */
const fold = (value: string) =>
  value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Characters a password must have of its own once the account's e-mail and name are taken out. */
export const OWN_CHARACTERS = 8;

/**
 * Whether the password is the e-mail's local part or the name (or one of its parts) in disguise: a
 * few edits away from one, part of one, or — once every occurrence of them is taken out — fewer
 * than OWN_CHARACTERS letters and digits of its own. Parts shorter than 3 characters (an initial,
 * 花子's 2 kanji) are only refused as the whole password.
 */
function resembles(password: string, words: readonly string[]): boolean {
  const folded = fold(password);
  let own = folded;
  for (const word of words) {
    if (word.length === 0) continue;
    if (folded === word) return true;
    if (word.length < 3) continue;
    if (word.includes(folded) || editDistance(folded, word) <= 3) return true;
    own = own.split(word).join('');
  }
  return own !== folded && [...own].length < OWN_CHARACTERS;
}

/** The Japanese message for a password the policy refuses, or undefined when it is acceptable. */
export function passwordProblem(
  password: string,
  owner: { email: string; name: string },
): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `パスワードは${MIN_PASSWORD_LENGTH}文字以上にしてください。`;
  }
  const localPart = fold(owner.email.split('@')[0] ?? '');
  const nameParts = owner.name.split(/[\s\u3000]+/u).map(fold);
  if (resembles(password, [fold(owner.email), localPart, fold(owner.name), ...nameParts])) {
    return `パスワードがメールアドレスや名前に似ています。それらを除いても${OWN_CHARACTERS}文字以上残るものにしてください。`;
  }
  return undefined;
}
