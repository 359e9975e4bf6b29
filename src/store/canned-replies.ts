/**
 * Canned replies: short answers staff insert into a reply, per office (a queue: a commune code,
 * or the province queue) or for every office. Placeholders in {braces} are filled from the case
 * when inserted (see staff/canned.ts). Kept as one document through the Store's DocStore, so any
 * Store adapter (lowdb, PostgreSQL) holds them without more code.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { DocStore } from './store';

export const CannedReply = z.object({
  id: z.string().regex(/^r-[0-9a-z]{6,20}$/),
  /** A queue (commune code or 'province'), or '*' for every office. */
  office: z.string().min(1).max(20),
  title: z.string().min(1).max(80),
  text: z.string().min(1).max(2000),
  updatedAt: z.number(),
  updatedBy: z.string(),
});
export type CannedReply = z.infer<typeof CannedReply>;

const Doc = z.object({ version: z.literal(1), replies: z.array(CannedReply) });
const DOC = 'canned-replies';
export const ALL_OFFICES = '*';

export interface CannedReplies {
  /** Replies for one office (its own and the ones for every office), or all of them. */
  list(office?: string): Promise<CannedReply[]>;
  /** Creates (no id) or replaces one reply; returns it. */
  save(reply: Omit<CannedReply, 'id'> & { id?: string }): Promise<CannedReply>;
  remove(id: string): Promise<boolean>;
}

export function createDocCannedReplies(docs: DocStore): CannedReplies {
  const all = async () => (await docs.get(DOC, Doc))?.replies ?? [];
  return {
    async list(office) {
      const replies = await all();
      return (office === undefined ? replies : replies.filter((r) => r.office === office || r.office === ALL_OFFICES)).sort((a, b) => a.title.localeCompare(b.title, 'vi'));
    },
    async save(input) {
      const reply = CannedReply.parse({ ...input, id: input.id ?? `r-${randomBytes(6).toString('hex')}` });
      await docs.update(DOC, Doc, (doc) => {
        const replies = (doc?.replies ?? []).filter((r) => r.id !== reply.id);
        return { version: 1 as const, replies: [...replies, reply] };
      });
      return reply;
    },
    async remove(id) {
      let removed = false;
      await docs.update(DOC, Doc, (doc) => {
        const replies = doc?.replies ?? [];
        removed = replies.some((r) => r.id === id);
        return { version: 1 as const, replies: replies.filter((r) => r.id !== id) };
      });
      return removed;
    },
  };
}
