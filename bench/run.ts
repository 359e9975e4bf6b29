/**
 * npm run bench [-- <section>… ] [-- --seconds N] — runs the benchmark sections and prints one
 * table. Nothing is asserted: goals are printed next to the figures (✓/✗) for people to read.
 *
 * To add a section, write a module exporting `name`, `title` and `run(opts): Promise<Row[]>`
 * (see section.ts) and add it to SECTIONS below.
 */
import os from 'node:os';
import * as apiChat from './api-chat';
import * as engineStep from './engine-step';
import * as postgres from './postgres';
import * as places from './places';
import type { BenchSection, Row } from './section';
import * as storeScaling from './store-scaling';
import * as sweep from './sweep';
import { table } from './table';
import * as telegram from './telegram';

const SECTIONS: BenchSection[] = [engineStep, places, storeScaling, sweep, apiChat, telegram, postgres];

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 10;
const wanted = args.filter((a, i) => !a.startsWith('--') && (secondsAt < 0 || i !== secondsAt + 1));
const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
if (unknown.length > 0 || !(seconds > 0)) {
  process.stderr.write(`usage: npm run bench [-- ${SECTIONS.map((s) => s.name).join('|')} …] [--seconds N]\n`);
  process.exit(2);
}

const machine = `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, load average ${os.loadavg()[0]!.toFixed(2)} at start`;
process.stderr.write(`${machine}\n`);
const rows: Array<Row & { section: string }> = [];
for (const section of SECTIONS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  process.stderr.write(`running ${section.title}…\n`);
  const started = performance.now();
  for (const row of await section.run({ seconds })) rows.push({ section: section.title, ...row });
  process.stderr.write(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`\n${table(rows)}\n\n${machine}; load average ${os.loadavg()[0]!.toFixed(2)} at the end\n`);
