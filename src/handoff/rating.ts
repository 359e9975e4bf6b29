/**
 * The satisfaction question at the end of a case (pure): 1–5 as buttons (or numbered lines on
 * channels without buttons), then an optional comment. A rating is taken only for a while after
 * the close, so a "5" typed days later is a new question for the bot, not a rating.
 */
import type { Input, Locale, Reply, Translate } from '../engine/types';

/** How long after the close a score or a comment is taken as the rating. */
export const RATING_WINDOW_MS = 24 * 3600_000;
/** How long after the score a free text is taken as its comment. */
export const COMMENT_WINDOW_MS = 30 * 60_000;
export const RATING_COMMENT_MAX = 1000;

export function ratingQuestion(t: Translate, locale: Locale): Reply {
  return {
    text: t(locale, 'handoff.rating.ask'),
    options: [1, 2, 3, 4, 5].map((n) => ({ id: `rate:${n}`, label: t(locale, `handoff.rating.score_${n}`) })),
  };
}

/** The score in a button press (`rate:4`) or a typed "4", "4 sao", "4/5"; otherwise undefined. */
export function parseRating(input: Input): number | undefined {
  if (input.kind === 'choice') {
    const m = /^rate:([1-5])$/.exec(input.value);
    return m ? Number(m[1]) : undefined;
  }
  if (input.kind !== 'text') return undefined;
  const m = /^\s*([1-5])\s*(?:\/\s*5|sao|⭐+|\*|stars?)?\s*[.!]?\s*$/iu.exec(input.value);
  return m ? Number(m[1]) : undefined;
}
