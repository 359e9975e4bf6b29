/**
 * npm run webhook:set / webhook:info against the platform fakes: what gets registered, what is
 * shown, and a clear single line when something is missing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookCli } from '../../src/cli/webhook';
import { TelegramFake } from '../fakes/telegram-fake';
import { ZaloBotFake } from '../fakes/zalo-bot-fake';
import { ROOT } from '../helpers/server';

let tg: TelegramFake | undefined;
let zb: ZaloBotFake | undefined;
afterEach(async () => {
  await tg?.close();
  await zb?.close();
  tg = zb = undefined;
});

describe('webhook CLI', () => {
  it('registers PUBLIC_URL + /webhooks/telegram with the secret, and shows it back', async () => {
    tg = await TelegramFake.start();
    const env = { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_WEBHOOK_SECRET: 'tg_secret-1_0123456789abcdef0123456789', TELEGRAM_API_ROOT: tg.url, PUBLIC_URL: 'https://thutuc.example.vn/' };
    const set = await webhookCli(['set', 'telegram'], env);
    expect(set.code).toBe(0);
    expect(tg.webhook).toEqual({ url: 'https://thutuc.example.vn/webhooks/telegram', secret_token: 'tg_secret-1_0123456789abcdef0123456789', allowed_updates: ['message', 'callback_query'] });
    expect(set.output).not.toContain('tg_secret-1_0123456789abcdef0123456789');
    const info = await webhookCli(['info', 'telegram'], env);
    expect(info.output).toContain('url:              https://thutuc.example.vn/webhooks/telegram');
    expect(info.output).toContain('matches this env: yes');
  });

  it('registers the Zalo Bot webhook with its secret_token, and shows it back', async () => {
    zb = await ZaloBotFake.start();
    const env = { ZALO_BOT_TOKEN: zb.token, ZALO_BOT_WEBHOOK_SECRET: 'zalo-secret-123-0123456789abcdef012345', ZALO_BOT_API_ROOT: zb.url, PUBLIC_URL: 'https://thutuc.example.vn' };
    expect((await webhookCli(['set', 'zalo-bot'], env)).code).toBe(0);
    expect(zb.webhook).toMatchObject({ url: 'https://thutuc.example.vn/webhooks/zalo-bot', secret_token: 'zalo-secret-123-0123456789abcdef012345' });
    const info = await webhookCli(['info', 'zalo-bot'], { ...env, PUBLIC_URL: 'https://other.example.vn' });
    expect(info.output).toContain('matches this env: no (expected https://other.example.vn/webhooks/zalo-bot)');
  });

  it.each([
    [['set', 'telegram'], {}, 'TELEGRAM_BOT_TOKEN is not set'],
    [['set', 'telegram'], { TELEGRAM_BOT_TOKEN: '1:x' }, 'TELEGRAM_WEBHOOK_SECRET: required'],
    [['set', 'telegram'], { TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_SECRET: 'abc_0123456789abcdef0123456789abcdef' }, 'PUBLIC_URL is not set'],
    [['set', 'zalo-bot'], { ZALO_BOT_TOKEN: '1:x', ZALO_BOT_WEBHOOK_SECRET: 'abcdefgh-0123456789abcdef0123456789', PUBLIC_URL: 'http://insecure.example.vn' }, 'PUBLIC_URL must start with https://'],
    [['set', 'zalo-oa'], {}, 'usage:'],
  ])('explains what is missing: %j with %j', async (args, env, message) => {
    const r = await webhookCli(args, env);
    expect(r.code).toBe(1);
    expect(r.output).toContain(message);
  });

  it('passes the platform’s refusal on in one line', async () => {
    zb = await ZaloBotFake.start();
    const r = await webhookCli(['set', 'zalo-bot'], { ZALO_BOT_TOKEN: 'wrong:token', ZALO_BOT_WEBHOOK_SECRET: 'zalo-secret-123-0123456789abcdef012345', ZALO_BOT_API_ROOT: zb.url, PUBLIC_URL: 'https://thutuc.example.vn' });
    expect(r).toEqual({ code: 1, output: 'Zalo refused setWebhook: 401 Unauthorized\n' });
  });

  it('runs as npm run webhook:info and exits 1 with the reason when the token is missing', async () => {
    const run = promisify(execFile)('npm', ['run', '-s', 'webhook:info', '--', 'telegram'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('TELEGRAM_BOT_TOKEN is not set') });
  });
});
