/**
 * The scripted conversations of flows/_tests/*.yaml, run against the real engine and content:
 * one test per transcript, and the coverage every shipped flow must have.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContent } from '../../src/content/compile';
import { formatDiagnostic, formatReport, hasErrors } from '../../src/content/diagnostics';
import { readContentFiles } from '../../src/content/files';
import { catalogueFor } from '../../src/content/index';
import { lintContent } from '../../src/content/lint';
import { coverage, runTranscript, transcriptDiagnostics } from '../../src/content/transcripts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const files = await readContentFiles(ROOT);
// A fixed day, and the catalogue the server serves, so transcripts see the bot's real cards.
const catalogue = catalogueFor(ROOT, ['Thanh Hóa']);
const { diagnostics, parsed } = lintContent(files, '2026-11-25', ['thanh-hoa'], catalogue);
if (!parsed || hasErrors(diagnostics)) throw new Error(`the content does not lint, so its transcripts cannot run:\n${formatReport(diagnostics)}`);
const content = compileContent(parsed, files, {}, catalogue);

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

  it('never shows a card whose first message lists no document while the procedure has some', () => {
    const empty = parsed.transcripts.flatMap((t) =>
      runTranscript(content, t.transcript).steps.flatMap((o) =>
        o.replies.filter((r) => /Giấy tờ cần chuẩn bị:\n… và \d+ mục khác/.test(r.text)).map(() => `${t.src.file} › ${t.transcript.name} › step ${o.index + 1}`),
      ),
    );
    expect(empty).toEqual([]);
  });

  it('enters every node of every shipped flow (npm run content:coverage lists what is missing)', () => {
    const results = parsed.transcripts.map((t) => runTranscript(content, t.transcript));
    const uncovered = coverage(content, results).flatMap((f) => f.nodes.missing.map((id) => `${f.file}: ${f.flow}/${id}`));
    expect(uncovered).toEqual([]);
  });
});
