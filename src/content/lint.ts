/**
 * The content lint: parses every content file, checks it against the schemas and the rules
 * editors need (reachability, dead ends, references, duplicates, link allowlist, sources and
 * review dates) and returns every problem with file:line:col. Content with errors is never
 * compiled; warnings (e.g. a fact past its review date) are reported but served.
 */
import { z } from 'zod';
import { isAllowed } from '../engine/procedure-card';
import type { Catalogue } from '../catalogue/catalogue';
import { overlapping, variantsOf } from './in-force';
import { suggest, type Diagnostic } from './diagnostics';
import {
  FACT_FIELDS,
  type Fact,
  type FactItem,
  Flow,
  NODE_SCHEMAS,
  nodeKind,
  Offices,
  Office,
  Option,
  Procedure,
  RegionalFacts,
  Settings,
  Source,
  Transcript,
  TranscriptFile,
  TranscriptStep,
  UnitsFile,
  type FormerDistrict,
  type FlowNode,
} from './schema';
import { lintRegionalFacts, lintRegionalFlow, regionalLexicon } from './lint-regional';
import { factsIn } from './regional-facts';
import { expectedNode } from './transcripts';
import { jsonSyntaxDiagnostic, parseYamlFile, schemaDiagnostics, type Path, type SourceFile } from './yaml-file';
import type { ProvinceWords } from '../places/lexicon';
import { RegionFile } from '../places/region';

/** Which regions (content/regions/<slug>/) a deployment serves: REGIONS in the config. */
export type RegionSelection = readonly string[] | 'all';

export interface ParsedRegion {
  slug: string;
  words: ProvinceWords;
  province: string;
  units: UnitsFile['units'];
  /** Districts gone before the 2025 reform (units.json `districts_before_2025`). */
  formerDistricts?: FormerDistrict[];
  /** The region's own offices.yaml; absent: the national templates apply (content/offices-national.yaml). */
  offices?: Offices;
}

/** Content files by path relative to the content root ("flows/can-cuoc.yaml"). */
export type ContentFiles = ReadonlyMap<string, string>;

export interface ParsedFlow {
  flow: Flow;
  src: SourceFile;
}
export interface ParsedProcedure {
  procedure: Procedure;
  src: SourceFile;
}
export interface ParsedContent {
  flows: ParsedFlow[];
  procedures: ParsedProcedure[];
  settings: Settings;
  /** Every served region's offices.yaml and the national templates, merged (for the office kinds). */
  offices: Offices;
  /** The units of every served region, each with its region's slug in `province`. */
  units: UnitsFile['units'];
  province: string;
  /** The served regions, in the order of the selection. */
  regions: ParsedRegion[];
  /** content/offices-national.yaml: the two-level offices every province has, named for it. */
  nationalOffices?: Offices;
  /** The words of every region with a region.yaml, served or not. */
  allProvinces: ProvinceWords[];
  /** units.json paths of the regions not served, read only to answer "that is outside" honestly. */
  unservedUnits: Array<{ slug: string; path: string }>;
  locales: Record<string, Record<string, unknown>>;
  transcripts: ParsedTranscript[];
}

export interface ParsedTranscript {
  transcript: Transcript;
  src: SourceFile;
  /** Where the transcript sits in its file: `[i]` in a list, `[]` for a file with one block. */
  path: Path;
}

export const SETTINGS_FILE = 'content/settings.yaml';

export function isFlowFile(p: string): boolean {
  return /^flows\/[^/]+\.ya?ml$/.test(p);
}
export function isTranscriptFile(p: string): boolean {
  return /^flows\/_tests\/[^/]+\.ya?ml$/.test(p);
}
export function isProcedureFile(p: string): boolean {
  return /^content\/procedures\/[^/]+\.ya?ml$/.test(p);
}

