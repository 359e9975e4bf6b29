/**
 * One province's facts reach that province's citizens only (docs/regional-facts.md). Every
 * curated procedure's card and its parts, and every flow, are rendered on the real content by the
 * pure engine for citizens of Nghệ An (REGIONS=nghe-an, and thanh-hoa,nghe-an) and checked for
 * anything of Thanh Hóa's: its name, its communes and wards, its provincial decisions, its own
 * catalogue records. Thanh Hóa's citizens get exactly what the default deployment tells them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readContentFiles } from '../../src/content/files';
import { lintContent } from '../../src/content/lint';
import { factsIn } from '../../src/content/regional-facts';
import { catalogueFor } from '../../src/content/index';
import { createContext } from '../../src/engine/context';
import { showProcedure } from '../../src/engine/answer';
import { renderPart } from '../../src/engine/record-card';
import { newSession } from '../../src/engine/step';
import type { Content, Locale, Reply } from '../../src/engine/types';
import { converse, realContent, ROOT, T0, textOf } from '../engine/real-content';

let thanhHoa: Content;
let ngheAn: Content;
let both: Content;
beforeAll(async () => {
  [thanhHoa, ngheAn, both] = await Promise.all([realContent(), realContent(['nghe-an']), realContent(['thanh-hoa', 'nghe-an'])]);
}, 120_000);

/** Thanh Hóa's own records in the catalogue (published by UBND tỉnh Thanh Hóa), by code and portal id. */
const thCodes = () => both.catalogue.entries.filter((e) => e.province === 'Thanh Hóa').map((e) => e.code);

/**
 * Anything only Thanh Hóa's, in a reply: written out here rather than taken from the lint, so the
 * test does not share the lint's blind spots.
 */
function thanhHoaIn(replies: readonly Reply[], codes: readonly string[]): string[] {
  const found: string[] = [];
  for (const r of replies) {
    const all = [r.text, ...(r.links ?? []).flatMap((l) => [l.url, l.label]), ...(r.options ?? []).map((o) => o.label)].join('\n');
    for (const m of all.match(/Thanh H[oó][aá]|thanh-hoa|thanhhoa|Hạc Thành|Lê Lợi|2252\/QĐ-VP|NQ-HĐND|QĐ-UBND|\b166 xã/gu) ?? []) found.push(m);
    for (const code of codes) if (all.includes(code)) found.push(code);
  }
  return found;
}

function card(content: Content, id: string, locale: Locale, place?: string): { replies: Reply[]; parts: Reply[][] } {
  const session = newSession(locale, T0);
  if (place) {
    const m = content.places.resolve(place);
    if (m.kind !== 'unit') throw new Error(`${place} → ${m.kind}`);
    session.place = { code: m.unit.code, name: m.unit.full_name };
  }
  const ctx = createContext(content, session, T0);
  showProcedure(ctx, id);
  // The parts behind the card's options, as a tap on each shows them.
  const parts: Reply[][] = [];
  for (const o of ctx.session.pending?.options ?? []) {
    if (o.action.do !== 'record' || !o.action.part) continue;
    const record = content.catalogue.record(o.action.code);
    const proc = o.action.procedure ? factsIn(content.procedures.get(o.action.procedure)!, place ? content.places.byCode(session.place!.code)!.province : content.regions.length === 1 ? content.regions[0]!.slug : undefined) : undefined;
    const x = createContext(content, ctx.session, T0);
    renderPart(x, record!, proc, o.action.part);
    parts.push(x.replies);
  }
  return { replies: ctx.replies, parts };
}

