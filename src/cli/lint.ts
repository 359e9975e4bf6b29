/**
 * npm run content:lint — checks every file under flows/ and content/ and prints each problem
 * as file:line:col. Exit code 1 when there are errors (warnings alone exit 0).
 */
import path from 'node:path';
import { formatReport, hasErrors } from '../content/diagnostics';
import { readContentFiles } from '../content/files';
import { lintContent } from '../content/lint';
import { catalogueFor, provincesIn, servedProvinces, today } from '../content/index';
import { regionsFor } from './regions-arg';

const root = path.resolve(process.argv[2] ?? path.resolve(import.meta.dirname, '../..'));
const files = await readContentFiles(root);
// The lint runs with the served provinces' catalogue (unknown-code, record-changed).
const selection = regionsFor(files);
const { diagnostics } = lintContent(files, today(), selection, catalogueFor(root, servedProvinces(provincesIn(files, selection))));
const flows = [...files.keys()].filter((f) => /^flows\/[^/]+\.ya?ml$/.test(f)).length;
const procedures = [...files.keys()].filter((f) => f.startsWith('content/procedures/')).length;
process.stdout.write(`${formatReport(diagnostics)}\nchecked ${files.size} files (${flows} flows, ${procedures} procedures)\n`);
process.exit(hasErrors(diagnostics) ? 1 : 0);