const LOCAL_TEXT_KEYS = ['vi', 'en'];
const LOCAL_TEXT_FIELDS = new Set(['ask', 'ask_place', 'label', 'say', 'title', 'description', 'name', 'handoff', 'applies_to', 'fee', 'processing_time', 'where', 'note', 'address', 'hours']);

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Known keys at a path of a flow file, for "did you mean". */
function flowKeys(data: unknown) {
  return (path: Path): readonly string[] => {
    const last = path[path.length - 1];
    if (path.length === 0) return shapeKeys(Flow);
    // Before the text fields: a node may be called "where" or "say".
    if (path.length === 2 && path[0] === 'nodes') {
      const raw = (data as { nodes?: Record<string, unknown> }).nodes?.[String(path[1])];
      const kind = nodeKind(raw);
      return kind ? shapeKeys(NODE_SCHEMAS[kind]) : Object.keys(NODE_SCHEMAS);
    }
    if (typeof last === 'string' && LOCAL_TEXT_FIELDS.has(last)) return LOCAL_TEXT_KEYS;
    if (path[path.length - 2] === 'options') return shapeKeys(Option);
    if (path[path.length - 2] === 'links') return ['url', 'label'];
    return [];
  };
}

function procedureKeys(path: Path): readonly string[] {
  const last = path[path.length - 1];
  if (path.length === 0) return shapeKeys(Procedure);
  // regions.<slug>.… reads like the top of the file.
  if (path[0] === 'regions') return path.length <= 1 ? [] : path.length === 2 ? shapeKeys(RegionalFacts) : procedureKeys(path.slice(2));
  if (path[0] === 'sources' && path.length === 2) return shapeKeys(Source);
  if (path.length === 1 && last === 'online') return ['url', 'vneid', 'note'];
  if (typeof last === 'number' || (typeof last === 'string' && LOCAL_TEXT_FIELDS.has(last))) return LOCAL_TEXT_KEYS;
  return [];
}

function parseWith<T>(src: SourceFile, schema: z.ZodType<T>, keys: (path: Path) => readonly string[], out: Diagnostic[]): T | undefined {
  if (src.data === undefined) {
    out.push(...src.diagnostics);
    return undefined;
  }
  const result = schema.safeParse(src.data, { reportInput: true });
  if (!result.success) {
    out.push(...schemaDiagnostics(src, result.error.issues, keys));
    return undefined;
  }
  return result.data;
}

export interface LintResult {
  diagnostics: Diagnostic[];
  /** Present only when there are no errors. */
  parsed?: ParsedContent;
}

/** Lints every content file. `today` (YYYY-MM-DD) decides which facts are past review. */
export function lintContent(files: ContentFiles, today: string, selection: RegionSelection = 'all', catalogue?: Catalogue): LintResult {
  const out: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  const yaml = (path: string): SourceFile => {
    let src = sources.get(path);
    if (!src) sources.set(path, (src = parseYamlFile(path, files.get(path) ?? '')));
    return src;
  };

  // settings first: the allowlist is needed by the link rule
  let settings: Settings | undefined;
  if (!files.has(SETTINGS_FILE)) out.push(missingFile(SETTINGS_FILE));
  else settings = parseWith(yaml(SETTINGS_FILE), Settings, (p) => (p.length === 0 ? shapeKeys(Settings) : []), out);

  const flows: ParsedFlow[] = [];
  const procedures: ParsedProcedure[] = [];
  const transcripts: ParsedContent['transcripts'] = [];
  for (const path of [...files.keys()].sort()) {
    if (isFlowFile(path)) {
      const src = yaml(path);
      const flow = parseWith(src, Flow, flowKeys(src.data), out);
      if (flow) flows.push({ flow, src });
    } else if (isProcedureFile(path)) {
      const src = yaml(path);
      const procedure = parseWith(src, Procedure, procedureKeys, out);
      if (procedure) procedures.push({ procedure, src });
    } else if (isTranscriptFile(path)) {
      transcripts.push(...parseTranscripts(yaml(path), out));
    }
  }

  const regions = lintRegions(files, selection, yaml, out);
  const served = new Set(regions?.served.map((r) => r.slug));
  const offices = lintOffices(files, yaml, out, (p) => p === NATIONAL_OFFICES_FILE || served.has(regionOf(p)));
  const units = regions ? { units: regions.served.flatMap((r) => r.units), province: regions.served.map((r) => r.province).join(', ') } : undefined;
  const locales = lintLocales(files, out);

  const officeKinds = new Set<string>([...(offices?.merged.per_unit ?? []).map((o) => o.kind), ...(offices?.merged.offices ?? []).map((o) => o.kind)]);
  const procedureIds = byUniqueId(procedures, (p) => p.procedure.id, 'procedure', out);
  for (const p of procedures) lintProcedure(p, settings, officeKinds, today, out);
  const provinceNames = new Map((regions?.all ?? []).map((w) => [w.slug, w.name]));
  if (catalogue) for (const p of procedures) lintCode(p, catalogue, provinceNames, served, out);
  if (regions) {
    const lexicon = regionalLexicon(regions.all, regions.served.flatMap((r) => r.units));
    for (const p of procedures) lintRegionalFacts(p, regions.all, out, lexicon);
    for (const f of flows) lintRegionalFlow(f, regions.all, out, lexicon);
  }
  const flowIds = byUniqueId(flows, (f) => f.flow.id, 'flow', out);
  for (const f of flows) lintFlow(f, procedureIds, settings, officeKinds, out);
  // A flow file that did not parse has its own errors; its transcripts are not checked against it.
  const allFlowsParsed = flows.length === [...files.keys()].filter(isFlowFile).length;
  if (allFlowsParsed) for (const t of transcripts) lintTranscript(t, flowIds, out);

  const hasError = out.some((d) => d.severity === 'error');
  if (hasError || !settings || !offices || !units || !regions || !locales) return { diagnostics: out };
  for (const r of regions.served) {
    const own = offices.byFile.get(`content/regions/${r.slug}/offices.yaml`) ?? offices.byFile.get(`content/regions/${r.slug}/offices.yml`);
    if (own) r.offices = own;
  }
  const nationalOffices = offices.byFile.get(NATIONAL_OFFICES_FILE);
  return {
    diagnostics: out,
    parsed: {
      flows,
      procedures,
      settings,
      offices: offices.merged,
      units: units.units,
      province: units.province,
      regions: regions.served,
      ...(nationalOffices ? { nationalOffices } : {}),
      allProvinces: regions.all,
      unservedUnits: regions.unserved,
      locales,
      transcripts,
    },
  };
}

