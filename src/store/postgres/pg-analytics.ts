/**
 * Analytics in PostgreSQL: one row per record, in append order (a sequence), indexed by local day
 * so the insights page and the retention sweep work a day at a time, as with the day files.
 */
import type { Pool } from 'pg';
import { AnalyticsRecord, type AnalyticsStore } from '../analytics';

export function createPgAnalytics(pool: Pool): AnalyticsStore {
  return {
    async append(records) {
      if (records.length === 0) return;
      // One statement for the batch; WITH ORDINALITY keeps the batch's order in the sequence.
      await pool.query(`INSERT INTO analytics (day, record) SELECT r->>'day', r FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`, [JSON.stringify(records)]);
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
