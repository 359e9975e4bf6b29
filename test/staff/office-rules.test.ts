/**
 * The pure rules of the office console: scopes, routing, the case query over thousands of
 * generated cases (against a straightforward re-statement of the rules), ratings, the Zalo window,
 * canned-reply placeholders and the staff insights.
 */
import { describe, expect, it } from 'vitest';
import { computeCaseInsights, isoWeek, percentile } from '../../src/handoff/case-insights';
import { PAGE_SIZE, parseCaseQuery, queryCases, type CaseQuery } from '../../src/handoff/case-query';
import { localDay } from '../../src/handoff/local-time';
import { parseRating } from '../../src/handoff/rating';
import { zaloWindow } from '../../src/handoff/zalo-window';
import { canSee, parseScope, type StaffAccount } from '../../src/staff/access';
import { fillCanned } from '../../src/staff/canned';
import { PROVINCE_QUEUE, routeQueue, summarise, type Case, type CaseSummary } from '../../src/store/cases';

const TZ = 'Asia/Ho_Chi_Minh';
const T0 = Date.parse('2026-11-02T01:00:00Z');
const HOUR = 3600_000;

describe('scopes and routing', () => {
  it('parses the scopes staff:add takes and refuses others', () => {
    expect(parseScope('all')).toEqual({ kind: 'all' });
    expect(parseScope('province')).toEqual({ kind: 'province' });
    expect(parseScope('communes:14797, 14758,14797')).toEqual({ kind: 'communes', codes: ['14797', '14758'] });
    for (const bad of ['', 'communes:', 'communes:abc', 'district', 'communes:1']) expect({ bad, scope: parseScope(bad) }).toEqual({ bad, scope: undefined });
  });

  it('lets officers see their queues only, supervisors and admins everything', () => {
    const officer = (scope: string): StaffAccount => ({ user: 'x', role: 'officer', scope: parseScope(scope)! });
    expect(canSee(officer('communes:14797'), '14797')).toBe(true);
    expect(canSee(officer('communes:14797'), '14758')).toBe(false);
    expect(canSee(officer('communes:14797'), PROVINCE_QUEUE)).toBe(false);
    expect(canSee(officer('province'), PROVINCE_QUEUE)).toBe(true);
    expect(canSee(officer('province'), '14797')).toBe(false);
    expect(canSee(officer('all'), '14758')).toBe(true);
    expect(canSee({ user: 's', role: 'supervisor', scope: { kind: 'province' } } as StaffAccount, '14758')).toBe(true);
    expect(canSee({ user: 'a', role: 'admin', scope: { kind: 'communes', codes: ['14797'] } } as StaffAccount, '14758')).toBe(true);
  });

  it('routes a known place to its commune unless the office is provincial, and no place to the province', () => {
    expect(routeQueue('14797', 'commune_police')).toBe('14797');
    expect(routeQueue('14797', undefined)).toBe('14797');
    expect(routeQueue('14797', 'province_center')).toBe(PROVINCE_QUEUE);
    expect(routeQueue('14797', 'provincial_police')).toBe(PROVINCE_QUEUE);
    expect(routeQueue(undefined, 'commune_center')).toBe(PROVINCE_QUEUE);
  });
});

function generated(n: number): CaseSummary[] {
  const queues = ['14797', '14758', '14800', PROVINCE_QUEUE];
  const flows = ['khai-sinh', 'cu-tru', 'can-cuoc', undefined];
  const statuses = ['open', 'claimed', 'closed'] as const;
  const words = ['khai sinh cho con', 'thường trú', 'mất căn cước', 'hỏi lệ phí', 'xin chào'];
  return Array.from({ length: n }, (_, i) => {
    const queue = queues[i % 4]!;
    const flow = flows[(i * 7) % 4];
    const c: Case = {
      version: 1,
      id: `c-${i.toString(16).padStart(20, '0')}`,
      channel: 'web',
      chatId: `gen-${i}`,
      status: statuses[(i * 5) % 3]!,
      reason: 'asked',
      locale: 'vi',
      answers: [],
      transcript: [{ id: 't', at: T0, from: 'user', text: words[(i * 3) % 5]! }],
      messages: [],
      notes: [],
      queue,
      ...(queue !== PROVINCE_QUEUE ? { place: { code: queue, name: `P ${queue}` } } : {}),
      ...(flow ? { flow: { id: flow, title: flow, node: 'a' } } : {}),
      // Several cases share an opening time, so the order must break ties by id.
      openedAt: T0 + Math.floor(i / 3) * HOUR,
      updatedAt: T0,
      ...((i * 5) % 3 !== 2 && i % 2 === 0 ? { waitingSince: T0 + Math.floor(i / 3) * HOUR } : {}),
    };
    return summarise(c);
  });
}