/** Items by id; a second item with the same id is reported at its `id:` and left out. */
function byUniqueId<T extends { src: SourceFile }>(items: readonly T[], idOf: (item: T) => string, what: string, out: Diagnostic[]): Map<string, T> {
  const byId = new Map<string, T>();
  for (const item of items) {
    const other = byId.get(idOf(item));
    if (other) out.push(item.src.at(['id'], 'error', 'duplicate-id', `${what} id "${idOf(item)}" is also used in ${other.src.file}`));
    else byId.set(idOf(item), item);
  }
  return byId;
}

function missingFile(file: string): Diagnostic {
  return { file, line: 1, col: 1, severity: 'error', rule: 'missing-file', message: 'this file is required but does not exist' };
}

// ---------- flows ----------

function edges(node: FlowNode): Array<{ to: string; path: Path }> {
  switch (node.kind) {
    case 'ask':
      return node.options.map((o, i) => ({ to: o.next, path: ['options', i, 'next'] }));
    case 'goto':
      return [{ to: node.goto, path: ['goto'] }];
    case 'ask_place':
      return [{ to: node.next, path: ['next'] }];
    case 'procedure':
    case 'office':
    case 'say':
      return node.next ? [{ to: node.next, path: ['next'] }] : [];
    case 'handoff':
      return [];
  }
}

/** Nodes where a conversation reaches an answer. */
function isTerminal(node: FlowNode): boolean {
  return (node.kind === 'procedure' || node.kind === 'office' || node.kind === 'say') && !node.next ? true : node.kind === 'handoff';
}

