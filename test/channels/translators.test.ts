/**
 * The pure translators: one real-shaped payload per event kind (test/fixtures/<channel>/) in,
 * an InboundMessage or a reason to ignore out.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { telegramToInbound } from '../../src/channels/telegram/to-inbound';
import { zaloBotToInbound } from '../../src/channels/zalo-bot/to-inbound';
import { zaloOaToInbound } from '../../src/channels/zalo-oa/to-inbound';
import { fixture } from '../fakes/fixtures';

const AT = 1_764_063_000_000;

describe('telegramToInbound', () => {
  it('turns a private text message into a text input keyed by update id', () => {
    expect(telegramToInbound(fixture('telegram', 'text-message'), AT)).toEqual({
      kind: 'message',
      message: { channel: 'telegram', chatId: '5012345678', dedupeKey: 'u918273001', input: { kind: 'text', value: 'làm căn cước ở đâu' }, receivedAt: AT },
    });
  });

  it('turns /start into the start input', () => {
    const r = telegramToInbound(fixture('telegram', 'start-command'), AT);
    expect(r.kind === 'message' && r.message.input).toEqual({ kind: 'start' });
  });

  it('turns a button tap into a choice carrying the callback query and message ids', () => {
    const r = telegramToInbound(fixture('telegram', 'callback-query'), AT);
    expect(r).toEqual({
      kind: 'message',
      message: { channel: 'telegram', chatId: '5012345678', dedupeKey: 'u918273002', input: { kind: 'choice', value: 'p3.1' }, receivedAt: AT, meta: { callbackQueryId: '2158604471693291234', messageId: 1001 } },
    });
  });

  it('turns the numbered fallback callback data back into the typed number', () => {
    const update = fixture('telegram', 'callback-query');
    update.callback_query.data = '#3';
    const r = telegramToInbound(update, AT);
    expect(r.kind === 'message' && r.message.input).toEqual({ kind: 'text', value: '3' });
  });

  it.each([
    ['sticker', 'sticker'],
    ['photo', 'photo'],
  ])('marks a %s as unsupported so the citizen hears we read text only', (name, kind) => {
    const r = telegramToInbound(fixture('telegram', name), AT);
    expect(r.kind).toBe('message');
    if (r.kind === 'message') expect(r.message.meta).toEqual({ unsupported: kind });
  });

  it.each(['edited-message', 'group-message', 'my-chat-member-blocked', 'pinned-message'])('acknowledges and ignores %s', (name) => {
    expect(telegramToInbound(fixture('telegram', name), AT).kind).toBe('ignore');
  });

  it.each([null, 42, 'text', [], {}, { update_id: 'x' }, { update_id: -5, message: {} }, { update_id: 1, message: { chat: { id: 'not a number', type: 'private' }, message_id: 1, text: 'x' } }])(
    'ignores a body that is not an update (%j)',
    (body) => {
      expect(telegramToInbound(body, AT).kind).toBe('ignore');
    },
  );
});

describe('zaloBotToInbound', () => {
  it('reads the wrapped body of the official docs', () => {
    expect(zaloBotToInbound(fixture('zalo-bot', 'text-wrapped'), AT)).toEqual({
      kind: 'message',
      message: { channel: 'zalo-bot', chatId: '6ede9afa66b88fe6d6a9', dedupeKey: 'message.text.received:2d758cb5e222177a4e35', input: { kind: 'text', value: 'Xin chào' }, receivedAt: AT },
    });
  });

  it('reads the bare body seen in production', () => {
    const r = zaloBotToInbound(fixture('zalo-bot', 'text-bare'), AT);
    expect(r.kind === 'message' && [r.message.chatId, r.message.dedupeKey, r.message.input]).toEqual(['6ede9afa66b88fe6d6a9', 'message.text.received:3e869dc6f333288b5f46', { kind: 'text', value: 'lam can cuoc o dau' }]);
  });

  it.each([
    ['image', 'image'],
    ['sticker', 'sticker'],
  ])('marks an %s as unsupported', (name, kind) => {
    const r = zaloBotToInbound(fixture('zalo-bot', name), AT);
    expect(r.kind === 'message' && r.message.meta).toEqual({ unsupported: kind });
  });

  it.each(['unsupported', 'group-text'])('acknowledges and ignores %s', (name) => {
    expect(zaloBotToInbound(fixture('zalo-bot', name), AT).kind).toBe('ignore');
  });

  it.each([null, [], { ok: true }, { ok: true, result: { event_name: 'message.text.received', message: { chat: {} } } }, { event_name: 5 }])('ignores a body that is not an event (%j)', (body) => {
    expect(zaloBotToInbound(body, AT).kind).toBe('ignore');
  });
});

describe('zaloOaToInbound', () => {
  const raw = (body: unknown) => Buffer.from(JSON.stringify(body));

  it('turns user_send_text into a text input from the sender, keyed by msg_id', () => {
    const body = fixture('zalo-oa', 'user-send-text');
    expect(zaloOaToInbound(body, raw(body), AT)).toEqual({
      kind: 'message',
      message: { channel: 'zalo-oa', chatId: '8273645190283746501', dedupeKey: 'user_send_text:8a1f0b2c3d4e5f60718293a4b5c6d7e8', input: { kind: 'text', value: 'làm căn cước ở đâu' }, receivedAt: AT, meta: { oaId: '579745863508352884' } },
    });
  });

  it.each([
    ['user-send-image', 'image'],
    ['user-send-sticker', 'sticker'],
    ['user-send-location', 'location'],
  ])('marks %s as unsupported (its payload, e.g. coordinates, is not carried)', (name, kind) => {
    const body = fixture('zalo-oa', name);
    const r = zaloOaToInbound(body, raw(body), AT);
    expect(r.kind === 'message' && r.message.meta).toEqual({ unsupported: kind, oaId: '579745863508352884' });
    expect(r.kind === 'message' && r.message.input).toEqual({ kind: 'text', value: '' });
  });

  it('turns an admin’s reply from the OA chat tool (oa_send_text with sender.admin_id) into a staff echo of the recipient’s chat', () => {
    const body = { ...fixture('zalo-oa', 'oa-send-text'), sender: { id: '579745863508352884', admin_id: '99887766' } };
    expect(zaloOaToInbound(body, raw(body), AT)).toMatchObject({ kind: 'message', message: { chatId: '8273645190283746501', input: { kind: 'text', value: 'Bạn làm thẻ căn cước cho ai?' }, meta: { staffEcho: 'oa-admin' } } });
  });

  it('turns a follow into a start from the follower, so they get the welcome and the menu', () => {
    const body = fixture('zalo-oa', 'follow');
    const parsed = zaloOaToInbound(body, raw(body), AT);
    expect(parsed).toMatchObject({ kind: 'message', message: { channel: 'zalo-oa', chatId: '8273645190283746501', input: { kind: 'start' } } });
  });

  it.each(['oa-send-text', 'user-seen-message'])('acknowledges and ignores %s (no echo of the OA’s own messages)', (name) => {
    const body = fixture('zalo-oa', name);
    expect(zaloOaToInbound(body, raw(body), AT).kind).toBe('ignore');
  });

  it('keys an event without msg_id by a hash of the exact bytes, so a redelivery dedupes', () => {
    const body = fixture('zalo-oa', 'user-send-text');
    delete body.message.msg_id;
    const bytes = raw(body);
    const r = zaloOaToInbound(body, bytes, AT);
    expect(r.kind === 'message' && r.message.dedupeKey).toBe(`raw:${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}`);
  });

  it('refuses a numeric user id too large to be exact', () => {
    const body = fixture('zalo-oa', 'user-send-text');
    body.sender.id = 8273645190283746501; // parsed as a rounded double
    expect(zaloOaToInbound(body, raw(body), AT).kind).toBe('ignore');
  });
});

describe('chat ids that could not name a file', () => {
  it('are refused by the Zalo translators (long or non-ASCII ids)', () => {
    const oa = fixture('zalo-oa', 'user-send-text');
    oa.sender.id = 'đ'.repeat(50);
    expect(zaloOaToInbound(oa, Buffer.from(JSON.stringify(oa)), AT).kind).toBe('ignore');
    const bot = fixture('zalo-bot', 'text-bare');
    bot.message.chat.id = 'a'.repeat(65);
    expect(zaloBotToInbound(bot, AT).kind).toBe('ignore');
  });
});
