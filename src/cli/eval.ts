/**
 * npm run eval — runs the phrase bank (eval/phrases.yaml) on the real engine and content and
 * prints accuracy per kind and every miss. Exits 1 below the gate (the same one `npm test` uses).
 *   npm run eval -- --kind english     only one kind
 * Runs with the REGIONS of the environment (default: the configured default region).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../config';
import { formatReport as formatContentReport, loadContent } from '../content/index';
import { evaluate, formatReport } from '../eval/evaluate';
import { EVAL_GATE, PHRASES_FILE } from '../eval/gate';
import { parsePhraseBank } from '../eval/phrase-bank';

const root = path.resolve(import.meta.dirname, '../..');
// The regions a deployment serves (REGIONS, default Thanh Hóa): place names resolve as it would.
const loaded = await loadContent(root, { regions: parseConfig(process.env).regions });
if (!loaded.content) {
  process.stderr.write(`the content has errors:\n${formatContentReport(loaded.diagnostics)}\n`);
  process.exit(1);
}
const kindArg = process.argv.indexOf('--kind');
const onlyKind = kindArg > 0 ? process.argv[kindArg + 1] : undefined;
const phrases = parsePhraseBank(readFileSync(path.join(root, PHRASES_FILE), 'utf8')).filter((p) => !onlyKind || p.kind === onlyKind);
const report = evaluate(loaded.content, phrases);
process.stdout.write(`${formatReport(report)}\n`);
process.exit(report.accuracy >= EVAL_GATE ? 0 : 1);