function lintFlow(
  { flow, src }: ParsedFlow,
  procedures: ReadonlyMap<string, ParsedProcedure>,
  settings: Settings | undefined,
  officeKinds: ReadonlySet<string>,
  out: Diagnostic[],
): void {
  const ids = Object.keys(flow.nodes);
  if (!flow.nodes[flow.start]) out.push(src.at(['start'], 'error', 'missing-node', `start node "${flow.start}" does not exist${hintFor(flow.start, ids)}`));

  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const e of edges(node)) {
      if (!flow.nodes[e.to]) out.push(src.at(['nodes', id, ...e.path], 'error', 'missing-node', `node "${e.to}" does not exist${hintFor(e.to, ids)}`));
    }
    if (node.kind === 'ask') {
      if (node.options.length === 0) out.push(src.at(['nodes', id, 'options'], 'error', 'dead-end', 'this question has no options, so the conversation cannot go on'));
      const seen = new Map<string, number>();
      node.options.forEach((o, i) => {
        if (!o.id) return;
        if (seen.has(o.id)) out.push(src.at(['nodes', id, 'options', i, 'id'], 'error', 'duplicate-id', `option id "${o.id}" is used twice in this question`));
        seen.set(o.id, i);
      });
    }
    if (node.kind === 'procedure' && !procedures.has(node.procedure)) {
      out.push(src.at(['nodes', id, 'procedure'], 'error', 'missing-procedure', `no procedure with id "${node.procedure}" in content/procedures/${hintFor(node.procedure, [...procedures.keys()])}`));
    }
    const kind = node.kind === 'office' ? node.office : node.kind === 'procedure' ? node.office : undefined;
    if (kind && !officeKinds.has(kind)) out.push(src.at(['nodes', id, 'office'], 'error', 'missing-office-kind', `no office of kind "${kind}" is listed in offices.yaml`));
    if ('links' in node && node.links && settings) {
      node.links.forEach((l, i) => {
        if (!isAllowed(l.url, settings.link_allowlist)) out.push(src.at(['nodes', id, 'links', i, 'url'], 'error', 'link-allowlist', notAllowed(l.url, settings)));
      });
    }
  }

  // Reachable from start
  const reachable = new Set<string>();
  const queue = flow.nodes[flow.start] ? [flow.start] : [];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    for (const e of edges(flow.nodes[id]!)) if (flow.nodes[e.to] && !reachable.has(e.to)) queue.push(e.to);
  }
  for (const id of ids) {
    if (!reachable.has(id)) out.push(src.at(['nodes', id], 'error', 'unreachable-node', `node "${id}" can never be reached from start "${flow.start}"`, true));
  }

  // Can reach an answer: fixpoint over the reversed graph from terminal nodes
  const canFinish = new Set(ids.filter((id) => isTerminal(flow.nodes[id]!)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      if (canFinish.has(id)) continue;
      if (edges(flow.nodes[id]!).some((e) => canFinish.has(e.to))) {
        canFinish.add(id);
        changed = true;
      }
    }
  }
  for (const id of ids) {
    const node = flow.nodes[id]!;
    if (!canFinish.has(id) && reachable.has(id) && !(node.kind === 'ask' && node.options.length === 0)) {
      out.push(src.at(['nodes', id], 'error', 'dead-end', `from node "${id}" the conversation can never reach an answer (procedure, office, say without next, or handoff)`, true));
    }
  }
}

function hintFor(word: string, known: readonly string[]): string {
  const close = known.find((k) => k !== word && (k.includes(word) || word.includes(k))) ?? suggest(word, known);
  return close ? ` — did you mean "${close}"?` : '';
}

function notAllowed(url: string, settings: Settings): string {
  return `link ${url} is not on an official domain; allowed: ${settings.link_allowlist.join(', ')} (content/settings.yaml)`;
}

// ---------- transcripts ----------

function parseTranscripts(src: SourceFile, out: Diagnostic[]): ParsedTranscript[] {
  const list = Array.isArray(src.data);
  const keys = (p: Path): readonly string[] => {
    if (list && p.length === 0) return [];
    const q = list ? p.slice(1) : p; // the path inside one transcript
    return q.length === 0 ? shapeKeys(Transcript) : q.length === 2 && q[0] === 'steps' ? shapeKeys(TranscriptStep) : [];
  };
  if (!list) {
    const transcript = parseWith(src, Transcript, keys, out);
    return transcript ? [{ transcript, src, path: [] }] : [];
  }
  const transcripts = parseWith(src, TranscriptFile, keys, out);
  return transcripts ? transcripts.map((transcript, i) => ({ transcript, src, path: [i] })) : [];
}

