/**
 * `npm run chat` driven the way a script would: spawn `npx tsx src/cli/chat.ts`, pipe lines into
 * it, read what it prints. Real engine, real content, nothing mocked.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function runChat(lines: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn('npx', ['tsx', 'src/cli/chat.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, out, err };
}

/** What the chat printed in answer to the piped line `line` (up to the next echoed line). */
function answerTo(out: string, line: string): string {
  const start = out.indexOf(`> ${line}\n`);
  if (start < 0) throw new Error(`"${line}" was not echoed:\n${out}`);
  const rest = out.slice(start + line.length + 3);
  const next = rest.search(/^> /m);
  return next < 0 ? rest : rest.slice(0, next);
}

describe('npm run chat with piped input', () => {
  it('walks the ID-card flow by typed numbers to the answer, and stops reading at /quit', async () => {
    const { code, out } = await runChat(['lam can cuoc o dau', '1', '1', 'Hạc Thành', '/quit', 'menu']);
    expect(code).toBe(0);
    // The menu comes first, options numbered.
    expect(out.slice(0, out.indexOf('> '))).toMatch(/^1\. Giấy tờ tùy thân$/m);
    expect(answerTo(out, 'lam can cuoc o dau')).toMatch(/Bạn làm thẻ căn cước cho ai\?\n\n1\. Cho tôi \(từ đủ 14 tuổi\)\n2\. Cho con dưới 14 tuổi/);
    expect(answerTo(out, 'Hạc Thành')).toContain('Giấy tờ cần chuẩn bị:');
    expect(answerTo(out, 'Hạc Thành')).toContain('Công an phường Hạc Thành');
    expect(answerTo(out, 'Hạc Thành')).toMatch(/https:\/\/dichvucong\.gov\.vn/);
    // Nothing after /quit was answered.
    expect(answerTo(out, '/quit').trim()).toBe('Tạm biệt!');
    expect(out).not.toContain('> menu');
  });

  it('switches language with /lang en and back with /lang vi', async () => {
    const { code, out } = await runChat(['/lang en', 'menu', '/lang vi']);
    expect(code).toBe(0);
    expect(answerTo(out, '/lang en')).toContain('Switched to English.');
    expect(answerTo(out, 'menu')).toMatch(/^1\. Identity papers$/m);
    expect(answerTo(out, '/lang vi')).toContain('Đã chuyển sang tiếng Việt.');
    // End of input ends the chat as /quit does.
    expect(out.trimEnd().endsWith('Tạm biệt!')).toBe(true);
  });

  it('refuses to start on content with errors and prints the lint report', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'thutuc-cli-'));
    try {
      const { code, out, err } = await runChat(['menu'], { CONTENT_DIR: empty });
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toContain('content/settings.yaml:1:1 error [missing-file]');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
