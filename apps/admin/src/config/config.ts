// The one configuration loader of the demo, `renkei serve`, `renkei worker` and `renkei users`: one
// zod schema over the environment, a message per bad variable (Japanese / English), never a throw.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseVendorOverrides, type VendorOverride } from './vendor-urls.ts';

/** `cli`: renkei plan / apply / runs (the same database and key as serve). */
export type Mode = 'demo' | 'serve' | 'worker' | 'users' | 'cli';

/** Exit status for a configuration error (sysexits' EX_CONFIG). */
export const EXIT_CONFIG = 78;

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
/** Where PGlite keeps its data when RENKEI_DATA_DIR is not set. */
export const DEFAULT_DATA_DIR: Record<'demo' | 'serve', string> = {
  demo: resolve(REPO, '.data'),
  serve: resolve(REPO, 'data'),
};

export interface Variable {
  name: string;
  /** Japanese, then English. */
  ja: string;
  en: string;
  default?: string;
}

/** Every variable, in the order `renkei serve --help` and the README list them. */
export const VARIABLES: readonly Variable[] = [
  {
    name: 'DATABASE_URL',
    ja: 'PostgreSQL サーバー（postgres://…）。未設定なら RENKEI_DATA_DIR の PGlite',
    en: 'a PostgreSQL server (postgres://…); unset: embedded PGlite in RENKEI_DATA_DIR',
  },
  {
    name: 'RENKEI_DATA_DIR',
    ja: 'PGlite のデータフォルダー',
    en: 'the PGlite data folder',
    default: 'data/（デモは .data/）',
  },
  {
    name: 'RENKEI_SECRET_KEY',
    ja: '認証情報の暗号鍵（32 バイトの base64）。serve では必須（またはファイル）',
    en: 'the credentials key (base64 of 32 bytes); serve requires it or the file',
  },
  {
    name: 'RENKEI_SECRET_KEY_FILE',
    ja: '暗号鍵を書いたファイル（データフォルダーの外に置く）',
    en: 'a file holding the key (outside the data folder)',
  },
  { name: 'HOST', ja: '待ち受けるアドレス', en: 'the address to listen on', default: '127.0.0.1' },
  { name: 'PORT', ja: '待ち受けるポート', en: 'the port to listen on', default: '3000' },
  {
    name: 'RENKEI_PUBLIC_URL',
    ja: '利用者が開く URL（表示する初期設定リンクに使う）',
    en: 'the URL users open (used in the printed set-up link)',
  },
  {
    name: 'SMTP_URL',
    ja: '通知メールの SMTP サーバー（smtp:// または smtps://）',
    en: 'SMTP server for mail',
  },
  {
    name: 'RENKEI_MAIL_FROM',
    ja: '通知メールの差出人',
    en: 'the sender of notification mails',
    default: 'renkei@localhost',
  },
  {
    name: 'RENKEI_TRUST_PROXY',
    ja: '1: リバースプロキシの X-Forwarded-Proto を信頼する',
    en: '1: trust X-Forwarded-Proto from the reverse proxy',
    default: '0',
  },
  {
    name: 'RENKEI_WORKER',
    ja: '0: このプロセスでは同期を実行せず renkei worker に任せる',
    en: '0: leave the sync work to renkei worker processes',
    default: '1',
  },
  {
    name: 'RENKEI_WEBHOOK_ALLOW_LOOPBACK',
    ja: 'テスト専用。1: Webhook の送信先に http://127.0.0.1 などループバックを許す（本番では使わない）',
    en: 'tests only: 1 lets webhooks go to loopback http:// receivers; never in production',
    default: '0',
  },
  {
    name: 'RENKEI_SESSION_IDLE_MINUTES',
    ja: '使われないまま経つとログインが切れる時間（分）',
    en: 'minutes unused after which a session ends',
    default: '120',
  },
  {
    name: 'RENKEI_SESSION_MAX_HOURS',
    ja: 'ログインしてから使い続けても切れる時間（時間）',
    en: 'hours after sign-in after which a session ends however busy',
    default: '12',
  },
  {
    name: 'RENKEI_IMPORT_MAX_MB',
    ja: '従業員 CSV 取り込みで受け付ける最大のファイルサイズ（MB）',
    en: 'the largest HR master CSV upload accepted, in MB',
    default: '20',
  },
  {
    name: 'RENKEI_VENDOR_BASE_URLS',
    ja: 'テスト専用。連携先を模擬サーバーに向ける（ループバックのみ、本番では使わない）',
    en: 'tests only: point vendors at loopback fakes; never in production',
  },
];