/** What can be checked without running: the flows and nodes a transcript names exist. */
function lintTranscript({ transcript, src, path }: ParsedTranscript, flows: ReadonlyMap<string, ParsedFlow>, out: Diagnostic[]): void {
  const missingFlow = (id: string, at: Path): boolean => {
    if (flows.has(id)) return false;
    out.push(src.at(at, 'error', 'missing-flow', `no flow with id "${id}"${hintFor(id, [...flows.keys()])}`));
    return true;
  };
  if (transcript.flow !== undefined && missingFlow(transcript.flow, [...path, 'flow'])) return;
  const anyFlow = [...new Set([...flows.values()].flatMap((f) => Object.keys(f.flow.nodes)))];
  transcript.steps.forEach((step, i) => {
    if (step.node === undefined) return;
    const at = [...path, 'steps', i, 'node'];
    const want = expectedNode(step.node, transcript.flow);
    if (want.flow !== undefined && missingFlow(want.flow, at)) return;
    const known = want.flow !== undefined ? Object.keys(flows.get(want.flow)!.flow.nodes) : anyFlow;
    if (!known.includes(want.node)) {
      const where = want.flow !== undefined ? `flow "${want.flow}"` : 'any flow';
      out.push(src.at(at, 'error', 'missing-node', `node "${want.node}" does not exist in ${where}${hintFor(want.node, known)}`));
    }
  });
}

// ---------- procedures ----------

function lintProcedure({ procedure: p, src }: ParsedProcedure, settings: Settings | undefined, officeKinds: ReadonlySet<string>, today: string, out: Diagnostic[]): void {
  lintFacts(p, src, [], settings, officeKinds, today, out);
  // A province's facts are checked as its citizens get them: the file's merged with its own.
  for (const [slug, own] of Object.entries(p.regions ?? {})) {
    const at: Path = ['regions', slug];
    const merged = factsIn(p, slug);
    const facts = FACT_FIELDS.filter((f) => own[f] !== undefined);
    if (facts.length > 0 && (!merged.sources || merged.sources.length === 0))
      out.push(src.at(at, 'error', 'missing-source', `the facts of ${slug} (${facts.join(', ')}) have no "sources" — add where each fact comes from`, true));
    if ((own.verified || own.review_by) && merged.verified && merged.review_by && merged.review_by < merged.verified)
      out.push(src.at([...at, own.review_by ? 'review_by' : 'verified'], 'error', 'schema', '"review_by" is earlier than "verified"'));
    else if (own.review_by && own.review_by < today)
      out.push(src.at([...at, 'review_by'], 'warning', 'review-overdue', `facts were due for review on ${own.review_by}; check the sources again and update "verified" and "review_by"`));
    lintDated(own, src, at, out);
    if (own.online && settings && !isAllowed(own.online.url, settings.link_allowlist))
      out.push(src.at([...at, 'online', 'url'], 'error', 'link-allowlist', notAllowed(own.online.url, settings)));
    if (own.handled_by && !officeKinds.has(own.handled_by))
      out.push(src.at([...at, 'handled_by'], 'error', 'missing-office-kind', `no office of kind "${own.handled_by}" is listed in offices.yaml`));
  }
}

/** The rules for the facts at the top of a procedure file. */
function lintFacts(p: Procedure, src: SourceFile, at: Path, settings: Settings | undefined, officeKinds: ReadonlySet<string>, today: string, out: Diagnostic[]): void {
  const facts = FACT_FIELDS.filter((f) => p[f] !== undefined);
  if (facts.length > 0 && (!p.sources || p.sources.length === 0))
    out.push(src.at(['id'], 'error', 'missing-source', `procedure states facts (${facts.join(', ')}) but has no "sources" — add where each fact comes from`));
  if (!p.verified) out.push(src.at(['id'], 'error', 'missing-verified', 'procedure has no "verified" date (YYYY-MM-DD: the day the facts were checked against the sources)'));
  if (!p.review_by) out.push(src.at(['id'], 'error', 'missing-review-by', 'procedure has no "review_by" date (YYYY-MM-DD: when the facts must be checked again)'));
  else if (p.review_by < today)
    out.push(src.at(['review_by'], 'warning', 'review-overdue', `facts were due for review on ${p.review_by}; check the sources again and update "verified" and "review_by"`));
  if (p.verified && p.review_by && p.review_by < p.verified)
    out.push(src.at(['review_by'], 'error', 'schema', '"review_by" is earlier than "verified"'));
  lintDated(p, src, at, out);
  if (p.online && settings && !isAllowed(p.online.url, settings.link_allowlist))
    out.push(src.at(['online', 'url'], 'error', 'link-allowlist', notAllowed(p.online.url, settings)));
  if (p.handled_by && !officeKinds.has(p.handled_by))
    out.push(src.at(['handled_by'], 'error', 'missing-office-kind', `no office of kind "${p.handled_by}" is listed in offices.yaml`));
}

