/**
 * The content schemas. They are the single source of the content types (`z.infer`) and of the
 * lint's "unknown key" and "did you mean" messages, so every object is strict.
 */
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** Text shown to citizens: `{ vi, en? }`; a plain string is shorthand for `{ vi: string }`. */
export const LocalText = z.union([
  nonEmpty.transform((vi): LocalText => ({ vi })),
  z.strictObject({ vi: nonEmpty, en: nonEmpty.optional() }),
]);
export type LocalText = { vi: string; en?: string | undefined };

/** A calendar date written as YYYY-MM-DD (YAML may hand it over as a Date). */
export const IsoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written as YYYY-MM-DD'));

const Url = z.string().url('must be a full link starting with https://');

export const Link = z.strictObject({ url: Url, label: LocalText });
export type Link = z.infer<typeof Link>;

/** Kinds of office a procedure can be handled by; offices.yaml lists them per unit. */
export const OfficeKind = z.enum([
  'commune_center',
  'commune_police',
  'province_center',
  'provincial_police',
  'other',
]);
export type OfficeKind = z.infer<typeof OfficeKind>;

// ---------- flows ----------

const nodeId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'node ids use lowercase letters, digits, - and _');

export const Option = z.strictObject({
  id: z.string().regex(/^[a-z0-9_-]{1,24}$/, 'option ids use up to 24 lowercase letters, digits, - and _').optional(),
  label: LocalText,
  next: nodeId,
  match: z.array(nonEmpty).optional(),
  /**
   * The ages (in years, inclusive) this option is for, so "con tôi 14 tuổi" or "tôi 30 tuổi"
   * in the first message answers the question; an age outside the range rules the option out.
   */
  ages: z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).optional(),
});

const common = {
  links: z.array(Link).optional(),
};

/** What a node says to the citizens of one province only (docs/regional-facts.md), by region slug. */
const regionalSay = z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a region is named by its folder under content/regions/ ("thanh-hoa")'), z.strictObject({ say: LocalText })).optional();

export const AskNode = z.strictObject({
  ask: LocalText,
  options: z.array(Option),
  ...common,
});
export const AskPlaceNode = z.strictObject({
  ask_place: z.union([z.literal(true), LocalText]),
  next: nodeId,
  ...common,
});
export const ProcedureNode = z.strictObject({
  procedure: nonEmpty,
  office: OfficeKind.optional(),
  say: LocalText.optional(),
  next: nodeId.optional(),
  regions: regionalSay,
  ...common,
});
export const OfficeNode = z.strictObject({
  office: OfficeKind,
  say: LocalText.optional(),
  next: nodeId.optional(),
  regions: regionalSay,
  ...common,
});
export const SayNode = z.strictObject({
  say: LocalText,
  next: nodeId.optional(),
  regions: regionalSay,
  ...common,
});
export const GotoNode = z.strictObject({ goto: nodeId });
export const HandoffNode = z.strictObject({
  handoff: z.union([z.literal(true), LocalText]),
  reason: nonEmpty.optional(),
});

/**
 * A node is recognised by its leading key (ask, ask_place, procedure, office, say, goto, handoff);
 * `nodeKind` decides which schema applies so errors talk about the right keys.
 */
export const NODE_KINDS = ['ask', 'ask_place', 'procedure', 'office', 'say', 'goto', 'handoff'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export const NODE_SCHEMAS = {
  ask: AskNode,
  ask_place: AskPlaceNode,
  procedure: ProcedureNode,
  office: OfficeNode,
  say: SayNode,
  goto: GotoNode,
  handoff: HandoffNode,
} as const;

export function nodeKind(raw: unknown): NodeKind | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const keys = Object.keys(raw);
  // Order matters: a procedure node may also carry `office` and `say`.
  for (const k of ['ask_place', 'ask', 'procedure', 'goto', 'handoff', 'office', 'say'] as const) {
    if (keys.includes(k)) return k;
  }
  return undefined;
}

