/**
 * npm run content:coverage [root] — runs every transcript in flows/_tests/ and prints, per flow,
 * the nodes entered and the transitions taken. Lists the nodes no transcript reaches and every
 * failing step (file:line:col). Exit code 1 when content does not lint, a transcript fails, or a
 * flow is below 100% node coverage; edge coverage is reported but not required.
 */
import path from 'node:path';
import { compileContent } from '../content/compile';
import { formatDiagnostic, formatReport, hasErrors } from '../content/diagnostics';
import { readContentFiles } from '../content/files';
import { today } from '../content/index';
import { regionsFor } from './regions-arg';
import { lintContent } from '../content/lint';
import { coverage, runTranscript, transcriptDiagnostics, type FlowCoverage } from '../content/transcripts';

const root = path.resolve(process.argv[2] ?? path.resolve(import.meta.dirname, '../..'));
const files = await readContentFiles(root);
const { diagnostics, parsed } = lintContent(files, today(), regionsFor(files));
if (!parsed || hasErrors(diagnostics)) {
  process.stdout.write(`${formatReport(diagnostics)}\ncontent has errors; fix them (npm run content:lint) before measuring coverage\n`);
  process.exit(1);
}
const content = compileContent(parsed, files);

const runs = parsed.transcripts.map((t) => ({ t, result: runTranscript(content, t.transcript) }));
const failures = runs.flatMap(({ t, result }) => transcriptDiagnostics(t, result));
const flows = coverage(content, runs.map((r) => r.result));

const pct = (n: number, total: number): string => (total === 0 ? '100%' : `${Math.floor((n / total) * 100)}%`);
const rows = [['flow', 'nodes', '', 'edges', ''], ...flows.map((f) => [f.flow, `${f.nodes.entered}/${f.nodes.total}`, pct(f.nodes.entered, f.nodes.total), `${f.edges.taken}/${f.edges.total}`, pct(f.edges.taken, f.edges.total)])];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const out: string[] = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const fileCount = new Set(parsed.transcripts.map((t) => t.src.file)).size;
out.push('', `${plural(parsed.transcripts.length, 'transcript')} in ${plural(fileCount, 'file')}, ${plural(failures.length, 'failing step')}`);

const uncovered = flows.filter((f) => f.nodes.missing.length > 0);
if (uncovered.length > 0) out.push('', 'nodes no transcript enters:', ...uncovered.flatMap((f) => missingLines(f)));
const untaken = flows.filter((f) => f.edges.missing.length > 0);
if (untaken.length > 0) out.push('', 'transitions no transcript takes:', ...untaken.map((f) => `  ${f.flow}: ${f.edges.missing.join(', ')}`));
if (failures.length > 0) out.push('', 'failing transcript steps:', ...failures.map(formatDiagnostic));

process.stdout.write(`${out.join('\n')}\n`);
process.exit(failures.length > 0 || uncovered.length > 0 ? 1 : 0);

function missingLines(f: FlowCoverage): string[] {
  const flow = parsed!.flows.find((p) => p.flow.id === f.flow)!;
  return f.nodes.missing.map((id) => {
    const at = flow.src.locate(['nodes', id], true);
    return `  ${f.file}:${at.line}:${at.col} ${f.flow}/${id}`;
  });
}