/**
 * `code` names a record the served catalogue has (docs/catalogue.md); skipped when no catalogue
 * is given. A province's own record is named under that province (docs/regional-facts.md), and
 * checked only where the province is served.
 */
function lintCode({ procedure: p, src }: ParsedProcedure, catalogue: Catalogue, provinces: ReadonlyMap<string, string>, served: ReadonlySet<string>, out: Diagnostic[]): void {
  if (catalogue.entries.length === 0) return;
  const check = (code: string | undefined, slug: string | undefined, at: Path) => {
    if (!code) return;
    const entry = catalogue.entry(code) ?? catalogue.elsewhere(code);
    if (entry?.province) {
      const owner = [...provinces].find(([, name]) => foldName(name) === foldName(entry.province!))?.[0];
      if (owner !== slug) {
        out.push(
          src.at(at, 'error', 'regional-code', `record ${code} is ${entry.province}'s own procedure ("${entry.name}"): name it under "regions.${owner ?? '<its province>'}:" (docs/regional-facts.md), and give the national record here if there is one`),
        );
        return;
      }
    }
    if (slug !== undefined && !served.has(slug)) return;
    const own = catalogue.entry(code);
    if (!own) {
      out.push(
        src.at(
          at,
          'error',
          'unknown-code',
          entry
            ? `record ${code} is ${entry.province}'s own procedure ("${entry.name}") and does not apply here`
            : `the national catalogue (content/catalogue/) has no record ${code}; check the code on dichvucong.gov.vn, or remove "code" if the procedure is not in the catalogue`,
        ),
      );
      return;
    }
    const verified = (slug ? p.regions?.[slug]?.verified : undefined) ?? p.verified;
    if (verified && own.updated > verified)
      out.push(src.at(slug ? [...at.slice(0, -1), 'verified'] : ['verified'], 'warning', 'record-changed', `record ${code} was updated on the portal on ${own.updated}, after "verified" (${verified}); check it and move "verified"`));
  };
  check(p.code, undefined, ['code']);
  for (const [slug, own] of Object.entries(p.regions ?? {})) check(own.code, slug, ['regions', slug, 'code']);
}

function foldName(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase().trim();
}

/** Dated variants of one fact must not be in force on the same day. */
function lintDated(p: RegionalFacts, src: SourceFile, prefix: Path, out: Diagnostic[]): void {
  const check = (fact: Fact | FactItem | undefined, at: Path) => {
    if (fact === undefined) return;
    const vs = variantsOf(fact);
    vs.forEach((v, i) => {
      if (v.from && v.until && v.until < v.from) out.push(src.at(Array.isArray(fact) ? [...at, i, 'until'] : [...at, 'until'], 'error', 'dated-overlap', `"until" (${v.until}) is before "from" (${v.from})`));
    });
    const o = overlapping(vs);
    if (o && Array.isArray(fact)) out.push(src.at([...at, o[1]], 'error', 'dated-overlap', `variants ${o[0] + 1} and ${o[1] + 1} are both in force on a common day; give them periods that do not overlap`));
  };
  check(p.fee, [...prefix, 'fee']);
  check(p.processing_time, [...prefix, 'processing_time']);
  (p.documents ?? []).forEach((d, i) => check(d, [...prefix, 'documents', i]));
  (p.notes ?? []).forEach((n, i) => check(n, [...prefix, 'notes', i]));
}

// ---------- offices, units, locales ----------

const OFFICES_FILE = /^content\/regions\/[^/]+\/offices\.ya?ml$/;
const UNITS_FILE = /^content\/regions\/([^/]+)\/units\.json$/;
const REGION_FILE = /^content\/regions\/([^/]+)\/region\.ya?ml$/;
export const NATIONAL_OFFICES_FILE = 'content/offices-national.yaml';
const regionOf = (p: string): string => p.split('/')[2] ?? '';

