/**
 * Raw portal records → the compiled catalogue and its data-quality report. Pure and
 * deterministic: records are sorted by code, nothing depends on the clock or the machine.
 */
import { cleanText, headingOf, isNotesHeading, stripBullet, type CleanStats } from './clean-text';
import type { CatalogueRecord, QualityReport, RecordGroup, RecordMethod, SubmissionMethod, TimeUnit } from './model';
import { tokens } from '../engine/normalize';
import { RawLine, type RawDetail } from './raw-record';

const METHODS: readonly SubmissionMethod[] = ['DIRECT', 'ONLINE', 'POSTAL'];
const UNITS: readonly TimeUnit[] = ['WORKING_DAY', 'DAY', 'HOUR', 'MONTH', 'YEAR'];

/**
 * The province a record was published by for itself, from the publishing agency's name ("UBND
 * tỉnh Thanh Hóa", "UBND Thành phố Hà Nội", "Trung tâm phục vụ hành chính công Thành phố Hà Nội",
 * "Sở Xây dựng - tỉnh Quảng Ngãi"); undefined for national records (ministries, the State Bank…).
 */
export function provinceOf(agency: string): string | undefined {
  const a = agency.trim();
  const m =
    /^(?:UBND|Ủy ban nhân dân)\s+(?:tỉnh|thành phố)\s+(.+)$/iu.exec(a) ??
    /^Trung tâm phục vụ hành chính công\s+(?:tỉnh|thành phố)\s+(.+)$/iu.exec(a) ??
    /\s-\s(?:tỉnh|thành phố)\s+(.+)$/iu.exec(a);
  return m ? m[1]!.trim() : undefined;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function compileRecord(group: string, d: RawDetail, stats: CleanStats): CatalogueRecord {
  const clean = (s: string) => cleanText(s, stats);
  const issuing = d.procedureProposal?.issuingAgency?.name ?? '';
  const province = provinceOf(issuing);

  const groups: RecordGroup[] = [];
  for (const c of d.executionCases) {
    const name = clean(c.name);
    const heading = name === '' ? undefined : (headingOf(name) ?? name.replace(/^[*]\s*/, ''));
    const items = c.profileComponents
      .map((p) => {
        const text = stripBullet(clean(p.name));
        const forms = (p.attachments ?? []).map((a) => clean(a?.name || a?.fileName || '')).filter((n) => n !== '');
        return {
          text,
          ...(p.originalQty ? { original: p.originalQty } : {}),
          ...(p.copyQty ? { copy: p.copyQty } : {}),
          ...(p.required ? { required: true } : {}),
          ...(forms.length > 0 ? { forms } : {}),
        };
      })
      .filter((i) => i.text !== '');
    if (items.length === 0 && !heading) continue;
    groups.push({ ...(heading ? { heading } : {}), ...(isNotesHeading(heading) ? { notes: true } : {}), items });
  }

  // A method whose unit is OTHER takes the unit from the record's cases when they all agree.
  const caseDays = d.cases.map((c) => c.processingDay).filter((p): p is NonNullable<typeof p> => !!p && !!p.qty && UNITS.includes(p.type as TimeUnit));
  const caseTime = caseDays.length > 0 && caseDays.every((p) => p.qty === caseDays[0]!.qty && p.type === caseDays[0]!.type) ? { qty: caseDays[0]!.qty!, unit: caseDays[0]!.type as TimeUnit } : undefined;
  const methods: RecordMethod[] = d.executionMethods
    .filter((m) => METHODS.includes(m.submissionMethod as SubmissionMethod))
    .map((m) => {
      const unit = UNITS.includes(m.processingTimeUnit as TimeUnit) ? (m.processingTimeUnit as TimeUnit) : undefined;
      const words = typeof m.processingTime === 'string' && !/^\s*\d+(?:[.,]\d+)?\s*$/.test(m.processingTime) ? clean(m.processingTime) : '';
      const qty = typeof m.processingTime === 'number' ? m.processingTime : words === '' && m.processingTime ? Number(m.processingTime.replace(',', '.')) : undefined;
      const time = unit && qty !== undefined && qty > 0 ? { qty, unit } : caseTime;
      const note = clean(m.description);
      const timeText = words.length > 1 ? words : '';
      return {
        method: m.submissionMethod as SubmissionMethod,
        ...(time ? { time } : {}),
        ...(timeText ? { timeText } : {}),
        ...(note ? { note } : {}),
        fees: m.fees.map((f) => {
          const text = clean(f.description);
          return { type: f.type, value: f.value, ...(text ? { text } : {}) };
        }),
      };
    })
    .sort((a, b) => METHODS.indexOf(a.method) - METHODS.indexOf(b.method));

  const requirements = clean(d.requirementsAndConditions);
  const field = clean(d.category?.name ?? '');
  const agency = clean(d.departmentPromulgateName) || clean(issuing);
  return {
    code: d.code.trim(),
    id: d.id,
    name: clean(d.name),
    ...(field ? { field } : {}),
    group,
    ...(province ? { province } : {}),
    ...(agency ? { agency } : {}),
    levels: { commune: !!d.isWard, province: !!d.isProvince, ministry: !!d.isMinistry, vertical: !!d.isVertical },
    executing: unique(d.unitGroupsExecuting.map((u) => clean(u.name)).filter(Boolean)),
    subjects: unique(d.subjectTypesDetails.map((s) => clean(s.name)).filter(Boolean)),
    groups,
    methods,
    steps: d.executionSteps.map((s) => clean([s.name, s.description].filter(Boolean).join('\n'))).filter(Boolean),
    ...(requirements ? { requirements } : {}),
    results: unique(d.resultsDetails.map((r) => clean(r.name)).filter(Boolean)),
    legal: d.legalBasisesDetails.map((l) => ({ code: clean(l.code ?? ''), name: clean(l.name) })).filter((l) => l.code || l.name),
    ...(d.procedureProposal?.proposalNumber
      ? { decision: { number: clean(d.procedureProposal.proposalNumber), ...(d.procedureProposal.decisionDate ? { date: isoDay(d.procedureProposal.decisionDate) } : {}) } }
      : {}),
    updated: isoDay(d.updatedAt),
  };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Does any method state a fee: an amount, or words of the record about it? */
export function hasFee(r: CatalogueRecord): boolean {
  return r.methods.some((m) => m.fees.some((f) => f.value > 0 || !!f.text));
}

export function compileCatalogue(jsonl: string): { records: CatalogueRecord[]; report: QualityReport } {
  const stats: CleanStats = { cleaned: 0 };
  const records: CatalogueRecord[] = [];
  const skipped: QualityReport['skipped'] = [];
  const seen = new Map<string, number>();
  jsonl.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      skipped.push({ line: i + 1, reason: 'not valid JSON' });
      return;
    }
    const parsed = RawLine.safeParse(json);
    if (!parsed.success) {
      skipped.push({ line: i + 1, reason: `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` });
      return;
    }
    const rec = compileRecord(parsed.data.group, parsed.data.raw.detail, stats);
    // " 1.014325" and "1.014325" are one code once trimmed: the later update wins.
    const other = seen.get(rec.code);
    if (other !== undefined) {
      skipped.push({ line: i + 1, reason: `duplicate code ${rec.code} (kept the later update)` });
      if (records[other]!.updated >= rec.updated) return;
      records[other] = rec;
      return;
    }
    seen.set(rec.code, records.length);
    records.push(rec);
  });
  records.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  addKeywords(records);
  const byProvince: Record<string, number> = {};
  for (const r of records) if (r.province) byProvince[r.province] = (byProvince[r.province] ?? 0) + 1;
  const docGroups = records.flatMap((r) => r.groups.filter((g) => !g.notes));
  const report: QualityReport = {
    records: records.length,
    national: records.filter((r) => !r.province).length,
    local: records.filter((r) => r.province).length,
    byProvince: Object.fromEntries(Object.entries(byProvince).sort(([a], [b]) => a.localeCompare(b, 'vi'))),
    documentGroups: docGroups.length,
    documentItems: docGroups.reduce((n, g) => n + g.items.length, 0),
    noFee: records.filter((r) => !hasFee(r)).length,
    noTimeUnit: records.filter((r) => r.methods.length === 0 || r.methods.some((m) => !m.time && !m.timeText)).length,
    noDocuments: records.filter((r) => !r.groups.some((g) => !g.notes && g.items.length > 0)).length,
    textsCleaned: stats.cleaned,
    skipped,
  };
  return { records, report };
}

