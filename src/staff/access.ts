/**
 * Who may see and do what in the staff console (pure). A staff account has a role and a scope:
 *
 * - officer: sees and claims only cases whose queue is in their scope — their communes, or
 *   the province queue (cases with no place, or for a provincial office) when their scope is
 *   `province`, or everything with `all`;
 * - supervisor: sees every case of the province, reassigns (transfers) and reads the audit log;
 * - admin: what a supervisor can, and edits the canned replies.
 *
 * A deployment serves one province (the region under content/regions), so `province` needs no
 * code; a second province would add one to the scope and the case.
 */
import { z } from 'zod';
import { PROVINCE_QUEUE } from '../store/cases';

export const StaffRole = z.enum(['officer', 'supervisor', 'admin']);
export type StaffRole = z.infer<typeof StaffRole>;

export const StaffScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('province') }),
  z.object({ kind: z.literal('communes'), codes: z.array(z.string().regex(/^\d{3,6}$/)).min(1) }),
]);
export type StaffScope = z.infer<typeof StaffScope>;

export interface StaffAccount {
  user: string;
  role: StaffRole;
  scope: StaffScope;
}

/** Accounts made before roles existed keep what they had: every case. */
export const LEGACY_ACCOUNT = { role: 'admin', scope: { kind: 'all' } } as const satisfies Omit<StaffAccount, 'user'>;

/** `all`, `province` or `communes:14758,14761` (the form `npm run staff:add` takes). */
export function parseScope(text: string): StaffScope | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'all') return { kind: 'all' };
  if (t === 'province' || /^province:[a-z0-9-]+$/.test(t)) return { kind: 'province' };
  const m = /^communes?:(.+)$/.exec(t);
  if (!m) return undefined;
  const codes = [...new Set(m[1]!.split(',').map((c) => c.trim()).filter(Boolean))];
  const parsed = StaffScope.safeParse({ kind: 'communes', codes });
  return parsed.success ? parsed.data : undefined;
}

export function formatScope(scope: StaffScope): string {
  return scope.kind === 'communes' ? `communes:${scope.codes.join(',')}` : scope.kind;
}

/** The queues an account works on; supervisors and admins see the whole province. */
export function canSee(account: Pick<StaffAccount, 'role' | 'scope'>, queue: string): boolean {
  if (account.role !== 'officer' || account.scope.kind === 'all') return true;
  if (account.scope.kind === 'province') return queue === PROVINCE_QUEUE;
  return account.scope.codes.includes(queue);
}

export const canReassign = (a: Pick<StaffAccount, 'role'>) => a.role !== 'officer';
export const canReadAudit = (a: Pick<StaffAccount, 'role'>) => a.role !== 'officer';
export const canEditCanned = (a: Pick<StaffAccount, 'role'>) => a.role === 'admin';
