/**
 * The staff audit log: every staff action (login, claim, reply, note, transfer, close, canned-
 * reply edit, export…) with who, when and which case. Append-only: the port has no update, and
 * whole days are removed only by retention after AUDIT_RETENTION_DAYS.
 */
import { z } from 'zod';

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
