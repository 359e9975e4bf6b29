/**
 * Engine `step` latency over the shipped content: many turns of scripted conversations the way
 * citizens type them (search with and without diacritics, numbers, place names old and new,
 * back, help, language), each conversation from a fresh session.
 */
import path from 'node:path';
import { loadContent } from '../src/content/index';
import { step } from '../src/engine/step';
import type { Content, Input, Session } from '../src/engine/types';
import { ms, percentile } from './percentile';
import type { Row } from './section';

export const name = 'engine';
export const title = 'engine step';

const text = (value: string): Input => ({ kind: 'text', value });
const START: Input = { kind: 'start' };

export const CONVERSATIONS: Input[][] = [
  [START, text('lam can cuoc o dau'), text('1'), text('1'), text('Hạc Thành'), text('menu')],
  [START, text('đăng ký khai sinh'), text('2'), text('phường Hàm Rồng'), text('quay lại'), text('trợ giúp')],
  [START, text('tam tru'), text('2'), text('xa dong linh cu'), text('English'), text('menu')],
  [text('CCCD'), text('1'), text('3'), text('Bỉm Sơn'), text('2')],
  [text('xin chao'), text('caan cuowcs'), text('1'), text('2'), text('phuong quang trung')],
  [START, text('1'), text('1'), text('2'), text('Sầm Sơn'), text('quay lại'), text('Nga An')],
  [text('khai sinhf'), text('1'), text('qwerty asdf'), text('menu'), text('3'), text('1')],
  [START, text('thuong tru'), text('1'), text('Thanh Hóa'), text('Tiếng Việt')],
];

function runConversation(content: Content, inputs: readonly Input[], now: number, times?: number[]): void {
  let session: Session | undefined;
  for (const input of inputs) {
    now += 5_000;
    const t0 = process.hrtime.bigint();
    session = step(content, session, input, now).session;
    if (times) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}

export async function run(): Promise<Row[]> {
  const loaded = await loadContent(path.resolve(import.meta.dirname, '..'), { regions: ['thanh-hoa'] });
  if (!loaded.content) throw new Error('the content has errors: run npm run content:lint');
  const content = loaded.content;
  const now = Date.parse('2026-11-25T08:00:00+07:00');
  // Warm-up: let the JIT settle before measuring.
  for (let i = 0; i < 200; i++) runConversation(content, CONVERSATIONS[i % CONVERSATIONS.length]!, now);

  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < 3_000 || times.length < 5_000; i++) runConversation(content, CONVERSATIONS[i % CONVERSATIONS.length]!, now, times);
  return [
    { measure: 'turns measured', value: String(times.length) },
    { measure: 'step p50', value: ms(percentile(times, 50)) },
    { measure: 'step p99', value: ms(percentile(times, 99)) },
    { measure: 'step max', value: ms(Math.max(...times)) },
  ];
}
