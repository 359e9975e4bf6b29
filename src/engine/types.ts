/**
 * Engine types. The engine is pure: it sees the compiled content, the session and one input,
 * and returns the next session, the replies and the events. Nothing here does I/O.
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { IntentMatcher } from './intents';
import type { Flow, Office, OfficeKind, Procedure, Settings, Topic, Unit } from '../content/schema';

export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];

export type Input =
  | { kind: 'start' }
  | { kind: 'text'; value: string }
  | { kind: 'choice'; value: string };

export interface ReplyOption {
  id: string;
  label: string;
}
export interface ReplyLink {
  url: string;
  label: string;
}
/** A channel-neutral message. Channels decide how options look (buttons or numbered lines). */
export interface Reply {
  text: string;
  options?: ReplyOption[];
  links?: ReplyLink[];
}

export type EngineEvent =
  | { type: 'matched'; query: string; target: string }
  | { type: 'unmatched'; query: string; flow?: string; node?: string }
  | { type: 'flow_started'; flow: string }
  /** `from`: the node whose edge led here (an answer, say/procedure → next, goto); absent when
   *  the node was entered by start, back, restart or a repeat. Transcript coverage counts edges by it. */
  | { type: 'node_entered'; flow: string; node: string; from?: string }
  | { type: 'flow_completed'; flow: string; node: string; procedure?: string }
  | { type: 'place_resolved'; unit: string; via?: string }
  | { type: 'handoff_requested'; reason: HandoffReason; flow?: string; node?: string }
  | { type: 'handoff_ended' }
  | { type: 'stale_choice'; choice: string };

export type HandoffReason = 'asked' | 'flow' | 'misses';

/** What a pending option does when picked. Stored in the session, so ids stay short. */
export type Action =
  | { do: 'node'; next: string }
  | { do: 'flow'; flow: string; hint?: string }
  | { do: 'procedure'; procedure: string }
  /** A catalogue record's card (`part` absent) or one part of it; `procedure`: the curated file naming it. */
  | { do: 'record'; code: string; part?: CardPart; procedure?: string }
  | { do: 'topic'; topic: Topic }
  /** `flow`: start this flow once the place is set (a place and a procedure in one message). */
  | { do: 'place'; code: string; via?: string; flow?: string; hint?: string }
  /** Resolve this text as a place (the place's words plus the province the citizen picked). */
  | { do: 'place_query'; query: string; flow?: string; hint?: string }
  | { do: 'cmd'; cmd: Command };

/** The parts of a card shown behind options ("Xem trình tự", "Xem căn cứ pháp lý"…). */
export type CardPart = 'documents' | 'steps' | 'legal' | 'notes';

export const COMMANDS = ['menu', 'continue', 'restart', 'handoff', 'back', 'help', 'lang_vi', 'lang_en', 'end_handoff'] as const;
export type Command = (typeof COMMANDS)[number];

export interface PendingOption {
  id: string;
  label: string;
  action: Action;
}

/** The question the citizen is expected to answer; numbers and button ids resolve against it. */
export interface Pending {
  kind: 'menu' | 'topic' | 'ask' | 'place' | 'place_pick' | 'search' | 'resume' | 'after' | 'handoff_offer';
  options: PendingOption[];
}

export interface FlowPosition {
  id: string;
  node: string;
  /** Nodes answered before this one, for "back"; bounded by MAX_STACK. */
  stack: string[];
  /** Option label chosen per ask node, so staff see the answers so far. */
  answers: Record<string, string>;
  /**
   * The folded message that started the flow ("mất căn cước cho con"). A question whose options
   * an editor gave `match:` phrases is answered from it when exactly one option's phrase is in
   * it, so the citizen is not asked what they already said. Cleared by "back". Bounded.
   */
  hint?: string;
  /** The flow reached an answer; "back" still works, idle resume does not apply. */
  done?: boolean;
}

export interface Session {
  version: 1;
  locale: Locale;
  flow?: FlowPosition;
  /** `flow`: the flow the place was given for; that flow's ask_place does not ask again. */
  place?: { code: string; name: string; flow?: string };
  pending?: Pending;
  /** Counts prompts, so option ids of an old question never match the current one. */
  seq: number;
  /** Consecutive replies the bot could not understand. */
  misses: number;
  /** While a case is open the pipeline routes messages to staff; the engine only ends it. */
  handoff?: { caseId?: string; since: number };
  updatedAt: number;
}

export interface StepResult {
  session: Session;
  replies: Reply[];
  events: EngineEvent[];
}

// ---------- what the engine needs from content ----------

export interface CompiledFlow extends Flow {
  file: string;
  /** Per node: its step number on the longest path through it, and that path's length. */
  progress: Record<string, { step: number; total: number }>;
}

export interface SearchHit {
  /** `record`: a national catalogue record, `id` its code. */
  kind: 'flow' | 'procedure' | 'place' | 'record';
  id: string;
  score: number;
  /**
   * The hit matched a pair of typed words, an abbreviation, or two typed words or more: enough
   * to take the message for a request even where another kind of answer was expected.
   */
  strong?: boolean;
  /** A catalogue guess that does not cover what was typed well enough: offer it, do not show its card outright. */
  confirm?: boolean;
  /** A record: the most words of its name the message says in a row (two or more). */
  named?: number;
  /** A record: the message says its whole name (of three words or more), "Thủ tục" and level aside. */
  whole?: boolean;
}