describe('facts of one province (regions.<slug> in content/procedures)', () => {
  it('the real content has Thanh Hóa’s facts under regions.thanh-hoa in 20 procedures and one flow node', () => {
    const own = [...thanhHoa.procedures.values()].filter((p) => p.regions?.['thanh-hoa']);
    expect(own.length).toBe(20);
    const nodes = [...thanhHoa.flows.values()].flatMap((f) => Object.values(f.nodes)).filter((n) => 'regions' in n && n.regions?.['thanh-hoa']);
    expect(nodes.length).toBe(1);
  });

  it('a province’s fields replace the file’s for its citizens only; nothing is copied when a province has none', () => {
    const p = thanhHoa.procedures.get('dang-ky-khai-sinh')!;
    expect(factsIn(p, 'thanh-hoa').fee).toEqual(p.regions!['thanh-hoa']!.fee);
    expect(factsIn(p, 'thanh-hoa').documents).toBe(p.documents);
    expect(factsIn(p, 'nghe-an')).toBe(p);
    expect(factsIn(p, undefined)).toBe(p);
    expect(p.fee).toBeUndefined();
  });

  it('the check below finds Thanh Hóa’s facts where they are meant to be (the default deployment’s cards)', () => {
    const found = [...thanhHoa.procedures.keys()].filter((id) => thanhHoaIn(card(thanhHoa, id, 'vi', 'phường Hạc Thành').replies, thCodes()).length > 0);
    expect(found.length).toBeGreaterThanOrEqual(15);
  });

  it('REGIONS=nghe-an: no card, part or option of any procedure tells a Nghệ An citizen anything of Thanh Hóa’s', () => {
    const codes = thCodes();
    expect(codes.length).toBeGreaterThan(50);
    const bad: string[] = [];
    let checked = 0;
    for (const id of ngheAn.procedures.keys())
      for (const locale of ['vi', 'en'] as const)
        for (const place of [undefined, 'phường Thành Vinh', 'xã Quỳnh Lưu']) {
          const { replies, parts } = card(ngheAn, id, locale, place);
          for (const r of [replies, ...parts]) {
            checked++;
            const found = thanhHoaIn(r, codes);
            if (found.length > 0) bad.push(`${id} ${locale} ${place ?? '(no place)'}: ${[...new Set(found)].join(', ')}`);
          }
        }
    expect(checked).toBeGreaterThan(44 * 2 * 3);
    expect(bad).toEqual([]);
  });

  it('REGIONS=thanh-hoa,nghe-an: a Nghệ An citizen, or one whose province is not known yet, is told nothing of Thanh Hóa’s', () => {
    const codes = thCodes();
    const bad: string[] = [];
    for (const id of both.procedures.keys())
      for (const locale of ['vi', 'en'] as const)
        for (const place of ['phường Thành Vinh', undefined]) {
          const { replies, parts } = card(both, id, locale, place);
          // Without a place the card may name the provinces that have their own facts, and only that.
          const shown = place ? replies : replies.filter((r) => !r.text.includes(locale === 'vi' ? 'có thông tin riêng cho thủ tục này' : 'has its own details for this procedure'));
          for (const r of [shown, ...parts]) {
            const found = thanhHoaIn(r, codes);
            if (found.length > 0) bad.push(`${id} ${locale} ${place ?? '(no place)'}: ${[...new Set(found)].join(', ')}`);
          }
        }
    expect(bad).toEqual([]);
  });

  it('REGIONS=thanh-hoa,nghe-an: a Thanh Hóa citizen gets exactly the card and parts of the default deployment', () => {
    let same = 0;
    for (const id of both.procedures.keys())
      for (const locale of ['vi', 'en'] as const)
        for (const place of ['phường Hạc Thành', 'xã Nga An']) {
          expect(card(both, id, locale, place), `${id} ${locale} ${place}`).toEqual(card(thanhHoa, id, locale, place));
          same++;
        }
    expect(same).toBe(44 * 2 * 2);
  });

  it('without a place, with two provinces served, says which provinces have their own facts and asks for the place', () => {
    const { replies } = card(both, 'dang-ky-khai-sinh', 'vi');
    expect(replies.map((r) => r.text).join('\n')).toContain('Tỉnh Thanh Hóa có thông tin riêng cho thủ tục này (nơi nộp, lệ phí…), chưa nêu ở trên vì tôi chưa biết bạn ở đâu.');
    // A procedure with no province's own facts says nothing of the kind.
    const plain = card(both, 'dang-ky-thuong-tru', 'vi').replies.map((r) => r.text).join('\n');
    expect(plain).not.toContain('có thông tin riêng');
    // One province served: its facts are the citizen's, nothing to ask.
    expect(card(thanhHoa, 'dang-ky-khai-sinh', 'vi').replies.map((r) => r.text).join('\n')).not.toContain('có thông tin riêng');
  });

  it('a Thanh Hóa record a procedure names gives way to the national record elsewhere (first land certificate: 1.115520 → 1.013978)', () => {
    const th = card(thanhHoa, 'cap-giay-chung-nhan-lan-dau', 'vi', 'phường Hạc Thành').replies[0]!.text;
    const na = card(ngheAn, 'cap-giay-chung-nhan-lan-dau', 'vi', 'phường Thành Vinh').replies[0]!.text;
    expect(th).toContain('1.115520');
    expect(na).toContain('1.013978');
    expect(na).not.toContain('1.115520');
    // Both codes lead to the procedure where they are served; only the national one in Nghệ An.
    expect(both.curatedByCode.get('1.115520')).toBe('cap-giay-chung-nhan-lan-dau');
    expect(both.curatedByCode.get('1.013978')).toBe('cap-giay-chung-nhan-lan-dau');
    expect(ngheAn.curatedByCode.get('1.013978')).toBe('cap-giay-chung-nhan-lan-dau');
    expect(ngheAn.curatedByCode.has('1.115520')).toBe(false);
    // The default deployment keeps its codes as before: the national record stays a record of its own.
    expect(thanhHoa.curatedByCode.has('1.013978')).toBe(false);
  });

  it('no flow text or interface string told to everyone names anything of Thanh Hóa’s (only regions.thanh-hoa may)', () => {
    const bad: string[] = [];
    const scan = (where: string, value: unknown): void => {
      if (typeof value === 'string') {
        const found = value.match(/Thanh H[oó][aá]|Hạc Thành|\b166 xã|2252\/QĐ-VP|NQ-HĐND|QĐ-UBND/gu);
        if (found) bad.push(`${where}: ${found.join(', ')}`);
      } else if (Array.isArray(value)) value.forEach((v, i) => scan(`${where}[${i}]`, v));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'regions') scan(`${where}.${k}`, v);
    };
    for (const f of thanhHoa.flows.values()) scan(`flows/${f.id}`, f.nodes);
    for (const key of ['greeting', 'place.ask', 'place.not_found', 'procedure.unknown']) for (const locale of ['vi', 'en'] as const) scan(key, ngheAn.t(locale, key));
    expect(bad).toEqual([]);
  });

  it('the places given as examples are the served province’s own, and each one resolves there', () => {
    const quoted = (c: Content, key: string) => [...c.t('vi', key).matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    expect(quoted(thanhHoa, 'place.ask')).toEqual(['phường Hạc Thành', 'xã Đông Lĩnh cũ']);
    expect(quoted(thanhHoa, 'place.not_found')).toEqual(['xã Xuân Lộc huyện Hậu Lộc']);
    const examples = [...quoted(ngheAn, 'place.ask'), ...quoted(ngheAn, 'place.not_found')];
    expect(examples).toHaveLength(3);
    for (const e of examples) {
      const m = ngheAn.places.resolve(e);
      expect(m.kind === 'unit' && m.unit.province === 'nghe-an', `${e} → ${m.kind}`).toBe(true);
    }
  });

  it('a flow walked by a Nghệ An citizen says no Thanh Hóa words; by a Thanh Hóa citizen, as before', () => {
    // From the card on (the line confirming the place names the province when several are served).
    const walk = (content: Content, place: string) => {
      const c = converse(content, [`tôi ở ${place}, muốn làm sổ đỏ lần đầu`]);
      return textOf(c.last).split('\n').slice(1).join('\n');
    };
    const na = walk(both, 'phường Thành Vinh');
    expect(na).toContain('1.013978');
    expect(na).toContain('Bạn có thể nộp hoặc hỏi trước tại:');
    expect(na).not.toMatch(/Thanh Hóa|1\.115520/);
    const th = walk(both, 'phường Hạc Thành');
    expect(th).toContain('Trung tâm Phục vụ hành chính công các cấp ở Thanh Hóa tiếp nhận hồ sơ đất đai');
    expect(th).toBe(walk(thanhHoa, 'phường Hạc Thành'));
  });
});

