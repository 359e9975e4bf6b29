/**
 * Starts the real bot (HTTP server on a free loopback port, lowdb files in a temp dir) for
 * tests. Pass env overrides (tokens, fake API roots) the way an operator would set them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/server/logger';
import { start, type Running, type StartOptions } from '../../src/server/start';

export const ROOT = path.resolve(import.meta.dirname, '../..');

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
    const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONTENT_DIR: ROOT, CONTENT_WATCH: 'false', LOG_LEVEL: 'silent', STAFF_USERS_FILE: path.join(dataDir, 'staff-users.json'), ...env });
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

/** POST /api/chat and return the parsed body (throws on a non-2xx answer). */
export async function chat(base: string, chatId: string, body: { text?: string; choice?: string; flow?: string } = {}): Promise<{ replies: Array<{ text: string; options?: Array<{ id: string; label: string }>; links?: Array<{ url: string; label: string }> }> }> {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chatId, ...body }) });
  const json = (await res.json()) as never;
  if (!res.ok) throw new Error(`POST /api/chat → ${res.status} ${JSON.stringify(json)}`);
  return json;
}
