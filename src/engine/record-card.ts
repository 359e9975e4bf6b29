/**
 * The card of a catalogue record, alone or under a curated procedure that names it by `code`
 * (docs/catalogue.md): fields the curated file gives win, the rest come from the record. The
 * first message is what a citizen needs at the counter — who it is for, what to bring, time, fee,
 * where, the portal link and the source line — and fits one Zalo message: documents are cut at
 * an item, never inside one, with the rest behind "Xem đủ giấy tờ". Steps, legal basis and notes
 * are behind options.
 */
import { feeLines, shorten, timeLines, type Say } from '../catalogue/facts-text';
import { portalLink, type CatalogueRecord, type RecordGroup } from '../catalogue/model';
import { dayOf, factOn, itemsOn } from '../content/in-force';
import { ask, say, t, text, type OptionSpec, type StepContext } from './context';
import { formatDate, renderProcedure, whereLines } from './procedure-card';
import type { CardPart, OfficeKind, Procedure, ReplyLink } from './types';

const BULLET = '• ';
/**
 * The first message's budget in characters, below Zalo's 2,000 for the whole rendered message:
 * links are appended as "🔗 label: url" lines by the channel (counted below), options go in the
 * next message.
 */
export const FIRST_MESSAGE_MAX = 1900;
const ZALO_MESSAGE_MAX = 2000;

export interface CardRef {
  code: string;
  procedure?: string;
}

function sayer(ctx: StepContext): Say {
  return (key, params) => t(ctx, key, params);
}

/** Which office handles a record at the citizen's level: police procedures go to the police. */
export function officeKindOf(r: Pick<CatalogueRecord, 'levels' | 'agency'>): OfficeKind | undefined {
  const police = r.agency === 'Bộ Công an';
  if (r.levels.commune) return police ? 'commune_police' : 'commune_center';
  if (r.levels.province) return police ? 'provincial_police' : 'province_center';
  return undefined;
}

/** "cấp xã" / "cấp tỉnh" / "cấp trung ương", for option labels and the card. */
export function levelOf(ctx: StepContext, r: Pick<CatalogueRecord, 'levels'>): string {
  const levels = [r.levels.commune ? 'commune' : '', r.levels.province ? 'province' : '', !r.levels.commune && !r.levels.province ? 'central' : ''].filter(Boolean);
  return levels.map((l) => t(ctx, `card.level.${l}`)).join(', ');
}

function itemLine(ctx: StepContext, item: RecordGroup['items'][number]): string {
  const counts = [item.original ? t(ctx, 'card.original', { count: item.original }) : '', item.copy ? t(ctx, 'card.copy', { count: item.copy }) : ''].filter(Boolean);
  return BULLET + item.text + (counts.length > 0 ? ` (${counts.join(', ')})` : '');
}

/** The document lines of a record, heading lines included, as the record groups them. */
function recordDocumentLines(ctx: StepContext, r: CatalogueRecord): Array<{ line: string; item: boolean }> {
  const out: Array<{ line: string; item: boolean }> = [];
  for (const g of r.groups.filter((g) => !g.notes && g.items.length > 0)) {
    if (g.heading) out.push({ line: `▸ ${g.heading}:`, item: false });
    for (const i of g.items) out.push({ line: itemLine(ctx, i), item: true });
  }
  return out;
}

function documentLines(ctx: StepContext, proc: Procedure | undefined, r: CatalogueRecord): Array<{ line: string; item: boolean }> {
  const curated = itemsOn(proc?.documents, dayOf(ctx.now));
  if (curated && curated.length > 0) return curated.map((d) => ({ line: BULLET + text(ctx, d), item: true }));
  return recordDocumentLines(ctx, r);
}

function factLines(ctx: StepContext, key: 'procedure.fee' | 'procedure.time', curated: string | undefined, fromRecord: { single?: string; lines: string[] }): string[] {
  if (curated !== undefined) return [t(ctx, key, { value: curated })];
  if (fromRecord.single !== undefined) return [t(ctx, key, { value: fromRecord.single })];
  return [t(ctx, key, { value: '' }).replace(/\s+$/, ''), ...fromRecord.lines.map((l) => BULLET + l)];
}

