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
    },
    destination as never,
  );
}

/** A stable, non-reversible reference to a chat for logs and metrics. */
export function chatRef(channel: string, chatId: string): string {
  return `${channel}:${createHash('sha256').update(chatId).digest('hex').slice(0, 10)}`;
}

/** Masks phone numbers and ID-card numbers typed by citizens (9–12 digit runs). */
export function maskPersonalNumbers(text: string): string {
  return text.replace(/(?<!\d)(\+?84|0)?(\d[\d .-]{7,14}\d)(?!\d)/g, (m) => {
    const digits = m.replace(/\D/g, '');
    return digits.length >= 9 ? `${digits.slice(0, 2)}${'•'.repeat(digits.length - 4)}${digits.slice(-2)}` : m;
  });
}
