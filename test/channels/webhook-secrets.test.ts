/**
 * Webhook secrets (reliability review D14): a secret shorter than 32 characters is refused at
 * start, with the command that makes a good one; a good one is accepted.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config';

const refusal = (env: Record<string, string>): string => {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return 'accepted';
};

describe('webhook secrets', () => {
  it.each([
    ['TELEGRAM_WEBHOOK_SECRET', { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_SECRET: 'a' }],
    ['TELEGRAM_WEBHOOK_SECRET', { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_SECRET: 'x'.repeat(31) }],
    ['ZALO_BOT_WEBHOOK_SECRET', { ZALO_BOT_TOKEN: '1:x', ZALO_BOT_WEBHOOK_SECRET: 'abcdefgh' }],
    ['WEB_CHAT_SECRET', { WEB_CHAT_SECRET: 'short' }],
  ])('refuses a short %s at start and says how to make one', (name, env) => {
    const message = refusal(env);
    expect(message).toContain(`${name}: must be at least 32 characters`);
    expect(message).toContain('openssl rand -hex 32');
  });

  it('accepts 32 characters and more', () => {
    const hex = 'a1'.repeat(32);
    expect(refusal({ TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_SECRET: 'x'.repeat(32), ZALO_BOT_TOKEN: '2:y', ZALO_BOT_WEBHOOK_SECRET: hex, WEB_CHAT_SECRET: hex })).toBe('accepted');
  });
});
