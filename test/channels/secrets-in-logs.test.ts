/**
 * Tokens and secrets never reach the logs: each channel is driven through its failure paths
 * (forged secret, refused send, platform unreachable, token refresh) with the logger at debug,
 * and the captured log lines must not contain any credential.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger';
import { TelegramFake, tgError } from '../fakes/telegram-fake';
import { postWebhook } from '../fakes/webhook-client';
import { ZaloBotFake, zbError } from '../fakes/zalo-bot-fake';
import { ZaloOaFake } from '../fakes/zalo-oa-fake';
import { startTestServer, type TestServer } from '../helpers/server';

const RETRY = { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20, maxRetryAfterMs: 1_000 };
/** A port nothing listens on: sends fail with a network error, whose text names the URL. */
const DEAD = 'http://127.0.0.1:9';

let server: TestServer | undefined;
const fakes: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await server?.dispose();
  server = undefined;
  for (const f of fakes.splice(0)) await f.close();
});

function capture(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { logger: createLogger('debug', stream), text: () => out };
}

describe('logs', () => {
  it('never contain the Telegram token or webhook secret', async () => {
    const fake = await TelegramFake.start('987654:SECRET-TOKEN-telegram-xyz');
    fakes.push(fake);
    const secret = 'WEBHOOK-SECRET-tg-0123456789abcdefghij';
    const log = capture();
    server = await startTestServer({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: fake.url, LOG_LEVEL: 'debug' }, { retry: RETRY, logger: log.logger });
    const post = (id: number, s: string) => postWebhook(`${server!.url}/webhooks/telegram`, { update_id: id, message: { message_id: id, date: 0, chat: { id: 5, type: 'private' }, text: 'căn cước' } }, { 'x-telegram-bot-api-secret-token': s });
    await post(1, `${secret}-forged`);
    fake.script('sendMessage', tgError(500, 'Internal Server Error'), tgError(400, 'Bad Request: something'));
    await post(2, secret);
    await server.pipeline.drain();
    await server.close();
    server = await startTestServer({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_API_ROOT: DEAD, LOG_LEVEL: 'debug' }, { retry: RETRY, logger: log.logger, dataDir: server.dataDir });
    await post(3, secret);
    await server.pipeline.drain();
    expect(log.text()).toContain('send failed');
    expect(log.text()).toContain('refused');
    // Logging a failure must not itself fail (a throwing serializer used to stop the chat runner).
    expect(log.text()).not.toContain('chat runner failed');
    for (const credential of [fake.token, fake.token.split(':')[1]!, secret]) expect(log.text()).not.toContain(credential);
  });

  it('never contain the Zalo Bot token or webhook secret', async () => {
    const fake = await ZaloBotFake.start('55555:SECRET-TOKEN-zalo-bot');
    fakes.push(fake);
    const secret = 'WEBHOOK-SECRET-zalo-bot-0123456789abcdef';
    const log = capture();
    const event = (id: string) => ({ ok: true, result: { event_name: 'message.text.received', message: { chat: { id: 'c1', chat_type: 'PRIVATE' }, text: 'căn cước', message_id: id } } });
    server = await startTestServer({ ZALO_BOT_TOKEN: fake.token, ZALO_BOT_WEBHOOK_SECRET: secret, ZALO_BOT_API_ROOT: DEAD, LOG_LEVEL: 'debug' }, { retry: RETRY, logger: log.logger });
    await postWebhook(`${server.url}/webhooks/zalo-bot`, event('a'), { 'x-bot-api-secret-token': 'forged-secret' });
    await postWebhook(`${server.url}/webhooks/zalo-bot`, event('b'), { 'x-bot-api-secret-token': secret });
    await server.pipeline.drain();
    expect(log.text()).toContain('send failed');
    expect(log.text()).not.toContain('chat runner failed');
    for (const credential of [fake.token, secret]) expect(log.text()).not.toContain(credential);
  });

  it('never contain Zalo OA tokens, the app secret or the OA secret key', async () => {
    const appSecret = 'APP-SECRET-oa-123';
    const oaKey = 'OA-SECRET-KEY-456';
    const fake = await ZaloOaFake.start({ appId: '42', appSecret, accessToken: 'ACCESS-TOKEN-old', refreshToken: 'REFRESH-TOKEN-old' });
    fakes.push(fake);
    fake.expireAccessToken();
    const log = capture();
    server = await startTestServer(
      { ZALO_OA_APP_ID: '42', ZALO_OA_APP_SECRET: appSecret, ZALO_OA_SECRET_KEY: oaKey, ZALO_OA_ACCESS_TOKEN: 'ACCESS-TOKEN-old', ZALO_OA_REFRESH_TOKEN: 'REFRESH-TOKEN-old', ZALO_OA_API_ROOT: fake.url, ZALO_OAUTH_ROOT: fake.url, LOG_LEVEL: 'debug' },
      { retry: RETRY, logger: log.logger, now: () => 1764063000000 },
    );
    const body = JSON.stringify({ app_id: '42', event_name: 'user_send_text', timestamp: '1764063000000', sender: { id: '777' }, message: { text: 'căn cước', msg_id: 'm1' } });
    const mac = createHash('sha256').update(`42${body}1764063000000${oaKey}`).digest('hex');
    await fetch(`${server.url}/webhooks/zalo-oa`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=0000' }, body });
    await fetch(`${server.url}/webhooks/zalo-oa`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` }, body });
    await server.pipeline.drain();
    expect(fake.sent('777')).toHaveLength(1);
    expect(log.text()).toContain('access token refreshed');
    for (const credential of ['ACCESS-TOKEN-old', 'REFRESH-TOKEN-old', fake.accessToken, fake.refreshToken, appSecret, oaKey, mac]) expect(log.text()).not.toContain(credential);
  });
});