const NodeSchema = z.unknown().transform((raw, ctx): FlowNode => {
  const kind = nodeKind(raw);
  if (!kind) {
    ctx.addIssue({
      code: 'custom',
      message: `a node needs one of: ${NODE_KINDS.join(', ')}`,
      params: { rule: 'node-kind' },
    });
    return z.NEVER;
  }
  const parsed = NODE_SCHEMAS[kind].safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as never);
    return z.NEVER;
  }
  return { kind, ...parsed.data } as FlowNode;
});

export type AskNode = z.infer<typeof AskNode> & { kind: 'ask' };
export type AskPlaceNode = z.infer<typeof AskPlaceNode> & { kind: 'ask_place' };
export type ProcedureNode = z.infer<typeof ProcedureNode> & { kind: 'procedure' };
export type OfficeNode = z.infer<typeof OfficeNode> & { kind: 'office' };
export type SayNode = z.infer<typeof SayNode> & { kind: 'say' };
export type GotoNode = z.infer<typeof GotoNode> & { kind: 'goto' };
export type HandoffNode = z.infer<typeof HandoffNode> & { kind: 'handoff' };
export type FlowNode = AskNode | AskPlaceNode | ProcedureNode | OfficeNode | SayNode | GotoNode | HandoffNode;

export const TOPICS = ['giay-to', 'ho-tich', 'cu-tru', 'kinh-doanh', 'dat-dai', 'khac'] as const;
export type Topic = (typeof TOPICS)[number];

export const Flow = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'flow ids use lowercase letters, digits and -'),
  title: LocalText,
  topic: z.enum(TOPICS).default('khac'),
  description: LocalText.optional(),
  match: z.array(nonEmpty).default([]),
  order: z.number().int().optional(),
  start: nodeId,
  nodes: z.record(nodeId, NodeSchema),
});
export type Flow = z.infer<typeof Flow>;

// ---------- procedures ----------

export const Source = z.strictObject({
  url: Url,
  title: nonEmpty,
  accessed: IsoDate.optional(),
});
export type Source = z.infer<typeof Source>;

/**
 * A fact in force for a period (docs/catalogue.md): both dates inclusive, a missing `from` means
 * "always was", a missing `until` "still is". The card shows the variant in force on its day.
 */
export const Variant = z.strictObject({
  from: IsoDate.optional(),
  until: IsoDate.optional(),
  value: LocalText,
});
export type Variant = { from?: string | undefined; until?: string | undefined; value: LocalText };
/** A fact: one text, or a list of dated variants. */
export const Fact = z.union([LocalText, z.array(Variant).min(1, 'give at least one variant')]);
export type Fact = LocalText | Variant[];
/** An item of a list (documents, notes): a text, one dated item, or dated variants of it. */
export const FactItem = z.union([LocalText, Variant, z.array(Variant).min(1, 'give at least one variant')]);
export type FactItem = LocalText | Variant | Variant[];

/** The portal's national procedure code: "1.001193"; a few records carry longer codes ("1.0133611"). */
export const PROCEDURE_CODE = /^\d\.\d{6,9}$/;

/**
 * What a procedure says as facts, at the top of the file (in force in every province) or under
 * `regions.<slug>` (in force in that province only, docs/regional-facts.md).
 */
const procedureFacts = {
  /** The national catalogue record this procedure builds on (docs/catalogue.md). */
  code: z.string().regex(PROCEDURE_CODE, 'a national procedure code looks like "1.001193" (quote it in YAML)').optional(),
  applies_to: LocalText.optional(),
  documents: z.array(FactItem).optional(),
  fee: Fact.optional(),
  processing_time: Fact.optional(),
  handled_by: OfficeKind.optional(),
  where: LocalText.optional(),
  online: z
    .strictObject({
      url: Url,
      vneid: z.boolean().optional(),
      note: LocalText.optional(),
    })
    .optional(),
  legal_basis: z.array(nonEmpty).optional(),
  notes: z.array(FactItem).optional(),
  sources: z.array(Source).optional(),
  verified: IsoDate.optional(),
  review_by: IsoDate.optional(),
};