export interface RenkeiConfig {
  mode: Mode;
  database: { databaseUrl: string } | { dataDir: string };
  /** base64 of 32 bytes; undefined only in the demo (which generates one beside its data folder). */
  secretKey: string | undefined;
  host: string;
  port: number;
  publicUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  trustProxy: boolean;
  /** Whether this process works the queue. */
  worker: boolean;
  /** When a session ends: unused this long, or this long after sign-in. */
  session: { idleMs: number; absoluteMs: number };
  /** The largest CSV upload `/employees/import` reads. */
  maxImportBytes: number;
  vendorOverrides: VendorOverride[];
  /** Outgoing webhooks may go to loopback http:// receivers (tests only). */
  webhookAllowLoopback: boolean;
}

export interface ConfigError {
  variable: string;
  message: string;
}

export type ConfigResult = { ok: true; config: RenkeiConfig } | { ok: false; errors: ConfigError[] };

const both = (ja: string, en: string) => `${ja} / ${en}`;

/** An unset and an empty variable are the same (compose files often pass `VAR=`). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const flag = (name: string) =>
  optional(
    z.enum(['0', '1', 'true', 'false'], {
      error: both(`${name} は 0 か 1 で指定してください。`, `${name} must be 0 or 1.`),
    }),
  ).transform((value) => value === '1' || value === 'true');

const urlWith = (protocols: readonly string[], ja: string, en: string) =>
  z.string().refine((value) => protocols.includes(URL.parse(value)?.protocol ?? ''), both(ja, en));

const KEY_MESSAGE = both(
  '32 バイトを base64 で書いた値にしてください（例: openssl rand -base64 32）。',
  'must be 32 bytes in base64 (e.g. openssl rand -base64 32).',
);
const isKey = (value: string) =>
  /^[A-Za-z0-9+/=\s]+$/.test(value) && Buffer.from(value.trim(), 'base64').length === 32;

/** A whole number from 1 to `max` (a unit the variable's name says), or the default when unset. */
const whole = (max: number, fallback: number) =>
  optional(
    z
      .string()
      .regex(/^\d+$/, both(`1〜${max} の整数にしてください。`, `must be an integer from 1 to ${max}.`))
      .transform(Number)
      .refine(
        (value) => value >= 1 && value <= max,
        both(`1〜${max} の整数にしてください。`, `must be an integer from 1 to ${max}.`),
      ),
  ).transform((value) => value ?? fallback);

