/**
 * A parsed YAML (or JSON) file that remembers where every value came from, so schema issues
 * and lint findings point at the exact line and column an editor has to change.
 *
 * Two parsers, one result: `yaml` keeps every node's position (for file:line:col) and is the
 * judge of what is valid; `js-yaml` only reads values, ~3× faster, and reading 120 content files
 * with positions was the largest part of every start. So a file is read by js-yaml first, and
 * by `yaml` only when js-yaml refuses it (then its diagnostics are exactly yaml's) or when a
 * position is asked for (a lint finding), or when it uses anchors/aliases (yaml bounds their
 * expansion). Both read YAML 1.2's core schema, so the values are the same:
 * test/content/yaml-file.test.ts checks it on every YAML file of the repo.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { suggest, type Diagnostic, type Severity } from './diagnostics';

export type Path = ReadonlyArray<string | number>;

export interface SourceFile {
  /** Path relative to the content root, as shown to editors. */
  file: string;
  data: unknown;
  /** Syntax errors; `data` is undefined when there are any. */
  diagnostics: Diagnostic[];
  /** Position of the value at `path`, or of its key when `key` is true. */
  locate(path: Path, key?: boolean): { line: number; col: number };
  at(path: Path, severity: Severity, rule: string, message: string, key?: boolean): Diagnostic;
}

/** An anchor or alias (`&name`, `*name`) where a YAML node may start. */
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:-])[&*][^\s,\]}]/m;

export function parseYamlFile(file: string, source: string): SourceFile {
  const fast = quickRead(source);
  if (!fast) return parseWithPositions(file, source);
  let full: SourceFile | undefined;
  const positions = () => (full ??= parseWithPositions(file, source));
  return {
    file,
    data: fast.data,
    diagnostics: [],
    locate: (path, key) => positions().locate(path, key),
    at: (path, severity, rule, message, key) => positions().at(path, severity, rule, message, key),
  };
}

/** The file's values by js-yaml, or undefined when `yaml` must read it (see the top of this file). */
function quickRead(source: string): { data: unknown } | undefined {
  if (ANCHOR_OR_ALIAS.test(source)) return undefined;
  try {
    const data = load(source, { schema: CORE_SCHEMA });
    // An empty or comments-only file: yaml gives null where js-yaml gives undefined.
    return data === undefined ? undefined : { data };
  } catch {
    return undefined; // invalid for js-yaml: yaml says why, with the position
  }
}

function parseWithPositions(file: string, source: string): SourceFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: false });

  function locate(path: Path, key = false): { line: number; col: number } {
    const offset = offsetOf(doc, path, key);
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, col: pos.col };
  }
  function at(path: Path, severity: Severity, rule: string, message: string, key = false): Diagnostic {
    return { file, ...locate(path, key), severity, rule, message };
  }

  const diagnostics: Diagnostic[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(errorOffset(source, e.pos[0], e.message));
    if (e.code === 'DUPLICATE_KEY') {
      // yaml points at the second occurrence of the key; name it so the editor knows which.
      const key = /^[^:\n]*/.exec(source.slice(e.pos[0]))![0].trim().replace(/^["']|["']$/g, '');
      const message = `"${key}" appears twice in the same block; each node, option or key needs its own name`;
      return { file, line: pos.line, col: pos.col, severity: 'error', rule: 'duplicate-id', message };
    }
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { file, line: pos.line, col: pos.col, severity: 'error', rule: 'yaml-syntax', message };
  });
  let data: unknown;
  if (diagnostics.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // An alias bomb (or any other conversion failure) is this file's error, not the loader's;
      // point at the first anchor, where the repeated structure starts.
      const anchor = /(^|[\s[{,:-])&[^\s,\]}]+/m.exec(source);
      const pos = lineCounter.linePos(anchor ? anchor.index + anchor[1]!.length : 0);
      diagnostics.push({ file, line: pos.line, col: pos.col, severity: 'error', rule: 'yaml-syntax', message: (e as Error).message.split('\n')[0]! });
    }
  }
  return { file, data, diagnostics, locate, at };
}

/**
 * Where an editor should look for a syntax error. yaml reports an unclosed flow collection
 * (`[1, 2` … ) or quoted scalar where it noticed, at the start of the next line or the end of
 * the file — one line (or more) after the mistake. Point at the opening instead: the last
 * non-blank line before for a flow collection, the opening quote for a quote.
 */