/**
 * The facts of one province (a slug of content/regions/): each field given here replaces the
 * same field of the file for citizens of that province, and only for them.
 */
export const RegionalFacts = z.strictObject(procedureFacts);
export type RegionalFacts = z.infer<typeof RegionalFacts>;

/** A region slug as REGIONS and content/regions/ write it. */
export const REGION_SLUG = /^[a-z0-9][a-z0-9-]*$/;

export const Procedure = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'procedure ids use lowercase letters, digits and -'),
  name: LocalText,
  match: z.array(nonEmpty).default([]),
  ...procedureFacts,
  /** Facts in force in one province only, by region slug ("thanh-hoa"). */
  regions: z.record(z.string().regex(REGION_SLUG, 'a region is named by its folder under content/regions/ ("thanh-hoa")'), RegionalFacts).optional(),
});
export type Procedure = z.infer<typeof Procedure>;

/** The fields of a procedure that state a fact and therefore need `sources` and `verified`. */
export const FACT_FIELDS = [
  'documents',
  'fee',
  'processing_time',
  'handled_by',
  'where',
  'online',
  'legal_basis',
] as const;

// ---------- settings, offices, units ----------

export const INTENTS = ['menu', 'back', 'restart', 'help', 'lang_vi', 'lang_en', 'handoff', 'end_handoff'] as const;
export type Intent = (typeof INTENTS)[number];

const IntentPhrases = z.strictObject({
  /** The whole message must be one of these (after folding), e.g. "menu", "làm lại". */
  exact: z.array(nonEmpty).default([]),
  /** The message only has to contain one of these, e.g. "tôi muốn gặp cán bộ". */
  contains: z.array(nonEmpty).default([]),
  /**
   * Words that mean this intent in a short message only ("hotline", "cán bộ ơi", "I want a
   * human"): in a longer one they may be part of another request ("nhân viên văn phòng làm hộ chiếu").
   */
  short: z.array(nonEmpty).default([]),
});

export const Settings = z.strictObject({
  link_allowlist: z.array(nonEmpty).min(1),
  abbreviations: z.record(z.string(), nonEmpty).default({}),
  stopwords: z.array(nonEmpty).default([]),
  /** English words and phrases citizens use, and the Vietnamese words that name the same thing. */
  english_terms: z.record(z.string(), nonEmpty).default({}),
  /**
   * Everyday words and the official ones catalogue record names use instead ("bằng lái" →
   * "giấy phép lái xe"): a message is also compared with record names in the official words.
   */
  official_terms: z.record(z.string(), nonEmpty).default({}),
  intents: z.strictObject(Object.fromEntries(INTENTS.map((i) => [i, IntentPhrases])) as Record<Intent, typeof IntentPhrases>),
  /** Minutes of silence after which a citizen mid-flow is asked whether to continue. */
  idle_minutes: z.number().int().positive().default(30),
  /** Misses in a row before the bot offers a person. */
  handoff_after_misses: z.number().int().positive().default(3),
});
export type Settings = z.infer<typeof Settings>;

export const Office = z.strictObject({
  id: nonEmpty,
  kind: OfficeKind,
  name: LocalText,
  unit: z.string().optional(),
  address: LocalText.optional(),
  phone: z.string().optional(),
  hours: LocalText.optional(),
  note: LocalText.optional(),
  sources: z.array(Source).min(1, 'an office needs at least one source'),
  verified: IsoDate,
});
export type Office = z.infer<typeof Office>;

export const Offices = z.strictObject({
  /** Template offices generated for every unit, e.g. "Công an {unit}". */
  per_unit: z
    .array(
      z.strictObject({
        kind: OfficeKind,
        name: LocalText,
        hours: LocalText.optional(),
        note: LocalText.optional(),
        sources: z.array(Source).min(1),
        verified: IsoDate,
      }),
    )
    .default([]),
  offices: z.array(Office).default([]),
});
export type Offices = z.infer<typeof Offices>;