describe('the case query', () => {
  const all = generated(3000);
  const now = T0 + 1200 * HOUR;
  const accounts: StaffAccount[] = [
    { user: 'lan', role: 'officer', scope: { kind: 'communes', codes: ['14797'] } },
    { user: 'tinh', role: 'officer', scope: { kind: 'province' } },
    { user: 'minh', role: 'supervisor', scope: { kind: 'province' } },
  ];
  const queries: CaseQuery[] = [
    { state: 'waiting', page: 1 },
    { state: 'all', page: 3 },
    { state: 'closed', page: 1, flow: 'cu-tru' },
    { state: 'open', page: 1, text: 'khai sinh' },
    { state: 'all', page: 1, commune: '14758', from: localDay(T0 + 100 * HOUR, TZ), to: localDay(T0 + 400 * HOUR, TZ) },
    { state: 'claimed', page: 99 },
  ];

  it('returns what the rules say, newest first, 50 per page, with counts of all it may see', () => {
    for (const account of accounts) {
      for (const q of queries) {
        const visible = all.filter((c) => account.role !== 'officer' || (account.scope.kind === 'province' ? c.queue === PROVINCE_QUEUE : account.scope.kind === 'communes' && account.scope.codes.includes(c.queue)));
        const expected = visible
          .filter((c) => (q.state === 'all' ? true : q.state === 'waiting' ? c.status !== 'closed' : c.status === q.state))
          .filter((c) => !q.flow || c.flow?.id === q.flow)
          .filter((c) => !q.commune || c.place?.code === q.commune)
          .filter((c) => !q.text || c.search.includes('khai sinh'))
          .filter((c) => (!q.from || localDay(c.openedAt, TZ) >= q.from) && (!q.to || localDay(c.openedAt, TZ) <= q.to))
          .sort((a, b) => b.openedAt - a.openedAt || a.id.localeCompare(b.id));
        const page = queryCases(all, q, { account, timezone: TZ, now, slaMs: 30 * 60_000 });
        const pages = Math.max(1, Math.ceil(expected.length / PAGE_SIZE));
        const p = Math.min(q.page, pages);
        expect({ who: account.user, q, total: page.total, pages: page.pages, ids: page.rows.map((r) => r.id) }).toEqual({ who: account.user, q, total: expected.length, pages, ids: expected.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE).map((r) => r.id) });
        expect(page.counts.open + page.counts.claimed + page.counts.closed).toBe(visible.length);
        expect(page.counts.overdue).toBe(visible.filter((c) => c.status !== 'closed' && c.waitingSince !== undefined).length);
      }
    }
  });

  it('reads a query from URL parameters and ignores what is malformed', () => {
    expect(parseCaseQuery({ state: 'closed', q: ' giấy ', commune: '14797', from: '2026-11-01', to: 'yesterday', page: '2' })).toEqual({ state: 'closed', text: 'giấy', commune: '14797', from: '2026-11-01', page: 2 });
    expect(parseCaseQuery({ state: 'nope', page: '-1' })).toEqual({ state: 'waiting', page: 1 });
    expect(parseCaseQuery({ q: ['a', 'b'], page: '1e9' })).toEqual({ state: 'waiting', page: 1 });
  });
});