function linksLength(links: readonly ReplyLink[]): number {
  return links.reduce((n, l) => n + l.label.length + l.url.length + 6, 2);
}

/** How many characters the fixed part of a card should leave for documents before it is shortened. */
const ROOM_FOR_DOCUMENTS = 500;

interface Fixed {
  head: string[];
  tail: string[];
  links: ReplyLink[];
  length: number;
}

/** Lists in a card: at most `max` entries, cut after a whole entry. */
function list(values: readonly string[], max: number): string {
  return values.length <= max ? values.join(', ') : `${values.slice(0, max).join(', ')}…`;
}

/** Everything of the first message but the documents, at `level` of compaction (0 = all). */
function buildFixed(ctx: StepContext, proc: Procedure | undefined, r: CatalogueRecord, officeKind: OfficeKind | undefined, intro: string | undefined, level: number): Fixed {
  const day = dayOf(ctx.now);
  const s = sayer(ctx);
  const prose = [280, 160, 90, 60, 60][level]!;
  const entries = [20, 6, 4, 3, 3][level]!;
  const head: string[] = [];
  if (intro) head.push(intro, '');
  head.push(t(ctx, 'procedure.title', { name: proc ? text(ctx, proc.name) : level < 3 ? r.name : shorten(r.name, 200) }));
  head.push(t(ctx, 'procedure.code', { code: r.code }) + ` · ${levelOf(ctx, r)}`);
  // At the last level a long curated "who it is for" is shortened; "Xem đủ giấy tờ" repeats it whole.
  if (proc?.applies_to) head.push(t(ctx, 'procedure.applies_to', { value: level < 4 ? text(ctx, proc.applies_to) : shorten(text(ctx, proc.applies_to), 200) }));
  else if (r.subjects.length > 0) head.push(t(ctx, 'card.for', { value: list(r.subjects, entries) }));

  const tail: string[] = [''];
  const fee = factOn(proc?.fee, day);
  const time = factOn(proc?.processing_time, day);
  tail.push(...factLines(ctx, 'procedure.time', time ? text(ctx, time) : undefined, timeLines(r, s, prose)));
  tail.push(...factLines(ctx, 'procedure.fee', fee ? text(ctx, fee) : undefined, feeLines(r, s, prose)));
  tail.push('');
  const kind = officeKind ?? proc?.handled_by ?? officeKindOf(r);
  if (kind) tail.push(...whereLines(ctx, proc, kind, t(ctx, `card.where_${kind}`), level < 4));
  else {
    tail.push(t(ctx, 'procedure.where'));
    tail.push(BULLET + (r.executing.length > 0 ? shorten(r.executing.join('; '), prose) : (r.agency ?? t(ctx, 'procedure.unknown'))));
  }
  if (kind && r.executing.length > 0 && level < 3) tail.push(t(ctx, 'card.executing', { value: shorten(r.executing.join('; '), prose) }));

  const links: ReplyLink[] = [];
  if (proc?.online) {
    tail.push('', t(ctx, proc.online.vneid ? 'procedure.online_vneid' : 'procedure.online'));
    if (proc.online.note && level < 4) tail.push(text(ctx, proc.online.note));
    links.push({ url: proc.online.url, label: t(ctx, 'procedure.online_link') });
  }
  if (!links.some((l) => l.url === portalLink(r))) links.push({ url: portalLink(r), label: t(ctx, 'card.portal_link') });
  if (proc?.legal_basis && proc.legal_basis.length > 0 && level < 3) tail.push('', t(ctx, 'procedure.legal_basis'), ...proc.legal_basis.map((l) => BULLET + l));
  const notes = itemsOn(proc?.notes, day) ?? [];
  if (notes.length > 0 && level < 3) tail.push('', t(ctx, 'procedure.notes'), ...notes.map((n) => BULLET + text(ctx, n)));
  tail.push('');
  const curatedFacts = !!proc && (proc.documents !== undefined || fee !== undefined || time !== undefined || proc.where !== undefined || proc.online !== undefined || (proc.legal_basis?.length ?? 0) > 0);
  // At the last level the curated sources' titles move behind "Xem căn cứ pháp lý": what to bring
  // matters more on a phone than the list of where the editors checked it.
  if (curatedFacts && proc?.verified) {
    if (level < 4 || (proc.sources ?? []).length === 0) tail.push(t(ctx, 'procedure.verified', { date: formatDate(proc.verified), sources: (proc.sources ?? []).map((x) => x.title).join('; ') }));
    else tail.push(t(ctx, 'card.verified_sources_behind', { date: formatDate(proc.verified) }));
  }
  tail.push(t(ctx, 'card.source', { date: formatDate(r.updated) }));
  if (proc?.review_by && proc.review_by < day) tail.push(t(ctx, 'procedure.stale'));

  const length = [...head, '', t(ctx, 'procedure.documents'), ...tail].join('\n').length + linksLength(links);
  return { head, tail, links, length };
}