export const OldUnit = z.object({
  name: z.string(),
  type: z.string(),
  old_district: z.string(),
  old_code: z.string(),
  portion: z.enum(['full', 'partial']),
  /** Other spellings of the old name (the Resolution's, or editors' aliases.yaml). */
  aliases: z.array(z.string()).optional(),
  /** Only in provinces formed from several ("Tỉnh Hà Nam"). */
  old_province: z.string().optional(),
  /** Confirmed by one source only (review-34.csv P1). */
  single_source: z.literal(true).optional(),
});
export const Unit = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  full_name: z.string(),
  /** The pre-2025 units merged into this one; `partial` ones were split between new units. */
  merged_from: z.array(OldUnit),
  /** Other names people use for this unit (editors' aliases.yaml, baked in by content:import). */
  aliases: z.array(z.string()).optional(),
  /**
   * Old records only one unverified source links here (PROVENANCE.md "doubtful"). The bot never
   * states the link; it says the old unit's new place is not confirmed.
   */
  unconfirmed_from: z.array(z.object({ name: z.string(), type: z.string(), old_district: z.string(), old_code: z.string(), note: z.string(), old_province: z.string().optional() })).optional(),
  /** Slug of the unit's region; not in units.json, set when the content is compiled. */
  province: z.string().optional(),
});
export type Unit = z.infer<typeof Unit>;
/**
 * A district GSO's list of 01/03/2025 no longer has (merged before the 2025 reform, e.g. huyện
 * Đông Sơn into thành phố Thanh Hóa): today's units its communes went into, traced by code
 * (sources/admin-units/national/districts-before-2025.json).
 */
export const FormerDistrict = z.object({
  name: z.string(),
  old_province: z.string(),
  /** The districts its communes are under in the list of 01/03/2025. */
  later_districts: z.array(z.string()),
  /** Codes of today's units. */
  units: z.array(z.string()),
  /** Its communes the later list does not have (the sources do not say where they went). */
  untraced: z.array(z.string()),
});
export type FormerDistrict = z.infer<typeof FormerDistrict>;

export const UnitsFile = z.object({
  source: z.unknown(),
  province: z.string(),
  districts_before_2025: z.array(FormerDistrict).optional(),
  units: z.array(Unit),
});
export type UnitsFile = z.infer<typeof UnitsFile>;

// ---------- transcripts ----------

const oneOrMany = z.union([nonEmpty.transform((s) => [s]), z.array(nonEmpty)]);

/** The engine's event types a transcript step can expect (src/content/transcripts.ts checks they match). */
export const TRANSCRIPT_EVENTS = ['matched', 'unmatched', 'flow_started', 'node_entered', 'flow_completed', 'place_resolved', 'handoff_requested', 'handoff_ended', 'stale_choice'] as const;

/**
 * One turn of a scripted conversation: exactly one action (`user` types text, `choose` taps the
 * option whose label contains the given words, `start` opens the chat) plus what the bot must do.
 */
export const TranscriptStep = z
  .strictObject({
    user: z.string().optional(),
    choose: nonEmpty.optional(),
    start: z.literal(true).optional(),
    /** Minutes that pass before this turn, to exercise idle expiry. */
    wait_minutes: z.number().nonnegative().optional(),
    contains: oneOrMany.optional(),
    not_contains: oneOrMany.optional(),
    options: oneOrMany.optional(),
    links: oneOrMany.optional(),
    event: z.enum(TRANSCRIPT_EVENTS).optional(),
    node: nonEmpty.optional(),
  })
  .refine((s) => [s.user !== undefined, s.choose !== undefined, s.start !== undefined].filter(Boolean).length === 1, {
    message: 'each step needs exactly one of: user, choose, start',
  });
export type TranscriptStep = z.infer<typeof TranscriptStep>;

export const Transcript = z.strictObject({
  name: nonEmpty,
  flow: z.string().optional(),
  locale: z.enum(['vi', 'en']).optional(),
  steps: z.array(TranscriptStep).min(1),
});
export type Transcript = z.infer<typeof Transcript>;

/** A transcript file holds a list of transcripts (a single transcript block is accepted too). */
export const TranscriptFile = z.array(Transcript).min(1, 'a transcript file needs at least one transcript');