describe('ratings, the Zalo window and canned replies', () => {
  it('reads a score from a button or a typed number, and nothing else', () => {
    expect(parseRating({ kind: 'choice', value: 'rate:4' })).toBe(4);
    for (const text of ['5', ' 3 ', '4 sao', '2/5', '5⭐', '1.']) expect({ text, score: parseRating({ kind: 'text', value: text }) }).toMatchObject({ text, score: expect.any(Number) });
    for (const text of ['6', '0', '15', 'năm', '5 giấy tờ', 'menu']) expect({ text, score: parseRating({ kind: 'text', value: text }) }).toEqual({ text, score: undefined });
    expect(parseRating({ kind: 'choice', value: 'rate:9' })).toBeUndefined();
    expect(parseRating({ kind: 'start' })).toBeUndefined();
  });

  it('tells free, billed and closed apart at 48 h and 7 days', () => {
    expect(zaloWindow(T0, T0 + 47 * HOUR)).toBe('free');
    expect(zaloWindow(T0, T0 + 48 * HOUR)).toBe('billed');
    expect(zaloWindow(T0, T0 + 7 * 24 * HOUR - 1)).toBe('billed');
    expect(zaloWindow(T0, T0 + 7 * 24 * HOUR)).toBe('impossible');
  });

  it('fills placeholders from the case and leaves unknown ones as typed', () => {
    const c = { id: 'c-1', locale: 'vi' as const, answers: [{ node: 'ho_ten', question: 'Họ tên?', answer: 'Nguyễn Văn An' }], place: { code: '14797', name: 'Phường Hạc Thành' }, flow: { id: 'cu-tru', title: 'Đăng ký cư trú', node: 'a' } };
    expect(fillCanned('Chào {ten}, {thu_tuc} ở {xa}, mã {ma_ho_so}, {can_bo}. {khong_co}', c, 'lan')).toBe('Chào Nguyễn Văn An, Đăng ký cư trú ở Phường Hạc Thành, mã c-1, lan. {khong_co}');
    expect(fillCanned('Chào {ten} ở {xa}', { ...c, answers: [], place: undefined }, 'lan')).toBe('Chào anh/chị ở xã/phường của anh/chị');
  });
});

describe('staff insights', () => {
  it('computes satisfaction per office and ISO week, and medians and p90 of response times', () => {
    const base = generated(1)[0]!;
    const closed = (i: number, queue: string, score: number | undefined, firstReplyMin: number, closeMin: number, openedAt = T0): CaseSummary => ({
      ...base,
      id: `c-${i}`,
      queue,
      status: 'closed',
      openedAt,
      firstReplyAt: openedAt + firstReplyMin * 60_000,
      closedAt: openedAt + closeMin * 60_000,
      closedBy: { kind: 'staff', user: 'lan' },
      ...(score ? { rating: { score, at: openedAt } } : {}),
    });
    const cases = [closed(1, '14797', 5, 1, 10), closed(2, '14797', 3, 2, 20), closed(3, '14797', undefined, 3, 30), closed(4, '14758', 4, 4, 40), closed(5, '14797', 1, 10, 100, T0 + 7 * 24 * HOUR)];
    const out = computeCaseInsights(cases, { from: T0 - HOUR, timezone: TZ });
    expect(out.satisfaction).toEqual([
      { office: '14797', week: isoWeek(T0 + 7 * 24 * HOUR, TZ), rated: 1, closed: 1, mean: 1 },
      { office: '14758', week: isoWeek(T0, TZ), rated: 1, closed: 1, mean: 4 },
      { office: '14797', week: isoWeek(T0, TZ), rated: 2, closed: 3, mean: 4 },
    ]);
    expect(isoWeek(T0, TZ)).toBe('2026-W45');
    expect(out.firstReply).toEqual({ count: 5, medianMs: 3 * 60_000, p90Ms: 10 * 60_000 });
    expect(out.close).toEqual({ count: 5, medianMs: 30 * 60_000, p90Ms: 100 * 60_000 });
    expect(percentile([], 50)).toBeUndefined();
    expect(isoWeek(Date.parse('2027-01-01T05:00:00Z'), TZ)).toBe('2026-W53');
  });
});
