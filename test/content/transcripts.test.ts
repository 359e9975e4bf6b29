/**
 * The scripted conversations of flows/_tests/*.yaml, run against the real engine and content:
 * one test per transcript, and the coverage every shipped flow must have.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContent } from '../../src/content/compile';
import { formatDiagnostic, formatReport, hasErrors } from '../../src/content/diagnostics';
import { readContentFiles } from '../../src/content/files';
import { today } from '../../src/content/index';
import { lintContent } from '../../src/content/lint';
import { coverage, runTranscript, transcriptDiagnostics } from '../../src/content/transcripts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const files = await readContentFiles(ROOT);
const { diagnostics, parsed } = lintContent(files, today(), ['thanh-hoa']);
if (!parsed || hasErrors(diagnostics)) throw new Error(`the content does not lint, so its transcripts cannot run:\n${formatReport(diagnostics)}`);
const content = compileContent(parsed, files);

describe('flows/_tests transcripts', () => {
  it('finds the transcript files', () => {
    expect(parsed.transcripts.length).toBeGreaterThan(0);
  });

  for (const t of parsed.transcripts) {
    it(`${t.src.file} › ${t.transcript.name}`, () => {
      const failures = transcriptDiagnostics(t, runTranscript(content, t.transcript));
      // The whole report, untruncated: which file and step, what was expected, what the bot said.
      if (failures.length > 0) expect.fail(`\n${failures.map(formatDiagnostic).join('\n\n')}`);
    });
  }

  it('enters every node of every shipped flow (npm run content:coverage lists what is missing)', () => {
    const results = parsed.transcripts.map((t) => runTranscript(content, t.transcript));
    const uncovered = coverage(content, results).flatMap((f) => f.nodes.missing.map((id) => `${f.file}: ${f.flow}/${id}`));
    expect(uncovered).toEqual([]);
  });
});