const EnvSchema = z.object({
  DATABASE_URL: optional(
    urlWith(
      ['postgres:', 'postgresql:'],
      'postgres://ユーザー:パスワード@ホスト:5432/データベース の形にしてください。',
      'must be a postgres:// URL.',
    ),
  ),
  RENKEI_DATA_DIR: optional(z.string()),
  RENKEI_SECRET_KEY: optional(z.string().refine(isKey, KEY_MESSAGE)),
  RENKEI_SECRET_KEY_FILE: optional(z.string()),
  HOST: optional(
    z
      .string()
      .regex(
        /^(\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9.-]+)$/,
        both('IP アドレスかホスト名にしてください。', 'must be an IP address or a host name.'),
      ),
  ).transform((value) => value ?? '127.0.0.1'),
  PORT: optional(
    z
      .string()
      .regex(/^\d{1,5}$/, both('0〜65535 の整数にしてください。', 'must be an integer from 0 to 65535.'))
      .transform(Number)
      .refine(
        (port) => port <= 65_535,
        both('0〜65535 の整数にしてください。', 'must be an integer from 0 to 65535.'),
      ),
  ).transform((value) => value ?? 3000),
  RENKEI_PUBLIC_URL: optional(
    urlWith(['http:', 'https:'], 'https:// で始まる URL にしてください。', 'must be an http(s):// URL.')
      .refine(
        (value) => !URL.parse(value)?.search && !URL.parse(value)?.hash,
        both('? や # を含めないでください。', 'must not have a query or fragment.'),
      )
      .transform((value) => value.replace(/\/+$/, '')),
  ),
  SMTP_URL: optional(
    urlWith(
      ['smtp:', 'smtps:'],
      'smtp:// または smtps:// で始まる URL にしてください。',
      'must be an smtp:// or smtps:// URL.',
    ),
  ),
  RENKEI_MAIL_FROM: optional(
    z
      .string()
      .refine(
        (value) => z.email().safeParse(/<([^>]+)>\s*$/.exec(value)?.[1] ?? value.trim()).success,
        both(
          'メールアドレス（または 名前 <アドレス>）にしてください。',
          'must be an address or Name <address>.',
        ),
      ),
  ),
  RENKEI_TRUST_PROXY: flag('RENKEI_TRUST_PROXY'),
  RENKEI_WORKER: optional(
    z.enum(['0', '1'], { error: both('0 か 1 で指定してください。', 'must be 0 or 1.') }),
  ).transform((value) => value !== '0'),
  // A week idle, a month in all, 1 GB of CSV: beyond these a value is a mistake, not a wish.
  RENKEI_SESSION_IDLE_MINUTES: whole(7 * 24 * 60, 120),
  RENKEI_SESSION_MAX_HOURS: whole(31 * 24, 12),
  RENKEI_IMPORT_MAX_MB: whole(1024, 20),
  RENKEI_VENDOR_BASE_URLS: optional(z.string()),
  RENKEI_WEBHOOK_ALLOW_LOOPBACK: flag('RENKEI_WEBHOOK_ALLOW_LOOPBACK'),
});

