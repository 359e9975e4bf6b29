/**
 * Facts that change on a date (docs/catalogue.md): the card shows the variant in force on the
 * engine's day — the ID-card fee reduction of TT 64/2025/TT-BTC ends on 31/12/2026 and the full
 * fee shows from 1/1/2027 with no edit — and a fact past review_by is still served, with the
 * warning. Every clock here is fixed.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readContentFiles } from '../../src/content/files';
import { factOn, itemsOn, overlapping } from '../../src/content/in-force';
import { catalogueFor } from '../../src/content/index';
import { lintContent } from '../../src/content/lint';
import { newSession, step } from '../../src/engine/step';
import { contentWith, realContent, ROOT } from '../engine/real-content';

const PROCEDURE = `id: the-thu-le-phi
name: Thủ tục thử lệ phí giảm
code: "1.014063"
match: [thủ tục thử lệ phí giảm]
documents:
  - Tờ khai
  - - from: 2027-01-01
      value: Giấy tờ chỉ cần từ năm 2027
fee:
  - until: 2026-12-31
    value: "Cấp đổi: 15.000 đồng (giảm 50% theo Thông tư 64/2025/TT-BTC)"
  - from: 2027-01-01
    value: "Cấp đổi: 30.000 đồng"
notes:
  - - until: 2026-12-31
      value: Mức thu đang giảm 50%.
sources:
  - { url: "https://dichvucong.gov.vn/", title: Cổng Dịch vụ công quốc gia }
verified: 2026-11-20
review_by: 2027-03-01
`;

const at = (iso: string) => Date.parse(`${iso}T03:00:00Z`);

let compiled: ReturnType<typeof contentWith> | undefined;
async function cardOn(iso: string): Promise<string> {
  const content = await (compiled ??= contentWith({ 'content/procedures/the-thu-le-phi.yaml': PROCEDURE }));
  const r = step(content, newSession('vi', at(iso)), { kind: 'text', value: 'thủ tục thử lệ phí giảm' }, at(iso));
  return r.replies.map((x) => x.text).join('\n');
}

describe('a dated fee on the card', () => {
  it('shows the reduced fee on 31/12/2026 and only the full fee from 1/1/2027', async () => {
    const before = await cardOn('2026-12-31');
    expect(before).toContain('15.000 đồng');
    expect(before).not.toContain('30.000 đồng');
    expect(before).toContain('Mức thu đang giảm 50%.');
    expect(before).not.toContain('Giấy tờ chỉ cần từ năm 2027');
    const after = await cardOn('2027-01-01');
    expect(after).toContain('Cấp đổi: 30.000 đồng');
    expect(after).not.toContain('15.000 đồng');
    expect(after).not.toContain('Mức thu đang giảm 50%.');
    expect(after).toContain('Giấy tờ chỉ cần từ năm 2027');
  });

  it('past review_by the facts are still served, with "thông tin có thể đã thay đổi"', async () => {
    const due = await cardOn('2027-03-02');
    expect(due).toContain('Cấp đổi: 30.000 đồng');
    expect(due).toContain('Thông tin có thể đã thay đổi — kiểm tra trên Cổng DVC');
    expect(await cardOn('2027-03-01')).not.toContain('Thông tin có thể đã thay đổi');
  });
});

describe('in-force rules', () => {
  it('picks the variant whose inclusive period holds the day, or none', () => {
    const [a, b] = [{ vi: 'a' }, { vi: 'b' }];
    const fee = [{ until: '2026-12-31', value: a }, { from: '2027-02-01', value: b }];
    expect(factOn(fee, '2026-12-31')).toBe(a);
    expect(factOn(fee, '2027-01-15')).toBeUndefined();
    expect(factOn(fee, '2027-02-01')).toBe(b);
    expect(itemsOn([a, { from: '2027-01-01', value: b }], '2026-06-01')).toEqual([a]);
    expect(overlapping(fee)).toBeUndefined();
    expect(overlapping([{ value: a }, { from: '2027-01-01', value: b }])).toEqual([0, 1]);
  });
});

describe('lint of curated files against the catalogue', () => {
  const catalogue = catalogueFor(ROOT, ['Thanh Hóa']);
  async function lintWith(extra: Record<string, string>) {
    const files = new Map(await readContentFiles(path.join(ROOT, 'test/fixtures/content/valid')));
    for (const [k, v] of Object.entries(extra)) files.set(k, v);
    return lintContent(files, '2026-11-25', 'all', catalogue).diagnostics;
  }
  const base = (lines: string) => `id: thu\nname: Thử\n${lines}\nsources:\n  - { url: "https://dichvucong.gov.vn/", title: Cổng }\nverified: 2026-11-20\nreview_by: 2027-05-01\n`;

  it('unknown-code: a code the catalogue lacks is an error', async () => {
    const d = await lintWith({ 'content/procedures/thu.yaml': base('code: "9.999999"') });
    expect(d.map((x) => `${x.line}:${x.col} ${x.severity} [${x.rule}] ${x.message}`)).toEqual([
      '3:7 error [unknown-code] the national catalogue (content/catalogue/) has no record 9.999999; check the code on dichvucong.gov.vn, or remove "code" if the procedure is not in the catalogue',
    ]);
  });

  it('unknown-code: another province\'s own record does not apply here', async () => {
    const d = await lintWith({ 'content/procedures/thu.yaml': base('code: "1.009122"') });
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain("is Đà Nẵng's own procedure");
  });

  it('record-changed: the record was updated after "verified" (a warning)', async () => {
    const updated = catalogue.entry('1.013133')!.updated;
    const d = await lintWith({ 'content/procedures/thu.yaml': base('code: "1.013133"').replace('verified: 2026-11-20', 'verified: 2026-01-02') });
    expect(d.map((x) => [x.severity, x.rule, x.line])).toEqual([['warning', 'record-changed', 6]]);
    expect(d[0]!.message).toContain(updated);
  });

  it('dated-overlap: two variants in force on one day', async () => {
    const d = await lintWith({ 'content/procedures/thu.yaml': base('fee:\n  - { until: 2026-12-31, value: a }\n  - { from: 2026-12-01, value: b }') });
    expect(d.map((x) => [x.severity, x.rule, x.line])).toEqual([['error', 'dated-overlap', 5]]);
  });

  it('a malformed code is a schema error', async () => {
    const d = await lintWith({ 'content/procedures/thu.yaml': base('code: "1001193"') });
    expect(d.map((x) => x.rule)).toEqual(['schema']);
  });
});

describe('the real ID-card fees on either side of 31/12/2026 (TT 64/2025/TT-BTC)', () => {
  // Renewal: "làm căn cước" → "1" (for me) → "2" (Cấp đổi) → a commune; re-issue: "3" (Cấp lại).
  async function card(iso: string, which: '2' | '3'): Promise<string> {
    const content = await realContent();
    let session = newSession('vi', at(iso));
    let last = '';
    for (const text of ['làm căn cước', '1', which, 'phường Hàm Rồng']) {
      const r = step(content, session, { kind: 'text', value: text }, at(iso));
      session = r.session;
      last = r.replies.map((x) => x.text).join('\n');
    }
    return last;
  }

  it('renewal: 25.000 đồng until 31/12/2026, then 50.000 đồng alone from 1/1/2027', async () => {
    const before = await card('2026-12-31', '2');
    expect(before).toContain('tức 25.000 đồng/thẻ');
    const after = await card('2027-01-01', '2');
    expect(after).toContain('50.000 đồng/thẻ (Thông tư 73/2024/TT-BTC).');
    expect(after).not.toContain('25.000');
  });

  it('re-issue: 35.000 đồng until 31/12/2026, then 70.000 đồng alone from 1/1/2027', async () => {
    expect(await card('2026-12-31', '3')).toContain('tức 35.000 đồng/thẻ');
    const after = await card('2027-01-01', '3');
    expect(after).toContain('70.000 đồng/thẻ (Thông tư 73/2024/TT-BTC).');
    expect(after).not.toContain('35.000');
  });
});