/** Word pairs a record's keywords may hold at most; and the share of records a pair may appear in. */
const KEYWORDS = 24;
const MAX_SHARE = 0.02;

/**
 * Each record's most distinctive word pairs (folded), from its prose (documents, steps,
 * requirements, results): term frequency × inverse document frequency, rare pairs only. They let
 * "con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự" tell the first registration (whose text says "đủ
 * 17 tuổi") from the five other military-service records with the same words in their names.
 */
function addKeywords(records: CatalogueRecord[]): void {
  const tf = records.map((r) => {
    const text = [r.requirements ?? '', ...r.results, ...r.subjects, ...r.groups.flatMap((g) => g.items.map((i) => i.text)), ...r.steps].join('\n');
    const counts = new Map<string, number>();
    for (const piece of text.split(/[\n.;:()]/)) {
      const w = tokens(piece);
      for (let i = 1; i < w.length; i++) {
        const pair = `${w[i - 1]} ${w[i]}`;
        counts.set(pair, (counts.get(pair) ?? 0) + 1);
      }
    }
    return counts;
  });
  const df = new Map<string, number>();
  for (const counts of tf) for (const k of counts.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const n = records.length;
  records.forEach((r, i) => {
    r.keywords = [...tf[i]!]
      .filter(([k]) => df.get(k)! <= n * MAX_SHARE)
      .map(([k, c]) => [k, (1 + Math.log(c)) * Math.log(n / df.get(k)!)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, KEYWORDS)
      .map(([k]) => k);
  });
}
