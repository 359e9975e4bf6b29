/**
 * The staff audit log: every staff action (login, claim, reply, note, transfer, close, canned-
 * reply edit, export…) with who, when and which case. Append-only: the port has no update, and
 * whole days are removed only by retention after AUDIT_RETENTION_DAYS.
 */
import { z } from 'zod';
import type { DocStore } from './store';

export const AUDIT_ACTIONS = ['login', 'login_failed', 'logout', 'claim', 'takeover', 'reply', 'note', 'transfer', 'assign', 'close', 'canned_save', 'canned_remove', 'export', 'audit_view'] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  at: z.number(),
  /** Local day of `at` (the file it is kept in, and what retention removes). */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Staff username; for a failed login, the hash of the name typed (never the name or password). */
  by: z.string(),
  action: AuditAction,
  caseId: z.string().optional(),
  /** A short, non-personal detail: the queue a case went to, the canned reply id, the report exported. */
  detail: z.string().max(200).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Entries of the given days in the order they were appended. */
  read(days: readonly string[]): Promise<AuditEntry[]>;
  /** Days that have entries, oldest first. */
  days(): Promise<string[]>;
  removeDay(day: string): Promise<void>;
}

/**
 * The audit log through the Store's DocStore, for adapters without append-only files
 * (PostgreSQL): one document per day plus an index of days. An append is a read-modify-write of
 * that day's document under the DocStore's lock; staff actions are a few hundred a day, so the
 * cost stays small. A removed day is emptied and dropped from the index (DocStore has no delete).
 */
const DayDoc = z.object({ entries: z.array(AuditEntry) });
const DaysDoc = z.object({ days: z.array(z.string()) });
const DAYS_DOC = 'audit-days';
const dayDoc = (day: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return `audit-${day}`;
};

export function createDocAuditLog(docs: DocStore): AuditLog {
  return {
    async append(entry) {
      const e = AuditEntry.parse(entry);
      await docs.update(dayDoc(e.day), DayDoc, (doc) => ({ entries: [...(doc?.entries ?? []), e] }));
      await docs.update(DAYS_DOC, DaysDoc, (doc) => (doc?.days.includes(e.day) ? doc : { days: [...(doc?.days ?? []), e.day].sort() }));
    },
    async read(days) {
      const out: AuditEntry[] = [];
      for (const day of days) out.push(...((await docs.get(dayDoc(day), DayDoc))?.entries ?? []));
      return out;
    },
    async days() {
      return (await docs.get(DAYS_DOC, DaysDoc))?.days ?? [];
    },
    async removeDay(day) {
      await docs.set(dayDoc(day), { entries: [] });
      await docs.update(DAYS_DOC, DaysDoc, (doc) => ({ days: (doc?.days ?? []).filter((d) => d !== day) }));
    },
  };
}
