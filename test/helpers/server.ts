/**
 * Starts the real bot (HTTP server on a free loopback port, lowdb files in a temp dir) for
 * tests. Pass env overrides (tokens, fake API roots) the way an operator would set them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chatTokenFor } from '../../src/channels/web/chat-token';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/server/logger';
import { start, type Running, type StartOptions } from '../../src/server/start';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Test servers sign web chat credentials with this secret (WEB_CHAT_SECRET, the integrators'
 * way), so a test can name its chats ("refused-chat") and read them back from the store.
 */
export const TEST_WEB_CHAT_SECRET = 'test-web-chat-secret-0123456789abcdef';
/** The X-Chat-Id credential of a named test chat. */
export const webToken = (chatId: string) => chatTokenFor(TEST_WEB_CHAT_SECRET, chatId);
/** Flood limits for tests that are not about floods (they send hundreds of messages from 127.0.0.1). */
const TEST_WEB_LIMITS = { WEB_CHAT_RATE_PER_MINUTE: '100000', WEB_CHAT_GLOBAL_RATE_PER_MINUTE: '10000000', WEB_CHAT_NEW_CHATS_PER_HOUR: '100000', WEB_CHAT_HANDOFFS_PER_DAY: '100000' };

export interface TestServer extends Running {
  dataDir: string;
  /** Stop the server and start a new one on the same data directory (and env). */
  restart(): Promise<TestServer>;
  /** Stop and delete the data directory. */
  dispose(): Promise<void>;
}

export async function tempDir(prefix = 'thutuc-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function startTestServer(env: Record<string, string> = {}, opts: StartOptions & { dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await tempDir());
  let running: Running;
  try {
    const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONTENT_DIR: ROOT, CONTENT_WATCH: 'false', LOG_LEVEL: 'silent', STAFF_USERS_FILE: path.join(dataDir, 'staff-users.json'), WEB_CHAT_SECRET: TEST_WEB_CHAT_SECRET, ...TEST_WEB_LIMITS, ...env });
    running = await start(config, { logger: createLogger(env.LOG_LEVEL ?? 'silent'), ...opts });
  } catch (e) {
    // Tests that expect a refusal (bad env, invalid content) must not leave temp dirs behind.
    if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  const server: TestServer = {
    ...running,
    dataDir,
    async restart() {
      await running.close();
      return startTestServer(env, { ...opts, dataDir });
    },
    async dispose() {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** POST /api/chat as the named chat (credential in X-Chat-Id) and return the parsed body (throws on a non-2xx answer). */
export async function chat(base: string, chatId: string, body: { text?: string; choice?: string; flow?: string } = {}): Promise<{ replies: Array<{ text: string; options?: Array<{ id: string; label: string }>; links?: Array<{ url: string; label: string }> }> }> {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-chat-id': webToken(chatId) }, body: JSON.stringify(body) });
  const json = (await res.json()) as never;
  if (!res.ok) throw new Error(`POST /api/chat → ${res.status} ${JSON.stringify(json)}`);
  return json;
}
