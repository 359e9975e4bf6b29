/**
 * Configuration: the only reader of process.env. `parseConfig(env)` is pure, defaults live in
 * the schema, and a bad value names the variable and what was expected. Every variable is
 * documented in .env.example.
 */
import path from 'node:path';
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const url = (what: string) =>
  z
    .string()
    .trim()
    .url(`must be a full URL (${what})`)
    .transform((v) => v.replace(/\/+$/, ''));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const Env = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: url('the https address the platforms reach this server at').optional().or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().default('./data'),
  CONTENT_DIR: z.string().default('.'),
  /** The provinces served: "thanh-hoa", "thanh-hoa,nghe-an" or "all" (folders of content/regions). */
  REGIONS: z
    .string()
    .trim()
    .default('thanh-hoa')
    .transform((v) => (v === '' ? 'thanh-hoa' : v))
    .pipe(z.string().regex(/^(?:all|[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)$/, 'must be "all" or region folder names separated by commas, e.g. thanh-hoa,nghe-an'))
    .transform((v): readonly string[] | 'all' => (v === 'all' ? 'all' : [...new Set(v.split(',').map((s) => s.trim()))])),
  DEFAULT_LOCALE: z.enum(['vi', 'en']).default('vi'),
  SESSION_IDLE_MINUTES: int(1, 60 * 24 * 30).optional(),
  CONTENT_WATCH: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** postgres://… switches every stored thing to PostgreSQL (several instances); unset: the embedded store in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  STORE_FSYNC: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram rule)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  TELEGRAM_API_ROOT: url('the Telegram Bot API, e.g. https://api.telegram.org').default('https://api.telegram.org'),
  TELEGRAM_BOT_USERNAME: optionalText,
  /** Sends per second across all Telegram chats: 30 is Telegram's documented bulk limit (the bench lifts it to measure the pipeline). */
  TELEGRAM_SEND_RATE: int(1, 1000).default(30),

  ZALO_BOT_TOKEN: optionalText,
  ZALO_BOT_WEBHOOK_SECRET: z
    .string()
    .min(8, 'must be 8-256 characters (Zalo rule)')
    .max(256, 'must be 8-256 characters (Zalo rule)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ZALO_BOT_API_ROOT: url('the Zalo Bot API, e.g. https://bot-api.zaloplatforms.com').default('https://bot-api.zaloplatforms.com'),

  ZALO_OA_APP_ID: optionalText,
  ZALO_OA_APP_SECRET: optionalText,
  ZALO_OA_SECRET_KEY: optionalText,
  ZALO_OA_ACCESS_TOKEN: optionalText,
  ZALO_OA_REFRESH_TOKEN: optionalText,
  ZALO_OA_API_ROOT: url('the Zalo OA Open API, e.g. https://openapi.zalo.me').default('https://openapi.zalo.me'),
  ZALO_OAUTH_ROOT: url('the Zalo OAuth server, e.g. https://oauth.zaloapp.com').default('https://oauth.zaloapp.com'),

  STAFF_USERS_FILE: z.string().default('./data/staff-users.json'),
  SESSION_SECRET: optionalText,
  /** Read only by `npm run staff:add` (non-interactive use); the server ignores it. */
  STAFF_PASSWORD: z.string().optional().transform((v) => (v === '' ? undefined : v)),
  RETENTION_DAYS: int(1, 3650).default(90),
  OFFICE_HOURS: z
    .string()
    .regex(/^([1-7]-[1-7]) (\d{2}:\d{2})-(\d{2}:\d{2})(, *[1-7]-[1-7] \d{2}:\d{2}-\d{2}:\d{2})*$/, 'must look like "1-5 07:30-17:00" (ISO weekdays 1=Monday, 24h times), comma-separated for several ranges')
    .default('1-5 07:30-11:30, 1-5 13:30-17:00'),
  TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone name, e.g. Asia/Ho_Chi_Minh')
    .default('Asia/Ho_Chi_Minh'),
});

