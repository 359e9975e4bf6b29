/**
 * Cases in PostgreSQL: the case as jsonb plus its summary (what the staff list shows), so the
 * list never reads the texts. Writes made inside a chat step join its transaction (tx.ts): the
 * handoff opening a case commits with the chat that now points to it.
 */
import { Case, summarise, type CaseStore, type CaseSummary } from '../cases';
import type { Tx } from './tx';

export function createPgCases(tx: Tx): CaseStore {
  const db = () => tx.db();
  const parse = (body: unknown, id: string): Case => {
    const parsed = Case.safeParse(body);
    if (!parsed.success) throw new Error(`case ${id} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  };
  const upsert = `INSERT INTO cases (id, status, opened_at, body, summary) VALUES ($1, $2, $3, $4, $5)
                  ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, opened_at = EXCLUDED.opened_at, body = EXCLUDED.body, summary = EXCLUDED.summary`;
  const values = (c: Case) => [c.id, c.status, c.openedAt, JSON.stringify(c), JSON.stringify(summarise(c))];

  return {
    async create(c) {
      const { rowCount } = await db().query('INSERT INTO cases (id, status, opened_at, body, summary) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING', values(c));
      if (rowCount === 1) return { case: c, created: true };
      const existing = await getCase(c.id);
      return { case: existing ?? c, created: false };
    },
    get: (id) => getCase(id),
    update: (id, fn) =>
      tx.run(async (client) => {
        const { rows } = await client.query<{ body: unknown }>('SELECT body FROM cases WHERE id = $1 FOR UPDATE', [id]);
        const change = fn(rows[0] ? parse(rows[0].body, id) : undefined);
        if (change.case) await client.query(upsert, values(change.case));
        return change.result;
      }),
    async list(filter) {
      const wanted = filter?.status;
      const { rows } = wanted
        ? await db().query<{ summary: CaseSummary }>('SELECT summary FROM cases WHERE status = ANY($1) ORDER BY opened_at DESC, id', [wanted])
        : await db().query<{ summary: CaseSummary }>('SELECT summary FROM cases ORDER BY opened_at DESC, id');
      return rows.map((r) => r.summary);
    },
    async remove(id) {
      await db().query('DELETE FROM cases WHERE id = $1', [id]);
    },
  };

  async function getCase(id: string): Promise<Case | undefined> {
    const { rows } = await db().query<{ body: unknown }>('SELECT body FROM cases WHERE id = $1', [id]);
    return rows[0] ? parse(rows[0].body, id) : undefined;
  }
}