/** A pre-2025 commune, ward or township as the citizen named it. */
export interface OldPlace {
  name: string;
  type: string;
  old_district: string;
  /** Only where today's province was formed from several ("Tỉnh Hà Nam"). */
  old_province?: string;
  /** The link rests on one source only (review-34.csv P1): said as not confirmed. */
  single_source?: boolean;
}

/** A province as the bot names it. */
export interface ProvinceRef {
  slug: string;
  /** "Thanh Hóa" */
  name: string;
  /** "Tỉnh Thanh Hóa" */
  full_name: string;
}

export type PlaceMatch =
  | { kind: 'unit'; unit: Unit; via?: OldPlace }
  /** Several places answer to the name; `partial`: only part of the old unit went to `unit`. */
  | { kind: 'choose'; candidates: Array<{ unit: Unit; via?: OldPlace; partial?: boolean }> }
  /** The old unit was split between these units. */
  | { kind: 'split'; old: OldPlace; units: Unit[] }
  /** An old district ("huyện Hậu Lộc"): districts are gone, these units now cover it. */
  /**
   * `before`: the district was gone before the 2025 reform; its communes were under these
   * districts by 01/03/2025 (GSO's list), and `untraced` of them the lists cannot follow.
   */
  | { kind: 'district'; district: string; units: Unit[]; before?: { later: string[]; untraced: number } }
  /** An old record whose new unit no verified source gives (PROVENANCE.md "doubtful"). */
  | { kind: 'unconfirmed'; old: OldPlace; /** Slug of the province whose data lists it. */ province?: string }
  /** The name is a place in several provinces: ask which; `query` is the words that named it. */
  | { kind: 'province'; query: string; provinces: ProvinceRef[] }
  /** A pre-2025 province named alone ("tỉnh Hà Nam cũ"): what it became. */
  | { kind: 'old_province'; old: string; province: ProvinceRef }
  /** The place is in provinces this deployment does not serve (REGIONS). */
  | { kind: 'outside'; match: Exclude<PlaceMatch, { kind: 'none' | 'outside' }>; provinces: ProvinceRef[] }
  | { kind: 'none' };

/** A place named inside a longer message ("tôi ở phường Hạc Thành, muốn đăng ký thường trú"). */
export interface PlaceMention {
  match: Exclude<PlaceMatch, { kind: 'none' }>;
  /** The message without the words that named the place, for searching the rest. */
  rest: string;
  /** The message asks what the place is called now ("… cũ giờ là xã nào"). */
  asksWhere: boolean;
  /** Named with a type word, "cũ", an old district or a province: not a bare word that happens to be a name. */
  clear: boolean;
  /** Slugs of the provinces the message names. */
  named: string[];
  /** The name was found only as a one-letter typo of a known name. */
  typo: boolean;
}

export interface PlaceIndex {
  size: number;
  /** The answer to "which commune or ward?": the whole message is about the place. */
  resolve(text: string): PlaceMatch;
  /** A place mentioned anywhere in a message, or undefined when none is named clearly enough. */
  find(text: string): PlaceMention | undefined;
  /** `resolve` (whole) or `find` with what the match rests on (`clear`, `typo`). */
  locate(text: string, whole: boolean): PlaceMention | undefined;
  byCode(code: string): Unit | undefined;
  /** A province the index knows the words of (all 34), by slug. */
  province(slug: string): ProvinceRef | undefined;
  /** Builds now what is otherwise built on first use (the unserved provinces' names), so that first message does not wait for it. */
  warm?(): void;
}

/** A province this deployment serves (REGIONS). */
export interface Region extends ProvinceRef {
  /** Number of communes, wards and special zones. */
  units: number;
  /** The Standing Committee resolution that arranged its units ("1686/NQ-UBTVQH15"), from region.yaml. */
  resolution?: string;
}

export interface OfficeDirectory {
  /** The offices of `kind` that serve unit `code` (unit-level first, then province-wide). */
  find(kind: OfficeKind, unitCode: string | undefined): Office[];
}

export type Translate = (locale: Locale, key: string, params?: Record<string, unknown>) => string;

export interface Content {
  /** Changes whenever any content file changes; sessions don't depend on it. */
  version: string;
  flows: ReadonlyMap<string, CompiledFlow>;
  procedures: ReadonlyMap<string, Procedure>;
  settings: Settings;
  /** settings.stopwords, folded. */
  stopwords: ReadonlySet<string>;
  places: PlaceIndex;
  /** The provinces served (REGIONS), in order of their name: e.g. to keep a province's own catalogue records. */
  regions: readonly Region[];
  /** Every province the content knows by slug, served or not. */
  provinces: ReadonlyMap<string, ProvinceRef>;
  offices: OfficeDirectory;
  /** The national catalogue served here (docs/catalogue.md); empty for trees without one. */
  catalogue: Catalogue;
  /** Curated procedure id by the record code it names. */
  curatedByCode: ReadonlyMap<string, string>;
  search(query: string): SearchHit[];
  intents: IntentMatcher;
  t: Translate;
}

export type { AskNode, AskPlaceNode, Flow, FlowNode, GotoNode, HandoffNode, LocalText, Office, OfficeKind, OfficeNode, Procedure, ProcedureNode, SayNode, Topic, Unit } from '../content/schema';