/**
 * Renders the card and returns the options that lead to the rest of it. A curated procedure
 * without a record in the catalogue keeps its own card.
 */
export function renderCard(ctx: StepContext, ref: { proc?: Procedure; record?: CatalogueRecord }, officeKind?: OfficeKind, intro?: string): OptionSpec[] {
  const { proc, record: r } = ref;
  if (!r) {
    if (proc) renderProcedure(ctx, proc, officeKind, intro);
    return [];
  }
  // The fixed part is built at decreasing detail until it leaves room for documents: the
  // record's prose in fee and time lines gets shorter, long lists are cut at a whole entry, and at
  // last the curated legal basis and notes move behind their options.
  const docs = documentLines(ctx, proc, r);
  const moreLine = (n: number) => t(ctx, 'card.more_documents_line', { count: n });
  // The first document with the headings above it: what the card must show at the least.
  const firstLines = docs.slice(0, docs.findIndex((d) => d.item) + 1).map((d) => d.line);
  const firstItem = firstLines.reduce((n, line) => n + line.length + 1, 0);
  let built = buildFixed(ctx, proc, r, officeKind, intro, 0);
  for (let level = 1; level <= 3 && built.length > FIRST_MESSAGE_MAX - ROOM_FOR_DOCUMENTS; level++) built = buildFixed(ctx, proc, r, officeKind, intro, level);
  // The last level only when even the first document would not fit otherwise.
  if (built.length + firstItem + moreLine(99).length + 1 > FIRST_MESSAGE_MAX) built = buildFixed(ctx, proc, r, officeKind, intro, 4);
  const { head, tail, links } = built;

  // Documents get what the rest leaves of the budget, cut after a whole item.
  const fixed = built.length;
  let room = FIRST_MESSAGE_MAX - fixed - moreLine(99).length - 1;
  const shown: string[] = [];
  let used = 0;
  for (const d of docs) {
    if (used + d.line.length + 1 > room) break;
    shown.push(d.line);
    used += d.line.length + 1;
  }
  // A heading with none of its items shown is dropped with them.
  while (shown.length > 0 && !docs[shown.length - 1]!.item) shown.pop();
  // A card that lists no document at all says least of what a citizen came for: the first item
  // (with its heading) may use the margin kept under Zalo's 2,000 characters.
  if (shown.length === 0 && firstItem > 0 && fixed + firstItem + moreLine(99).length + 1 <= ZALO_MESSAGE_MAX - 20) {
    shown.push(...firstLines);
  }
  const hidden = docs.slice(shown.length).filter((d) => d.item).length;
  const body = [...head, '', t(ctx, 'procedure.documents')];
  if (docs.length === 0) body.push(BULLET + t(ctx, 'card.no_documents'));
  body.push(...shown);
  if (hidden > 0) body.push(moreLine(hidden));
  say(ctx, [...body, ...tail].join('\n').replace(/\n{3,}/g, '\n\n'), links);

  const cardRef: CardRef = { code: r.code, ...(proc ? { procedure: proc.id } : {}) };
  return moreOptions(ctx, r, proc, cardRef, hidden > 0 ? undefined : 'documents');
}

