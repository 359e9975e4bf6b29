/**
 * npm run content:review — what is due for review today (the wall clock is read here, in this
 * command, and nowhere in the tests): procedures past `review_by`, dated facts that end within
 * 30 days or start within 30 days, and records the portal updated after a procedure's `verified`.
 * Exit code 1 when something is overdue, so a scheduled job can flag it.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Catalogue } from '../catalogue/catalogue';
import { readContentFiles } from '../content/files';
import { variantsOf } from '../content/in-force';
import { factsIn } from '../content/regional-facts';
import { catalogueFor, provincesIn, servedProvinces, today } from '../content/index';
import { regionsFor } from './regions-arg';
import { lintContent, type ParsedContent } from '../content/lint';

export interface DueItem {
  file: string;
  kind: 'overdue' | 'due-soon' | 'fact-ends' | 'fact-starts' | 'record-changed';
  message: string;
}

const SOON_DAYS = 30;

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Pure: what is due on `day`. */
export function dueItems(parsed: ParsedContent, catalogue: Catalogue, day: string): DueItem[] {
  const soon = addDays(day, SOON_DAYS);
  const out: DueItem[] = [];
  for (const { procedure: raw, src } of parsed.procedures) {
    const file = src.file;
    // The facts at the top and each province's merged facts (docs/regional-facts.md); a message the merged view repeats is said once.
    const said = new Set<string>();
    const push = (item: DueItem) => {
      if (said.has(item.message)) return;
      said.add(item.message);
      out.push(item);
    };
    for (const [p, label, ownReview] of [[raw, '', true], ...Object.entries(raw.regions ?? {}).map(([slug, own]) => [factsIn(raw, slug), `regions.${slug}: `, own.review_by !== undefined] as const)] as const) {
      // A province that keeps the file's review date is not told about it twice.
      if (ownReview && p.review_by && p.review_by < day) push({ file, kind: 'overdue', message: `${label}review was due on ${p.review_by}; the bot now warns "thông tin có thể đã thay đổi"` });
      else if (ownReview && p.review_by && p.review_by <= soon) push({ file, kind: 'due-soon', message: `${label}review due on ${p.review_by}` });
      const facts: Array<[string, unknown]> = [
        ['fee', p.fee],
        ['processing_time', p.processing_time],
        ...(p.documents ?? []).map((d, i): [string, unknown] => [`documents[${i}]`, d]),
        ...(p.notes ?? []).map((n, i): [string, unknown] => [`notes[${i}]`, n]),
      ];
      for (const [name, fact] of facts) {
        if (fact === undefined) continue;
        for (const v of variantsOf(fact as never)) {
          if (v.until && v.until >= day && v.until <= soon) push({ file, kind: 'fact-ends', message: `${name}: a variant ends on ${v.until}; check the next one is right` });
          if (v.from && v.from > day && v.from <= soon) push({ file, kind: 'fact-starts', message: `${name}: a variant starts on ${v.from}` });
        }
      }
      const entry = p.code ? catalogue.entry(p.code) : undefined;
      if (entry && p.verified && entry.updated > p.verified) push({ file, kind: 'record-changed', message: `record ${p.code} was updated on ${entry.updated}, after verified ${p.verified}` });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? path.resolve(import.meta.dirname, '../..'));
  const files = await readContentFiles(root);
  const day = today();
  const selection = regionsFor(files);
  const probe = lintContent(files, day, selection);
  if (!probe.parsed) {
    process.stderr.write('the content has errors: run npm run content:lint\n');
    process.exit(2);
  }
  const catalogue = catalogueFor(root, servedProvinces(provincesIn(files, selection)));
  const items = dueItems(probe.parsed, catalogue, day);
  for (const i of items) process.stdout.write(`${i.file}: [${i.kind}] ${i.message}\n`);
  process.stdout.write(`${items.length} item(s) due on ${day} (window ${SOON_DAYS} days)\n`);
  process.exit(items.some((i) => i.kind === 'overdue') ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