describe('the lint keeps one province’s facts in their place', () => {
  const TODAY = '2026-12-01';
  const lintWith = async (changes: Record<string, (text: string) => string>, selection: readonly string[] | 'all' = ['thanh-hoa']) => {
    const files = new Map(await readContentFiles(ROOT));
    for (const [path, change] of Object.entries(changes)) files.set(path, change(files.get(path)!));
    return lintContent(files, TODAY, selection, catalogueFor(ROOT, selection === 'all' ? [] : selection.map((s) => (s === 'thanh-hoa' ? 'Thanh Hóa' : 'Nghệ An')))).diagnostics.filter((d) => d.severity === 'error');
  };
  const KHAI_SINH = 'content/procedures/dang-ky-khai-sinh.yaml';

  it('the real content lints clean with REGIONS=nghe-an and thanh-hoa,nghe-an', async () => {
    expect(await lintWith({}, ['nghe-an'])).toEqual([]);
    expect(await lintWith({}, ['thanh-hoa', 'nghe-an'])).toEqual([]);
  });

  it('a fact at the top of a file that names a province, a ward or a provincial decision is an error', async () => {
    for (const said of ['Tại Thanh Hóa nộp ở đâu cũng được.', 'Nộp tại phường Hạc Thành.', 'Theo Nghị quyết 28/2024/NQ-HĐND.', 'Ở TP HCM nộp online.']) {
      const errors = await lintWith({ [KHAI_SINH]: (t) => t.replace(/^where:\n {2}vi: .*$/m, `where:\n  vi: "${said}"`) });
      expect(errors.map((e) => e.rule), said).toEqual(['regional-fact']);
      expect(errors[0]!.message).toContain('regions.');
    }
  });

  it('an everyday sentence with "xã", "phường" or "tỉnh" is not a province’s fact', async () => {
    const errors = await lintWith({ [KHAI_SINH]: (t) => t.replace(/^where:\n {2}vi: .*$/m, 'where:\n  vi: "Trung tâm Phục vụ hành chính công cấp xã, phường nơi bạn cư trú; mức thu do HĐND tỉnh quyết định."') });
    expect(errors).toEqual([]);
  });

  it('a province’s facts that name another province, an unknown region, or facts with no source are errors', async () => {
    const THUONG_TRU = 'content/procedures/dang-ky-thuong-tru.yaml';
    const nameOther = await lintWith({ [THUONG_TRU]: (t) => `${t}regions:\n  nghe-an:\n    where: "Như ở Thanh Hóa."\n` }, ['thanh-hoa', 'nghe-an']);
    expect(nameOther.map((e) => e.rule)).toEqual(['regional-fact']);
    const unknown = await lintWith({ [THUONG_TRU]: (t) => `${t}regions:\n  thanh-hoaa:\n    where: "Ở xã."\n` });
    expect(unknown.map((e) => e.rule)).toEqual(['unknown-region']);
    const bare = 'id: zz-regional\nname: Thử\nverified: 2026-12-01\nreview_by: 2027-06-01\nregions:\n  thanh-hoa:\n    where: "Ở xã."\n';
    const noSource = await lintWith({ 'content/procedures/zz-regional.yaml': () => bare });
    expect(noSource.map((e) => e.rule)).toEqual(['missing-source']);
    const sourced = await lintWith({ 'content/procedures/zz-regional.yaml': () => `${bare}    sources:\n      - { url: "https://dichvucong.gov.vn/", title: "Cổng DVC", accessed: 2026-12-01 }\n` });
    expect(sourced).toEqual([]);
  });

  it('a province’s own catalogue record named at the top of a file is an error; under its province it is served only there', async () => {
    const LAND = 'content/procedures/cap-giay-chung-nhan-lan-dau.yaml';
    const top = await lintWith({ [LAND]: (t) => t.replace(/^code: "1\.013978".*$/m, 'code: "1.115520"') });
    expect(top.map((e) => e.rule)).toEqual(['regional-code']);
    const wrongProvince = await lintWith({ [LAND]: (t) => t.replace(/^ {2}thanh-hoa:$/m, '  nghe-an:') }, ['thanh-hoa', 'nghe-an']);
    expect(wrongProvince.map((e) => e.rule)).toContain('regional-code');
  });

  it('a flow node that says a province’s fact to everyone is an error', async () => {
    const errors = await lintWith({ 'flows/dat-dai.yaml': (t) => t.replace('say: { vi: "Bạn có thể nộp hoặc hỏi trước tại:"', 'say: { vi: "Ở Thanh Hóa, bạn có thể nộp hoặc hỏi trước tại:"') });
    expect(errors.map((e) => e.rule)).toEqual(['regional-fact']);
  });
});