function lintOffices(files: ContentFiles, yaml: (p: string) => SourceFile, out: Diagnostic[], wanted: (p: string) => boolean): { merged: Offices; byFile: Map<string, Offices> } | undefined {
  const paths = [...files.keys()].filter((p) => (OFFICES_FILE.test(p) || p === NATIONAL_OFFICES_FILE) && wanted(p));
  const merged: Offices = { per_unit: [], offices: [] };
  const byFile = new Map<string, Offices>();
  const ids = new Map<string, string>();
  let ok = true;
  for (const path of paths) {
    const src = yaml(path);
    const keys = (p: Path): readonly string[] => {
      const last = p[p.length - 1];
      if (p.length === 0) return ['per_unit', 'offices'];
      if (p.length === 2) return p[0] === 'offices' ? shapeKeys(Office) : shapeKeys(Offices.shape.per_unit.unwrap().element);
      if (p[2] === 'sources' && p.length === 4) return shapeKeys(Source);
      return typeof last === 'string' && LOCAL_TEXT_FIELDS.has(last) ? LOCAL_TEXT_KEYS : [];
    };
    const parsed = parseWith(src, Offices, keys, out);
    if (!parsed) {
      ok = false;
      continue;
    }
    parsed.offices.forEach((o, i) => {
      const other = ids.get(o.id);
      if (other) out.push(src.at(['offices', i, 'id'], 'error', 'duplicate-id', `office id "${o.id}" is also used in ${other}`));
      ids.set(o.id, path);
    });
    merged.per_unit.push(...parsed.per_unit);
    merged.offices.push(...parsed.offices);
    byFile.set(path, parsed);
  }
  return ok ? { merged, byFile } : undefined;
}

/**
 * The regions: every folder of content/regions with a units.json (and, for a real province, a
 * region.yaml). Only the selected ones are parsed in full; the others' words are kept, and
 * their units.json is left for the "outside this deployment" answer.
 */
function lintRegions(files: ContentFiles, selection: RegionSelection, yaml: (p: string) => SourceFile, out: Diagnostic[]): { served: ParsedRegion[]; all: ProvinceWords[]; unserved: Array<{ slug: string; path: string }> } | undefined {
  const unitFiles = new Map<string, string>();
  const regionFiles = new Map<string, string>();
  // A folder with only an offices.yaml (a test fixture) is a region without places.
  const officeOnly = new Set<string>();
  for (const p of files.keys()) {
    if (OFFICES_FILE.test(p)) officeOnly.add(regionOf(p));
    const u = UNITS_FILE.exec(p);
    if (u) unitFiles.set(u[1]!, p);
    const r = REGION_FILE.exec(p);
    if (r) regionFiles.set(r[1]!, p);
  }
  const slugs = [...new Set([...unitFiles.keys(), ...officeOnly])].sort();
  const wanted = selection === 'all' ? slugs : [...selection];
  let ok = true;
  for (const slug of wanted) {
    if (!unitFiles.has(slug) && !officeOnly.has(slug)) {
      out.push({ file: `content/regions/${slug}/units.json`, line: 1, col: 1, severity: 'error', rule: 'missing-file', message: `REGIONS names "${slug}" but content/regions/${slug}/units.json does not exist (known: ${slugs.join(', ') || 'none'})` });
      ok = false;
    }
  }
  const words = new Map<string, ProvinceWords>();
  for (const [slug, path] of [...regionFiles].sort()) {
    const src = yaml(path);
    const parsed = parseWith(src, RegionFile, (p) => (p.length === 0 ? shapeKeys(RegionFile) : p[0] === 'expected' && p.length === 1 ? shapeKeys(RegionFile.shape.expected) : []), out);
    if (!parsed) {
      ok = false;
      continue;
    }
    if (parsed.slug !== slug) out.push(src.at(['slug'], 'error', 'schema', `slug is "${parsed.slug}" but the folder is "${slug}"`));
    words.set(slug, { slug, name: parsed.name, full_name: parsed.full_name, other_names: parsed.other_names, old_provinces: parsed.old_provinces, common_phrases: parsed.common_phrases, resolution: parsed.resolution, ...(parsed.examples ? { examples: parsed.examples } : {}) });
  }
  const served: ParsedRegion[] = [];
  for (const slug of wanted) {
    const path = unitFiles.get(slug);
    if (!path) {
      const w = words.get(slug) ?? { slug, name: slug, full_name: slug, other_names: [], old_provinces: [slug], common_phrases: [] };
      words.set(slug, w);
      served.push({ slug, words: w, province: w.name, units: [] });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(files.get(path)!);
    } catch (e) {
      out.push(jsonSyntaxDiagnostic(path, files.get(path)!, e));
      ok = false;
      continue;
    }
    const parsed = UnitsFile.safeParse(json);
    if (!parsed.success) {
      out.push({ file: path, line: 1, col: 1, severity: 'error', rule: 'schema', message: `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message} (regenerate with npm run content:import)` });
      ok = false;
      continue;
    }
    // A folder without region.yaml (a test fixture) is known by its units.json's province only.
    const w = words.get(slug) ?? { slug, name: parsed.data.province, full_name: parsed.data.province, other_names: [], old_provinces: [parsed.data.province], common_phrases: [] };
    words.set(slug, w);
    served.push({ slug, words: w, province: parsed.data.province, units: parsed.data.units.map((u) => ({ ...u, province: slug })), ...(parsed.data.districts_before_2025 ? { formerDistricts: parsed.data.districts_before_2025 } : {}) });
  }
  if (!ok) return undefined;
  const servedSet = new Set(wanted);
  return {
    served,
    all: [...words.values()].sort((a, b) => a.slug.localeCompare(b.slug)),
    unserved: slugs.filter((s) => !servedSet.has(s) && unitFiles.has(s)).map((slug) => ({ slug, path: unitFiles.get(slug)! })),
  };
}

