/**
 * The national catalogue (docs/catalogue.md): with the whole catalogue and all places loaded,
 * the bot's process from spawn to its first answer and its memory, search and engine-step
 * latency over catalogue questions, and the import's running time.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildCatalogue, encodeCatalogue, RAW_FILE } from '../src/catalogue/catalogue-file';
import { loadContent } from '../src/content/index';
import { step } from '../src/engine/step';
import type { Input, Session } from '../src/engine/types';
import { ms, percentile } from './percentile';
import type { Row } from './section';

export const name = 'catalogue';
export const title = 'national catalogue';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Questions citizens ask that the catalogue (not only curated flows) answers. */
export const QUERIES = [
  '1.001193',
  'con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu',
  'đăng ký nghĩa vụ quân sự',
  'cấp bản sao trích lục hộ tịch',
  'thay đổi nội dung đăng ký hộ kinh doanh',
  'trợ cấp mai táng',
  'giấy phép xây dựng nhà ở',
  'đăng ký xe máy',
  'cap the bao hiem y te',
  'xin cấp phép nuôi rồng',
  'lam can cuoc o dau',
  'dang ky ket hon',
  'giá vàng hôm nay',
  '2.000635',
];

function rssOf(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((s) => Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024);
}

/** Spawns the whole bot (bench/serve.ts real) and times spawn → first /api/chat answer. */
async function startToFirstAnswer(): Promise<{ firstAnswerMs: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'serve.ts'), 'real'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /listening (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const res = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu' }) });
    if (!res.ok) throw new Error(`first answer: HTTP ${res.status}`);
    await res.json();
    const firstAnswerMs = performance.now() - started;
    // Memory after answering every catalogue question a few times (records decoded, caches warm).
    for (let i = 0; i < 5; i++)
      for (const q of QUERIES) await (await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: q }) })).json();
    return { firstAnswerMs, rssMb: await rssOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  }
}

export async function run(): Promise<Row[]> {
  const first = await startToFirstAnswer();

  const loadStarted = performance.now();
  const loaded = await loadContent(ROOT);
  const loadMs = performance.now() - loadStarted;
  if (!loaded.content) throw new Error('the content has errors: run npm run content:lint');
  const content = loaded.content;

  for (let i = 0; i < 200; i++) content.search(QUERIES[i % QUERIES.length]!);
  const searches: number[] = [];
  for (let i = 0; searches.length < 1_000; i++) {
    const t0 = process.hrtime.bigint();
    content.search(QUERIES[i % QUERIES.length]!);
    searches.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }

  const now = Date.parse('2026-11-25T08:00:00+07:00');
  const steps: number[] = [];
  for (let i = 0; steps.length < 1_000; i++) {
    let session: Session | undefined;
    for (const input of [{ kind: 'text', value: QUERIES[i % QUERIES.length]! }, { kind: 'text', value: '1' }] as Input[]) {
      const t0 = process.hrtime.bigint();
      session = step(content, session, input, now + i * 10_000).session;
      steps.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }

  const importStarted = performance.now();
  const compiled = buildCatalogue(await readFile(path.join(ROOT, RAW_FILE)));
  encodeCatalogue(compiled);
  const importMs = performance.now() - importStarted;

  return [
    { measure: 'records served (national + Thanh Hóa)', value: String(content.catalogue.entries.length) },
    { measure: 'process spawn → first answer', value: ms(first.firstAnswerMs), goal: '≤ 1500 ms', met: first.firstAnswerMs <= 1500 },
    { measure: 'RSS after catalogue answers', value: `${first.rssMb.toFixed(0)} MB`, goal: '≤ 300 MB', met: first.rssMb <= 300 },
    { measure: 'content + catalogue load (in process)', value: ms(loadMs) },
    { measure: 'search p50', value: ms(percentile(searches, 50)) },
    { measure: 'search p99', value: ms(percentile(searches, 99)), goal: '≤ 5 ms', met: percentile(searches, 99) <= 5 },
    { measure: 'step p99 (catalogue questions)', value: ms(percentile(steps, 99)), goal: '≤ 2 ms', met: percentile(steps, 99) <= 2 },
    { measure: `catalogue import (${compiled.records.length} records)`, value: ms(importMs) },
  ];
}