/** Whether `path` is `folder` or inside it (symbolic links resolved where the paths exist). */
function isInside(path: string, folder: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p));
  const rel = relative(real(folder), real(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Reads the configuration of `mode` from `env`. Every bad variable is reported at once; nothing is
 * created or written here (the demo's key file is the hub's business).
 */
export function loadConfig(env: Record<string, string | undefined>, mode: Mode): ConfigResult {
  const errors: ConfigError[] = [];
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push({ variable: String(issue.path[0]), message: issue.message });
    }
  }
  const vars = parsed.success ? parsed.data : undefined;

  let vendorOverrides: VendorOverride[] = [];
  if (vars?.RENKEI_VENDOR_BASE_URLS !== undefined) {
    const result = parseVendorOverrides(vars.RENKEI_VENDOR_BASE_URLS);
    if (result.ok) vendorOverrides = result.overrides;
    else errors.push({ variable: 'RENKEI_VENDOR_BASE_URLS', message: result.message });
  }

  const dataDir = resolve(
    (env.RENKEI_DATA_DIR || undefined) ?? DEFAULT_DATA_DIR[mode === 'demo' ? 'demo' : 'serve'],
  );
  const databaseUrl = vars?.DATABASE_URL;
  if (mode === 'worker' && !env.DATABASE_URL) {
    errors.push({
      variable: 'DATABASE_URL',
      message: both(
        'renkei worker は PostgreSQL サーバーで動きます。DATABASE_URL を設定してください。',
        'renkei worker needs a PostgreSQL server: set DATABASE_URL.',
      ),
    });
  }

  // Presence from the raw environment: a malformed key is its own error, not a missing one.
  const keyGiven = Boolean(env.RENKEI_SECRET_KEY);
  let secretKey = vars?.RENKEI_SECRET_KEY;
  const keyFile = env.RENKEI_SECRET_KEY_FILE || undefined;
  if (keyGiven && keyFile !== undefined) {
    errors.push({
      variable: 'RENKEI_SECRET_KEY_FILE',
      message: both(
        'RENKEI_SECRET_KEY と RENKEI_SECRET_KEY_FILE はどちらか一方だけ設定してください。',
        'set RENKEI_SECRET_KEY or RENKEI_SECRET_KEY_FILE, not both.',
      ),
    });
  } else if (keyFile !== undefined) {
    if (!databaseUrl && isInside(keyFile, dataDir)) {
      errors.push({
        variable: 'RENKEI_SECRET_KEY_FILE',
        message: both(
          `鍵ファイルをデータフォルダー（${dataDir}）の中に置かないでください。フォルダーのコピーに鍵が含まれてしまいます。`,
          'keep the key file outside the data folder: a copy of the folder would carry its key.',
        ),
      });
    } else {
      let text: string | undefined;
      try {
        text = readFileSync(keyFile, 'utf8');
      } catch {
        errors.push({
          variable: 'RENKEI_SECRET_KEY_FILE',
          message: both(`鍵ファイル ${keyFile} を読めません。`, `cannot read the key file ${keyFile}.`),
        });
      }
      if (text !== undefined && !isKey(text)) {
        errors.push({ variable: 'RENKEI_SECRET_KEY_FILE', message: KEY_MESSAGE });
      }
      if (text !== undefined && isKey(text)) secretKey = text.trim();
    }
  } else if (!keyGiven && (mode === 'serve' || mode === 'worker' || mode === 'cli')) {
    const legacy = resolve(dataDir, 'secret.key');
    errors.push({
      variable: 'RENKEI_SECRET_KEY',
      message: both(
        `認証情報の暗号鍵がありません。RENKEI_SECRET_KEY か RENKEI_SECRET_KEY_FILE を設定してください（作り方: openssl rand -base64 32）。${
          !databaseUrl && existsSync(legacy)
            ? `以前のデモの鍵 ${legacy} を使う場合は、データフォルダーの外へ移して RENKEI_SECRET_KEY_FILE で指定してください。`
            : ''
        }`,
        'no credentials key: set RENKEI_SECRET_KEY or RENKEI_SECRET_KEY_FILE (openssl rand -base64 32).',
      ),
    });
  }

  if (errors.length > 0 || !vars) return { ok: false, errors };
  return {
    ok: true,
    config: {
      mode,
      // The demo always runs on PGlite in its data folder.
      database: databaseUrl && mode !== 'demo' ? { databaseUrl } : { dataDir },
      secretKey,
      host: vars.HOST,
      port: vars.PORT,
      publicUrl: vars.RENKEI_PUBLIC_URL,
      smtpUrl: vars.SMTP_URL,
      mailFrom: vars.RENKEI_MAIL_FROM,
      trustProxy: vars.RENKEI_TRUST_PROXY,
      worker: mode === 'worker' ? true : vars.RENKEI_WORKER,
      session: {
        idleMs: vars.RENKEI_SESSION_IDLE_MINUTES * 60_000,
        absoluteMs: vars.RENKEI_SESSION_MAX_HOURS * 3_600_000,
      },
      maxImportBytes: vars.RENKEI_IMPORT_MAX_MB * 1024 * 1024,
      vendorOverrides,
      webhookAllowLoopback: vars.RENKEI_WEBHOOK_ALLOW_LOOPBACK,
    },
  };
}

/** The errors as the lines printed before exiting with EXIT_CONFIG. */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return [
    '設定に誤りがあります / Invalid configuration:',
    ...errors.map((error) => `  ${error.variable}: ${error.message}`),
    '（renkei serve --help に一覧があります / see renkei serve --help）',
  ].join('\n');
}

/** `renkei serve --help`: the variables as a table. */
export function configHelp(): string {
  const width = Math.max(...VARIABLES.map((variable) => variable.name.length));
  return VARIABLES.map((variable) => {
    const fallback = variable.default ? `（既定 / default: ${variable.default}）` : '';
    return `  ${variable.name.padEnd(width)}  ${variable.ja}${fallback}\n  ${' '.repeat(width)}  ${variable.en}`;
  }).join('\n');
}