export interface Config {
  port: number;
  host: string;
  publicUrl?: string;
  dataDir: string;
  contentDir: string;
  /** REGIONS: region slugs served, or every region under content/regions. */
  regions: readonly string[] | 'all';
  defaultLocale: 'vi' | 'en';
  sessionIdleMinutes?: number;
  contentWatch: boolean;
  /** Set: the PostgreSQL store (a secret: it may hold a password; never logged). */
  databaseUrl?: string;
  /** fdatasync the store's journal after each batch (survives power loss, not just a crash). */
  storeFsync: boolean;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  telegram?: { token: string; webhookSecret?: string; apiRoot: string; username?: string; sendRate: number };
  zaloBot?: { token: string; webhookSecret?: string; apiRoot: string };
  zaloOa?: { appId: string; appSecret?: string; secretKey: string; accessToken?: string; refreshToken?: string; apiRoot: string; oauthRoot: string };
  staffUsersFile: string;
  sessionSecret?: string;
  /** For `npm run staff:add` only. */
  staffPassword?: string;
  retentionDays: number;
  officeHours: string;
  timezone: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; throws ConfigError listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const oaKeys = [e.ZALO_OA_APP_ID, e.ZALO_OA_SECRET_KEY, e.ZALO_OA_ACCESS_TOKEN ?? e.ZALO_OA_REFRESH_TOKEN];
  if (oaKeys.some(Boolean) && !oaKeys.every(Boolean))
    problems.push('ZALO_OA_*: set ZALO_OA_APP_ID, ZALO_OA_SECRET_KEY and ZALO_OA_ACCESS_TOKEN or ZALO_OA_REFRESH_TOKEN together (or none to keep Zalo OA off)');
  if (e.ZALO_OA_REFRESH_TOKEN && !e.ZALO_OA_APP_SECRET) problems.push('ZALO_OA_APP_SECRET: required to refresh the Zalo OA access token');
  // Without the secret a webhook can't tell the platform from anyone else; refuse to start half-open.
  if (e.TELEGRAM_BOT_TOKEN && !e.TELEGRAM_WEBHOOK_SECRET) problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_BOT_TOKEN is set (1-256 characters of A-Z, a-z, 0-9, _ and -)');
  if (e.ZALO_BOT_TOKEN && !e.ZALO_BOT_WEBHOOK_SECRET) problems.push('ZALO_BOT_WEBHOOK_SECRET: required when ZALO_BOT_TOKEN is set (8-256 characters)');
  if (problems.length > 0) throw new ConfigError(problems);

  const resolve = (p: string) => path.resolve(cwd, p);
  return {
    port: e.PORT,
    host: e.HOST,
    ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL } : {}),
    dataDir: resolve(e.DATA_DIR),
    contentDir: resolve(e.CONTENT_DIR),
    regions: e.REGIONS,
    defaultLocale: e.DEFAULT_LOCALE,
    ...(e.SESSION_IDLE_MINUTES ? { sessionIdleMinutes: e.SESSION_IDLE_MINUTES } : {}),
    contentWatch: e.CONTENT_WATCH,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    storeFsync: e.STORE_FSYNC,
    logLevel: e.LOG_LEVEL,
    ...(e.TELEGRAM_BOT_TOKEN
      ? { telegram: { token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT, sendRate: e.TELEGRAM_SEND_RATE, ...(e.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: e.TELEGRAM_WEBHOOK_SECRET } : {}), ...(e.TELEGRAM_BOT_USERNAME ? { username: e.TELEGRAM_BOT_USERNAME } : {}) } }
      : {}),
    ...(e.ZALO_BOT_TOKEN
      ? { zaloBot: { token: e.ZALO_BOT_TOKEN, apiRoot: e.ZALO_BOT_API_ROOT, ...(e.ZALO_BOT_WEBHOOK_SECRET ? { webhookSecret: e.ZALO_BOT_WEBHOOK_SECRET } : {}) } }
      : {}),
    ...(e.ZALO_OA_APP_ID && e.ZALO_OA_SECRET_KEY
      ? {
          zaloOa: {
            appId: e.ZALO_OA_APP_ID,
            secretKey: e.ZALO_OA_SECRET_KEY,
            apiRoot: e.ZALO_OA_API_ROOT,
            oauthRoot: e.ZALO_OAUTH_ROOT,
            ...(e.ZALO_OA_APP_SECRET ? { appSecret: e.ZALO_OA_APP_SECRET } : {}),
            ...(e.ZALO_OA_ACCESS_TOKEN ? { accessToken: e.ZALO_OA_ACCESS_TOKEN } : {}),
            ...(e.ZALO_OA_REFRESH_TOKEN ? { refreshToken: e.ZALO_OA_REFRESH_TOKEN } : {}),
          },
        }
      : {}),
    staffUsersFile: resolve(e.STAFF_USERS_FILE),
    ...(e.SESSION_SECRET ? { sessionSecret: e.SESSION_SECRET } : {}),
    ...(e.STAFF_PASSWORD ? { staffPassword: e.STAFF_PASSWORD } : {}),
    retentionDays: e.RETENTION_DAYS,
    officeHours: e.OFFICE_HOURS,
    timezone: e.TIMEZONE,
  };
}
