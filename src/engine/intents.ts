/**
 * Global intents: commands that work at every step (menu, back, restart, help, language, talk
 * to a person, back to the bot). Phrases come from content/settings.yaml so editors can add the
 * ways people really say them; matching is on folded text.
 */
import type { Intent, Settings } from '../content/schema';
import { fold } from './normalize';

export interface IntentMatcher {
  match(text: string): Intent | undefined;
}

interface Rule {
  intent: Intent;
  phrase: string;
  how: 'exact' | 'contains' | 'short';
}

/** A `short` phrase counts in a message of at most this many words (fillers not counted). */
const SHORT_WORDS = 7;

// Polite fillers that don't change what a short command means ("menu đi", "giúp em với ạ").
const FILLERS = new Set(['a', 'ah', 'oi', 'nhe', 'nha', 'di', 'voi', 'please', 'pls', 'em', 'minh', 'ad', 'cho', 'toi', 'ban', 'anh', 'chi', 'vay', 'giup', 'duoc', 'khong']);

function foldPhrase(p: string): string {
  return p.trim().startsWith('/') ? p.trim().toLowerCase() : fold(p);
}

export function createIntentMatcher(settings: Settings): IntentMatcher {
  const rules: Rule[] = [];
  for (const [intent, phrases] of Object.entries(settings.intents) as Array<[Intent, Settings['intents'][Intent]]>) {
    for (const p of phrases.exact) rules.push({ intent, phrase: foldPhrase(p), how: 'exact' });
    for (const p of phrases.contains) rules.push({ intent, phrase: foldPhrase(p), how: 'contains' });
    for (const p of phrases.short) rules.push({ intent, phrase: foldPhrase(p), how: 'short' });
  }
  // Longest phrase first so "quay lại bot" (end handoff) wins over "quay lại" (back).
  rules.sort((a, b) => b.phrase.length - a.phrase.length);

  return {
    match(text: string): Intent | undefined {
      const raw = text.trim();
      // Slash commands keep their slash meaning even before folding ("/start", "/help@mybot").
      const slash = /^\/([a-z_]+)(?:@\w+)?/i.exec(raw);
      const folded = slash ? `/${slash[1]!.toLowerCase()}` : fold(raw);
      const core = folded
        .split(' ')
        .filter((w) => !FILLERS.has(w))
        .join(' ');
      const padded = ` ${folded} `;
      const short = core.split(' ').length <= SHORT_WORDS;
      for (const r of rules) {
        const hit = r.how === 'exact' ? folded === r.phrase || core === r.phrase : (r.how === 'contains' || short) && padded.includes(` ${r.phrase} `);
        if (hit) return r.intent;
      }
      return undefined;
    },
  };
}