function errorOffset(source: string, offset: number, message: string): number {
  const atLineStart = offset === 0 || source[offset - 1] === '\n' || offset >= source.length;
  if (!atLineStart) return offset;
  if (/closing "?quote/i.test(message)) {
    const open = Math.max(source.lastIndexOf('"', offset - 1), source.lastIndexOf("'", offset - 1));
    return open >= 0 ? open : offset;
  }
  if (/^Flow (sequence|mapping)/.test(message) && !/\s/.test(source[offset] ?? '')) {
    let end = offset - 1; // the newline ending the previous line
    while (end > 0 && /\s/.test(source[end - 1]!)) end--;
    return Math.max(0, end);
  }
  return offset;
}

/**
 * A JSON.parse error as a diagnostic at the line and column it names (V8 reports a byte
 * position, or nothing when the text ends early: then the last line).
 */
export function jsonSyntaxDiagnostic(file: string, source: string, error: unknown): Diagnostic {
  const message = (error as Error).message;
  const at = /position (\d+)/.exec(message);
  let offset = at ? Number(at[1]) : source.trimEnd().length;
  // A missing comma is noticed at the next value, often on the next line: point after the last one.
  if (/^Expected ',' or/.test(message)) while (offset > 0 && /\s/.test(source[offset - 1]!)) offset--;
  const before = source.slice(0, offset).split('\n');
  const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the text ends early (truncated?)');
  return { file, line: before.length, col: before.at(-1)!.length + 1, severity: 'error', rule: 'json-syntax', message: `not valid JSON: ${reason}` };
}

/** Offset of the deepest node that exists along `path` (falls back to the parent). */
function offsetOf(doc: Document, path: Path, key: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      if (last && key) return rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node === undefined) return offset;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

/** Known keys of the object schema at `path`, for "did you mean" on unknown keys. */
export type KnownKeys = (path: Path) => readonly string[];

/** Turns zod issues into editor-friendly diagnostics at the right place. */
export function schemaDiagnostics(src: SourceFile, issues: readonly z.core.$ZodIssue[], knownKeys: KnownKeys): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(path);
      for (const k of issue.keys) {
        const hint = suggest(k, known);
        let tail = hint ? ` — did you mean "${hint}"?` : known.length > 0 ? ` (allowed here: ${known.join(', ')})` : '';
        // The usual cause inside { vi: ..., en: ... } is an unquoted text with a comma in it.
        if (!hint && known.includes('vi')) tail += '; if this is part of a text that contains a comma, put the whole text in "quotes"';
        out.push(src.at([...path, k], 'error', 'unknown-key', `unknown key "${k}"${tail}`, true));
      }
      continue;
    }
    out.push(src.at(path, 'error', ruleOf(issue), describe(issue, path, valueAt(src.data, path))));
  }
  return out;
}

/**
 * The raw value at `path`. zod's `issue.input` cannot be used for this: issues raised inside a
 * transform (flow nodes) carry the transform's whole input, or none.
 */
function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const segment of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[segment];
  }
  return v;
}

function ruleOf(issue: z.core.$ZodIssue): string {
  const rule = (issue as { params?: { rule?: string } }).params?.rule;
  return rule ?? 'schema';
}

function describe(issue: z.core.$ZodIssue, path: Path, input: unknown): string {
  const name = nameOf(path);
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `${name} is missing`;
      return `${name} should be ${article(issue.expected)}`;
    case 'invalid_value': {
      const values = issue.values.map(String);
      const hint = typeof input === 'string' ? suggest(input, values) : undefined;
      return `${name} must be one of: ${values.join(', ')}${hint ? ` — did you mean "${hint}"?` : ''}`;
    }
    case 'invalid_key':
      return `${name} is not a valid id: ${issue.issues[0]?.message ?? issue.message}`;
    case 'invalid_union':
      return `${name} should be a text, or a block with vi: and en: texts`;
    default:
      return `${name}: ${issue.message}`;
  }
}

/** `"next"`, `item 2 of "steps"`, or `this file`. */
function nameOf(path: Path): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'this file';
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return parent === undefined ? `item ${last + 1}` : `item ${last + 1} of "${String(parent)}"`;
  }
  return `"${last}"`;
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: 'a text',
    array: 'a list (lines starting with "- ")',
    object: 'a block of keys',
    number: 'a number',
    boolean: 'true or false',
    record: 'a block of keys',
  };
  return words[expected] ?? expected;
}
