import { afterEach, describe, expect, it } from 'vitest';
import { chat, startTestServer, type TestServer } from '../helpers/server';

describe('web chat over real HTTP', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('answers "lam can cuoc o dau" with the ID-card question', async () => {
    server = await startTestServer();
    const { replies } = await chat(server.url, 'smoke-chat-1', { text: 'lam can cuoc o dau' });
    expect(replies[0]?.text).toContain('căn cước');
    expect(replies[0]?.options?.map((o) => o.label)).toEqual(['Cho tôi (từ đủ 14 tuổi)', 'Cho con dưới 14 tuổi']);
  });
});