function hasPart(r: CatalogueRecord, proc: Procedure | undefined, part: CardPart): boolean {
  switch (part) {
    case 'documents':
      return r.groups.some((g) => !g.notes && g.items.length > 0);
    case 'steps':
      return r.steps.length > 0;
    case 'legal':
      return r.legal.length > 0 || (proc?.legal_basis?.length ?? 0) > 0 || (proc?.sources?.length ?? 0) > 0;
    case 'notes':
      return !!r.requirements || r.groups.some((g) => g.notes && g.items.length > 0) || (proc?.notes?.length ?? 0) > 0 || !!proc?.online?.note || !!proc?.where;
  }
}

const PARTS: readonly CardPart[] = ['documents', 'steps', 'legal', 'notes'];

function moreOptions(ctx: StepContext, r: CatalogueRecord, proc: Procedure | undefined, ref: CardRef, except: CardPart | undefined): OptionSpec[] {
  return PARTS.filter((p) => p !== except && hasPart(r, proc, p)).map((part) => ({ label: t(ctx, `card.more.${part}`), action: { do: 'record', ...ref, part } }));
}

/** One part of a card behind its option ("Xem trình tự"), then the other parts and the usual choices. */
export function renderPart(ctx: StepContext, r: CatalogueRecord, proc: Procedure | undefined, part: CardPart): void {
  const lines = [t(ctx, `card.part.${part}`, { name: proc ? text(ctx, proc.name) : r.name })];
  switch (part) {
    case 'documents':
      if (proc?.applies_to) lines.push(t(ctx, 'procedure.applies_to', { value: text(ctx, proc.applies_to) }), '');
      lines.push(...documentLines(ctx, proc, r).map((d) => d.line));
      for (const g of r.groups.filter((g) => !g.notes)) for (const i of g.items) if (i.forms?.length) lines.push(t(ctx, 'card.forms', { item: i.text.slice(0, 60), forms: i.forms.join('; ') }));
      break;
    case 'steps':
      lines.push(...r.steps);
      break;
    case 'legal':
      if (proc?.legal_basis) lines.push(...proc.legal_basis.map((l) => BULLET + l));
      lines.push(...r.legal.map((l) => BULLET + [l.code, l.name].filter(Boolean).join(' — ')));
      if (proc?.sources && proc.sources.length > 0 && proc.verified) lines.push('', t(ctx, 'procedure.verified', { date: formatDate(proc.verified), sources: proc.sources.map((x) => x.title).join('; ') }));
      if (r.decision) lines.push('', t(ctx, 'card.decision', { number: r.decision.number, date: r.decision.date ? formatDate(r.decision.date) : '' }).replace(/\s*\(\)\s*$/, ''));
      break;
    case 'notes':
      if (proc?.where) lines.push(t(ctx, 'procedure.where_rule', { value: text(ctx, proc.where) }));
      if (proc?.online?.note) lines.push(BULLET + text(ctx, proc.online.note));
      lines.push(...(itemsOn(proc?.notes, dayOf(ctx.now)) ?? []).map((n) => BULLET + text(ctx, n)));
      if (r.requirements) lines.push(t(ctx, 'card.requirements'), r.requirements, '');
      for (const g of r.groups.filter((g) => g.notes)) lines.push(...g.items.map((i) => BULLET + i.text));
      break;
  }
  lines.push('', t(ctx, 'card.source', { date: formatDate(r.updated) }));
  say(ctx, lines.join('\n'), [{ url: portalLink(r), label: t(ctx, 'card.portal_link') }]);
  const ref: CardRef = { code: r.code, ...(proc ? { procedure: proc.id } : {}) };
  ask(ctx, t(ctx, 'after.prompt'), 'after', [...afterOptions(ctx), ...moreOptions(ctx, r, proc, ref, part)]);
}

export function afterOptions(ctx: StepContext): OptionSpec[] {
  return [
    { label: t(ctx, 'after.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
    { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
  ];
}
