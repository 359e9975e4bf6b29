/**
 * The staff case list with 50,000 cases (review D2: unpaginated, a render of 49k cases took
 * 3.4 s and 14 MB). Times the query (scope, filters, sort, one page, counts) and the render of
 * the page fragment a console fetches, for an officer of one commune and for a supervisor, and
 * a text search. Goal: the fragment stays under 50 KB and the whole request work under 100 ms.
 */
import { queryCases, type CaseQuery } from '../src/handoff/case-query';
import { casesFragment } from '../src/handoff/views/cases-page';
import type { ViewContext } from '../src/handoff/views/layout';
import type { StaffAccount } from '../src/staff/access';
import { PROVINCE_QUEUE, summarise, type Case, type CaseSummary } from '../src/store/cases';
import { ms, percentile } from './percentile';
import type { Row } from './section';

export const name = 'staff';
export const title = 'staff case list (50k cases)';

const CASES = 50_000;
const SAMPLES = 30;
const TZ = 'Asia/Ho_Chi_Minh';

function cases(): CaseSummary[] {
  const queues = ['14797', '14758', '14800', '14803', PROVINCE_QUEUE];
  const t0 = Date.parse('2026-09-01T00:00:00Z');
  return Array.from({ length: CASES }, (_, i) => {
    const queue = queues[i % queues.length]!;
    const c: Case = {
      version: 1,
      id: `c-${i.toString(16).padStart(20, '0')}`,
      channel: 'web',
      chatId: `bench-${i}`,
      status: i % 3 === 0 ? 'closed' : 'open',
      reason: 'asked',
      locale: 'vi',
      answers: [{ node: 'who', question: 'Bạn làm cho ai?', answer: 'Cho tôi' }],
      transcript: [{ id: 't', at: t0, from: 'user', text: `Tôi muốn hỏi về đăng ký thường trú số ${i}, cần giấy tờ gì và nộp ở đâu?` }],
      messages: [],
      notes: [],
      queue,
      ...(queue !== PROVINCE_QUEUE ? { place: { code: queue, name: `Phường ${queue}` } } : {}),
      flow: { id: 'cu-tru', title: 'Đăng ký cư trú (thường trú, tạm trú)', node: 'permanent' },
      openedAt: t0 + i * 60_000,
      updatedAt: t0 + i * 60_000,
      waitingSince: t0 + i * 60_000,
    };
    return summarise(c);
  });
}

export async function run(): Promise<Row[]> {
  const all = cases();
  const now = Date.parse('2026-11-25T03:00:00Z');
  const ctx: ViewContext = { t: (key, params) => `${key}${params ? JSON.stringify(params) : ''}`, locale: 'vi', timezone: TZ, now, nonce: 'n', csrf: 'c', user: 'u' };
  const opts = { slaMs: 30 * 60_000, officeName: (q: string) => q };
  const officer: StaffAccount = { user: 'lan', role: 'officer', scope: { kind: 'communes', codes: ['14797'] } };
  const supervisor: StaffAccount = { user: 'minh', role: 'supervisor', scope: { kind: 'province' } };
  const rows: Row[] = [];
  const measure = (label: string, account: StaffAccount, q: CaseQuery) => {
    const times: number[] = [];
    let bytes = 0;
    const queryTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      const page = queryCases(all, q, { account, timezone: TZ, now, slaMs: opts.slaMs });
      queryTimes.push(performance.now() - started);
      bytes = casesFragment(ctx, page, q, opts).value.length;
      times.push(performance.now() - started);
    }
    rows.push({ measure: `${label} query p95`, value: ms(percentile(queryTimes, 95)) });
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    rows.push({ measure: `${label} p95`, value: ms(p95), goal: '< 100 ms', met: p95 < 100 });
    rows.push({ measure: `${label} fragment`, value: `${(bytes / 1024).toFixed(1)} KB`, goal: '< 50 KB', met: bytes < 50 * 1024 });
  };
  measure('officer, waiting', officer, { state: 'waiting', page: 1 });
  measure('supervisor, waiting', supervisor, { state: 'waiting', page: 1 });
  measure('supervisor, text search', supervisor, { state: 'all', page: 1, text: 'thuong tru 4999' });
  return rows;
}