const LOCALE_FILE = /^content\/locales\/([a-z]{2})\.json$/;
// i18next plural forms differ per language (Vietnamese has only "_other", English "_one" too).
const PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'];
const PLURAL_SUFFIX = new RegExp(`_(?:${PLURAL_FORMS.join('|')})$`);

function flatKeys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? flatKeys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** True when `key` is in `keys`, or is a plural form ("x_one") of a key `keys` has in another plural form. */
function hasKey(keys: ReadonlySet<string>, key: string): boolean {
  if (keys.has(key)) return true;
  if (!PLURAL_SUFFIX.test(key)) return false;
  const base = key.replace(PLURAL_SUFFIX, '');
  return PLURAL_FORMS.some((form) => keys.has(`${base}_${form}`));
}

function lintLocales(files: ContentFiles, out: Diagnostic[]): Record<string, Record<string, unknown>> | undefined {
  const locales: Record<string, Record<string, unknown>> = {};
  const sources: Record<string, SourceFile> = {};
  const present = new Set<string>(); // there, but not valid JSON (already reported)
  for (const [path, text] of files) {
    const m = LOCALE_FILE.exec(path);
    if (!m) continue;
    // JSON.parse decides what is valid JSON (YAML accepts more, and mislabels JSON errors)…
    try {
      JSON.parse(text);
    } catch (e) {
      out.push(jsonSyntaxDiagnostic(path, text, e));
      present.add(m[1]!);
      continue;
    }
    const src = parseYamlFile(path, text); // …and, JSON being YAML, this gives line numbers
    if (src.data === undefined || typeof src.data !== 'object' || src.data === null || Array.isArray(src.data)) {
      out.push(...(src.diagnostics.length > 0 ? src.diagnostics : [{ file: path, line: 1, col: 1, severity: 'error' as const, rule: 'schema', message: 'a locale file holds one JSON object of message keys' }]));
      present.add(m[1]!);
      continue;
    }
    locales[m[1]!] = src.data as Record<string, unknown>;
    sources[m[1]!] = src;
  }
  for (const required of ['vi', 'en']) if (!locales[required] && !present.has(required)) out.push(missingFile(`content/locales/${required}.json`));
  if (!locales.vi || !locales.en) return undefined;
  const keys = { vi: new Set(flatKeys(locales.vi)), en: new Set(flatKeys(locales.en)) };
  for (const [lang, other] of [['en', 'vi'], ['vi', 'en']] as const) {
    for (const key of keys[other]) {
      // Points at the block the key belongs in (its deepest existing parent).
      if (!hasKey(keys[lang], key)) out.push(sources[lang]!.at(key.split('.'), 'error', 'locale-key', `missing key "${key}" (it exists in ${other}.json)`));
    }
  }
  return locales;
}
