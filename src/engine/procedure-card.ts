/**
 * The answer a citizen came for: documents, fee, time, where, online link, legal basis and how
 * fresh the facts are. A fact the content does not have is said to be unknown, never guessed.
 */
import { dayOf, factOn, itemsOn } from '../content/in-force';
import { nameOf, say, t, text, type StepContext } from './context';
import type { Office, OfficeKind, Procedure, ReplyLink } from './types';

const BULLET = '• ';

export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function unknown(ctx: StepContext): string {
  return t(ctx, 'procedure.unknown');
}

export function renderProcedure(ctx: StepContext, proc: Procedure, officeKind: OfficeKind | undefined, intro?: string): void {
  const lines: string[] = [];
  if (intro) lines.push(intro, '');
  lines.push(t(ctx, 'procedure.title', { name: nameOf(ctx, proc.name) }));
  if (proc.code) lines.push(t(ctx, 'procedure.code', { code: proc.code }));
  if (proc.applies_to) lines.push(t(ctx, 'procedure.applies_to', { value: text(ctx, proc.applies_to) }));

  // Dated facts: the variant in force on the engine's day (docs/catalogue.md).
  const day = dayOf(ctx.now);
  const documents = itemsOn(proc.documents, day);
  const fee = factOn(proc.fee, day);
  const time = factOn(proc.processing_time, day);
  lines.push('', t(ctx, 'procedure.documents'));
  if (documents && documents.length > 0) for (const d of documents) lines.push(BULLET + text(ctx, d));
  else lines.push(BULLET + unknown(ctx));

  lines.push('', t(ctx, 'procedure.fee', { value: fee ? text(ctx, fee) : unknown(ctx) }));
  lines.push(t(ctx, 'procedure.time', { value: time ? text(ctx, time) : unknown(ctx) }));

  lines.push('', ...whereLines(ctx, proc, officeKind ?? proc.handled_by));

  const links: ReplyLink[] = [];
  if (proc.online) {
    lines.push('', t(ctx, proc.online.vneid ? 'procedure.online_vneid' : 'procedure.online'));
    if (proc.online.note) lines.push(text(ctx, proc.online.note));
    links.push({ url: proc.online.url, label: t(ctx, 'procedure.online_link') });
  }
  if (proc.legal_basis && proc.legal_basis.length > 0) {
    lines.push('', t(ctx, 'procedure.legal_basis'));
    for (const l of proc.legal_basis) lines.push(BULLET + l);
  }
  const notes = itemsOn(proc.notes, day) ?? [];
  if (notes.length > 0) {
    lines.push('', t(ctx, 'procedure.notes'));
    for (const n of notes) lines.push(BULLET + text(ctx, n));
  }
  lines.push('', ...freshness(ctx, proc, links));
  say(ctx, lines.join('\n'), links);
}

/** "Thông tin kiểm tra ngày …, nguồn: …", with the sources on allowlisted domains as links. */
function freshness(ctx: StepContext, proc: Procedure, links: ReplyLink[]): string[] {
  const lines: string[] = [];
  const titles = (proc.sources ?? []).map((s) => s.title);
  if (proc.verified) lines.push(t(ctx, 'procedure.verified', { date: formatDate(proc.verified), sources: titles.join('; ') }));
  if (proc.review_by && proc.review_by < dayOf(ctx.now)) lines.push(t(ctx, 'procedure.stale'));
  for (const s of proc.sources ?? []) {
    if (isAllowed(s.url, ctx.content.settings.link_allowlist) && !links.some((l) => l.url === s.url))
      links.push({ url: s.url, label: t(ctx, 'procedure.source_link', { title: s.title }) });
  }
  return lines;
}

/** `fallback`: what to say when neither the directory nor the procedure names an office (a record's level). */
/** `withRule: false` leaves out the general rule when a concrete office is named (a card short of room). */
export function whereLines(ctx: StepContext, proc: Procedure | undefined, kind: OfficeKind | undefined, fallback?: string, withRule = true): string[] {
  const lines = [t(ctx, 'procedure.where')];
  const place = ctx.session.place;
  const offices = kind ? ctx.content.offices.find(kind, place?.code) : [];
  if (offices.length > 0) {
    for (const o of offices.slice(0, 3)) lines.push(...officeLines(ctx, o));
  } else if (proc?.where) {
    lines.push(BULLET + text(ctx, proc.where));
  } else if (fallback) {
    lines.push(BULLET + fallback);
  } else {
    lines.push(BULLET + unknown(ctx));
  }
  if (proc?.where && offices.length > 0 && withRule) lines.push(t(ctx, 'procedure.where_rule', { value: text(ctx, proc.where) }));
  if (!place && (kind === 'commune_center' || kind === 'commune_police')) lines.push(t(ctx, 'procedure.where_no_place'));
  return lines;
}

export function officeLines(ctx: StepContext, o: Office): string[] {
  const lines = [BULLET + text(ctx, o.name)];
  lines.push('  ' + t(ctx, 'office.address', { value: o.address ? text(ctx, o.address) : t(ctx, 'office.unknown_address') }));
  if (o.phone) lines.push('  ' + t(ctx, 'office.phone', { value: o.phone }));
  if (o.hours) lines.push('  ' + t(ctx, 'office.hours', { value: text(ctx, o.hours) }));
  if (o.note) lines.push('  ' + text(ctx, o.note));
  return lines;
}

/** Allowlist entries are host names; "*.gov.vn" allows every subdomain of gov.vn. */
export function isAllowed(url: string, allowlist: readonly string[]): boolean {
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:') return false;
    host = u.hostname.toLowerCase();
  } catch {
    return false;
  }
  return allowlist.some((entry) => {
    const e = entry.toLowerCase();
    return e.startsWith('*.') ? host.endsWith(e.slice(1)) || host === e.slice(2) : host === e;
  });
}
