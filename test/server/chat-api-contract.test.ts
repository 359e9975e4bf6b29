/**
 * The /api/chat contract other tools rely on: what a bad request gets back (400 { error } with
 * a message a developer can act on) and how a retried message id is treated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestServer, webToken, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('POST /api/chat refuses a bad request with 400 { error }', () => {
  it.each([
    ['a body that is not JSON', '{"text": "hi"', 'application/json', 'the body is not valid JSON'],
    ['a chatId that is not a token this server issued', '{"chatId":"../../etc/passwd"}', 'application/json', 'chatId must be the chatToken this server issued (send none to start a new chat)'],
    ['both text and choice', '{"text":"1","choice":"p1.1"}', 'application/json', 'send either text or choice, not both'],
    ['text that is not a string', '{"text":42}', 'application/json', 'text must be a string'],
    ['a chatId that is not a string', '{"chatId":12345678}', 'application/json', 'chatId must be a string'],
    ['text longer than 2000 characters', JSON.stringify({ text: 'a'.repeat(2001) }), 'application/json', 'text must be at most 2000 characters'],
    ['an unknown field', '{"text":"hi","user":"Nguyễn Văn A"}', 'application/json', 'unknown field "user" (allowed: chatId, text, choice, messageId, flow)'],
    ['a JSON array instead of an object', '[]', 'application/json', 'the body must be a JSON object like {"text": "..."}'],
    ['a form post', 'text=hi', 'application/x-www-form-urlencoded', 'send JSON with Content-Type: application/json'],
    ['plain text', '{"text":"hi"}', 'text/plain', 'send JSON with Content-Type: application/json'],
  ])('refuses %s', async (_what, body, contentType, error) => {
    const res = await post(body, contentType);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error });
  });

  it('stores nothing for a refused request', async () => {
    await post('{"chatId":"refused-chat","text":"hi","extra":1}');
    expect(await server.store.chats.read({ channel: 'web', chatId: 'refused-chat' })).toBeUndefined();
  });

  it('answers unknown API routes with 404 { error } instead of the page', async () => {
    const res = await fetch(`${server.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'no such API route' });
  });
});

describe('a message sent twice with the same messageId', () => {
  it('is handled once: the retry is refused with 409 and the conversation moves one step', async () => {
    const id = 'retrying-client';
    await chat(server.url, id, { text: 'làm căn cước' });
    const first = await post(JSON.stringify({ chatId: webToken(id), text: '1', messageId: 'msg-0001' }));
    const retry = await post(JSON.stringify({ chatId: webToken(id), text: '1', messageId: 'msg-0001' }));
    expect(first.status).toBe(200);
    expect(retry.status).toBe(409);
    expect(retry.json.error).toMatch(/already sent/);

    const record = await server.store.chats.read({ channel: 'web', chatId: id });
    expect(record?.transcript.filter((l) => l.from === 'user').map((l) => l.text)).toEqual(['làm căn cước', '1']);
    // Still at "what do you need?", not one question further as a second "1" would have taken it.
    expect(record?.session?.flow?.node).toBe('case');
  });

  it('is handled once when both copies arrive at the same time', async () => {
    const id = 'racing-client';
    const body = JSON.stringify({ chatId: webToken(id), text: 'menu', messageId: 'same-id' });
    const statuses = (await Promise.all([post(body), post(body), post(body)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const record = await server.store.chats.read({ channel: 'web', chatId: id });
    expect(record?.transcript.filter((l) => l.from === 'user')).toHaveLength(1);
  });
});
