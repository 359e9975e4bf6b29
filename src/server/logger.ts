/**
 * The one logger (pino, JSON lines). Tokens, secrets, cookies and message texts are redacted by
 * path; chat ids are logged as a short hash (`chatRef`) so logs can follow a conversation without
 * identifying the citizen.
 */
import { createHash } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'thutuc' },
      redact: {
        paths: [
          'token',
          '*.token',
          'secret',
          '*.secret',
          'password',
          '*.password',
          'accessToken',
          '*.accessToken',
          'refreshToken',
          '*.refreshToken',
          'text',
          '*.text',
          'headers.authorization',
          'headers.cookie',
          'headers["x-telegram-bot-api-secret-token"]',
          'headers["x-bot-api-secret-token"]',
          'headers.access_token',
          'config.headers',
          'config.url',
          'config.data',
        ],
        censor: '[redacted]',
      },
      // Text that reaches a log line anyway (a message string, an error quoting its input) has
      // personal numbers masked.
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskPersonalNumbers(a) : a)) as Parameters<typeof method>);
        },
      },
      serializers: {
        // `err` is not always an Error (the sender logs the message string): never throw here,
        // a throwing serializer breaks the caller's log line and with it the caller.
        err: (e: unknown) => {
          if (typeof e === 'string') return maskPersonalNumbers(e);
          if (!(e instanceof Error)) return e;
          const s = pino.stdSerializers.err(e);
          return { ...s, message: maskPersonalNumbers(s.message), ...(s.stack ? { stack: maskPersonalNumbers(s.stack) } : {}) };
        },
      },
    },
    destination as never,
  );
}

/** A stable, non-reversible reference to a chat for logs and metrics. */
export function chatRef(channel: string, chatId: string): string {
  return `${channel}:${createHash('sha256').update(chatId).digest('hex').slice(0, 10)}`;
}

/**
 * Masks personal numbers and addresses typed by citizens, for logs and insights:
 * - digit runs of 9 or more digits, with single spaces, dots or dashes between digits (phone
 *   numbers "0912 345 678", "+84 912…", ID-card numbers, old 9-digit ID numbers): up to 12 digits
 *   keep the first and last two, longer runs (several numbers typed together) are masked fully;
 * - passport numbers (a letter and 7-8 digits, "C1234567");
 * - e-mail addresses (the part before @).
 * Shorter numbers (dates, amounts below a billion, procedure codes) stay readable.
 */
export function maskPersonalNumbers(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, (m) => `•••${m.slice(m.indexOf('@'))}`)
    .replace(/(?<![A-Za-z0-9])[A-Za-z]\d{7,8}(?![A-Za-z0-9])/g, (m) => `${m[0]}${'•'.repeat(m.length - 3)}${m.slice(-2)}`)
    .replace(/(?<!\d)(?:\+ ?)?\d(?:[ .-]?\d){8,}(?!\d)/g, (m) => {
      const digits = m.replace(/\D/g, '');
      return digits.length <= 12 ? `${digits.slice(0, 2)}${'•'.repeat(digits.length - 4)}${digits.slice(-2)}` : '•'.repeat(digits.length);
    });
}
