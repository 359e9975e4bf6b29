/**
 * Analytics in PostgreSQL: one row per record, in append order (a sequence), indexed by local day
 * so the insights page and the retention sweep work a day at a time, as with the day files.
 */
import type { Pool } from 'pg';
import { AnalyticsRecord, type AnalyticsStore } from '../analytics';

/**
 * Appends are grouped: every chat step appends a record or two, and at a few hundred steps a
 * second one INSERT each would be a good share of the database round trips. Appends arriving
 * while one INSERT runs wait for it and go together in the next, in call order; each call
 * resolves once its records are stored (or rejects with the INSERT's error).
 */
export function createPgAnalytics(pool: Pool): AnalyticsStore {
  interface Waiting {
    records: readonly AnalyticsRecord[];
    done: (e?: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let running: Promise<void> | undefined;
  const insert = (records: readonly AnalyticsRecord[]) =>
    // One statement for the batch; WITH ORDINALITY keeps the batch's order in the sequence.
    pool.query(`INSERT INTO analytics (day, record) SELECT r->>'day', r FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`, [JSON.stringify(records)]);
  const drain = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await insert(batch.flatMap((w) => w.records));
        for (const w of batch) w.done();
      } catch (e) {
        for (const w of batch) w.done(e);
      }
    }
    running = undefined;
  };
  return {
    append(records) {
      if (records.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waiting.push({ records, done: (e) => (e === undefined ? resolve() : reject(e)) });
        running ??= drain();
      });
    },
    async read(days) {
      if (days.length === 0) return [];
      const { rows } = await pool.query<{ record: unknown }>('SELECT record FROM analytics WHERE day = ANY($1) ORDER BY array_position($1, day), seq', [[...days]]);
      return rows.flatMap((r) => {
        const parsed = AnalyticsRecord.safeParse(r.record);
        return parsed.success ? [parsed.data] : [];
      });
    },
    async days() {
      const { rows } = await pool.query<{ day: string }>('SELECT DISTINCT day FROM analytics ORDER BY day');
      return rows.map((r) => r.day);
    },
    async removeDay(day) {
      await pool.query('DELETE FROM analytics WHERE day = $1', [day]);
    },
  };
}
