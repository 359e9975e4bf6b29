/**
 * Copies everything one store holds into another through the Store port: moving a deployment
 * from the embedded files (DATA_DIR) to PostgreSQL without citizens losing their conversations,
 * staff their open cases, or the Zalo OA its single-use refresh token. Only the port is used,
 * so it works between any two adapters (and back, for a restore into files).
 *
 * Re-running it is safe: documents and chats are written again (the source wins), a case whose
 * id the target already has is kept, and an analytics or audit day the target already has is
 * skipped (appending it again would count it twice). Rate-limit counters are not copied: most
 * windows are minutes long, and the longest (today's handoff counts per address, which the
 * embedded store keeps in its `counters` document) only start again on the target.
 */
import { z } from 'zod';
import type { AuditLog } from './audit';
import { FILE_COUNTERS_DOC } from './lowdb/file-counters';
import type { Store } from './store';

export interface CopyEnds {
  store: Store;
  audit: AuditLog;
}

export interface CopyReport {
  docs: number;
  /** Staff accounts written (the source's copy wins, as for documents). */
  staff: number;
  chats: number;
  cases: { copied: number; kept: number };
  analyticsDays: { copied: number; skipped: string[] };
  auditDays: { copied: number; skipped: string[] };
}

/** Called as work goes on: what is being copied, how many so far, and of how many when known. */
export type CopyProgress = (what: 'docs' | 'chats' | 'cases' | 'analytics' | 'audit', done: number, total?: number) => void;

/** The DocStore-backed audit log keeps its days as documents; they are copied as audit days instead. */
const AUDIT_DOC = /^audit-/;
const PROGRESS_EVERY = 500;

export async function copyStore(from: CopyEnds, to: CopyEnds, progress: CopyProgress = () => undefined): Promise<CopyReport> {
  const report: CopyReport = { docs: 0, staff: 0, chats: 0, cases: { copied: 0, kept: 0 }, analyticsDays: { copied: 0, skipped: [] }, auditDays: { copied: 0, skipped: [] } };

  const names = (await from.store.docs.names()).filter((n) => !AUDIT_DOC.test(n) && n !== FILE_COUNTERS_DOC);
  for (const name of names) {
    const value = await from.store.docs.get(name, z.unknown());
    if (value === undefined) continue; // damaged in the source: quarantined there, nothing to copy
    await to.store.docs.set(name, value);
    progress('docs', ++report.docs, names.length);
  }

  for (const { username, account } of await from.store.staff.list()) {
    await to.store.staff.update(username, () => account);
    report.staff++;
  }

  const totalChats = await from.store.chats.count();
  for await (const key of from.store.chats.keys()) {
    const record = await from.store.chats.read(key);
    if (!record) continue;
    await to.store.chats.update(key, () => ({ record, result: undefined }));
    report.chats++;
    if (report.chats % PROGRESS_EVERY === 0) progress('chats', report.chats, totalChats);
  }
  progress('chats', report.chats, totalChats);

  const summaries = await from.store.cases.list();
  for (const s of summaries) {
    const c = await from.store.cases.get(s.id);
    if (!c) continue;
    const { created } = await to.store.cases.create(c);
    if (created) report.cases.copied++;
    else report.cases.kept++;
    const done = report.cases.copied + report.cases.kept;
    if (done % PROGRESS_EVERY === 0) progress('cases', done, summaries.length);
  }
  progress('cases', report.cases.copied + report.cases.kept, summaries.length);

  const targetDays = new Set(await to.store.analytics.days());
  const days = await from.store.analytics.days();
  for (const day of days) {
    if (targetDays.has(day)) report.analyticsDays.skipped.push(day);
    else {
      await to.store.analytics.append(await from.store.analytics.read([day]));
      report.analyticsDays.copied++;
    }
    progress('analytics', report.analyticsDays.copied + report.analyticsDays.skipped.length, days.length);
  }

  const targetAuditDays = new Set(await to.audit.days());
  const auditDays = await from.audit.days();
  for (const day of auditDays) {
    if (targetAuditDays.has(day)) report.auditDays.skipped.push(day);
    else {
      for (const entry of await from.audit.read([day])) await to.audit.append(entry);
      report.auditDays.copied++;
    }
    progress('audit', report.auditDays.copied + report.auditDays.skipped.length, auditDays.length);
  }
  return report;
}
