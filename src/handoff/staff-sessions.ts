/**
 * Staff login sessions, kept in the store's documents (so they survive a restart). The cookie
 * carries a random id; the store keeps only its SHA-256, so reading the data directory does not
 * give anyone a usable cookie. Sessions end at logout or `ttlMs` after login.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { DocStore } from '../store/store';

const DOC = 'staff-sessions';
const SECRET_DOC = 'staff-session-secret';

const SessionsDoc = z.object({
  version: z.literal(1),
  sessions: z.record(z.string(), z.object({ user: z.string(), createdAt: z.number(), expiresAt: z.number() })),
});
type SessionsDoc = z.infer<typeof SessionsDoc>;

export interface StaffSession {
  id: string;
  user: string;
  expiresAt: number;
}

export interface StaffSessions {
  create(user: string): Promise<StaffSession>;
  /** The live session for a cookie id, or undefined (unknown or expired). */
  get(id: string): Promise<StaffSession | undefined>;
  remove(id: string): Promise<void>;
  /** Drops expired sessions; returns how many. */
  purge(): Promise<number>;
}

/** A working day and a bit; staff log in again the next morning. */
export const SESSION_TTL_MS = 12 * 3600_000;

const digest = (id: string) => createHash('sha256').update(id).digest('base64url');
const empty = (): SessionsDoc => ({ version: 1, sessions: {} });
/**
 * Read as anything and checked here: a sessions document of the wrong shape (hand-edited, or
 * from another version) counts as empty — everyone logs in again — instead of failing every
 * login (review D4). Damaged bytes are already set aside by the store.
 */
const Anything = z.unknown();
const sessionsOf = (raw: unknown): SessionsDoc | undefined => {
  const parsed = SessionsDoc.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
};

export function createStaffSessions({ docs, now, ttlMs = SESSION_TTL_MS }: { docs: DocStore; now: () => number; ttlMs?: number }): StaffSessions {
  return {
    async create(user) {
      const id = randomBytes(32).toString('base64url');
      const at = now();
      const session = { user, createdAt: at, expiresAt: at + ttlMs };
      await docs.update(DOC, Anything, (raw) => {
        const doc = sessionsOf(raw);
        const next = doc ?? empty();
        for (const [k, s] of Object.entries(next.sessions)) if (s.expiresAt <= at) delete next.sessions[k];
        next.sessions[digest(id)] = session;
        return next;
      });
      return { id, user, expiresAt: session.expiresAt };
    },
    async get(id) {
      if (!id) return undefined;
      const doc = sessionsOf(await docs.get(DOC, Anything));
      const s = doc?.sessions[digest(id)];
      return s && s.expiresAt > now() ? { id, user: s.user, expiresAt: s.expiresAt } : undefined;
    },
    async remove(id) {
      await docs.update(DOC, Anything, (raw) => {
        const doc = sessionsOf(raw);
        const next = doc ?? empty();
        delete next.sessions[digest(id)];
        return next;
      });
    },
    async purge() {
      let removed = 0;
      const at = now();
      await docs.update(DOC, Anything, (raw) => {
        const doc = sessionsOf(raw);
        const next = doc ?? empty();
        for (const [k, s] of Object.entries(next.sessions)) {
          if (s.expiresAt <= at) {
            delete next.sessions[k];
            removed++;
          }
        }
        return next;
      });
      return removed;
    },
  };
}

/** SESSION_SECRET when configured, otherwise a random secret generated once into DATA_DIR. */
export async function sessionSecret(docs: DocStore, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  // A secret of the wrong shape is replaced like a missing one (staff log in again), not a failed start.
  const Secret = z.object({ secret: z.string().min(32) });
  const doc = await docs.update(SECRET_DOC, Anything, (current) => (Secret.safeParse(current).success ? current : { secret: randomBytes(48).toString('base64url') }));
  return (doc as z.infer<typeof Secret>).secret;
}
