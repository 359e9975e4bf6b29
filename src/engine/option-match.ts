/**
 * Typed answers to a question with options: "lần đầu" picks "Cấp lần đầu", "lan dau" too, and
 * so does a one-letter typo. Returns the index of the one best option, or undefined when none
 * or several fit equally well (then the bot asks again rather than guessing).
 */
import { fold, nearlyEqual } from './normalize';

export function matchOption(input: string, candidates: ReadonlyArray<readonly string[]>, stopwords: ReadonlySet<string>): number | undefined {
  const words = fold(input).split(' ').filter((w) => w && !stopwords.has(w));
  if (words.length === 0) return undefined;
  const joined = words.join(' ');
  let best = -1;
  let bestScore = 0;
  let tie = false;
  candidates.forEach((phrases, index) => {
    let score = 0;
    for (const phrase of phrases) {
      const target = fold(phrase).split(' ').filter((w) => w && !stopwords.has(w));
      if (target.length === 0) continue;
      if (target.join(' ') === joined) score = Math.max(score, 100);
      const inputCovered = words.filter((w) => target.some((x) => nearlyEqual(w, x))).length / words.length;
      const targetCovered = target.filter((x) => words.some((w) => nearlyEqual(w, x))).length / target.length;
      if (inputCovered === 1) score = Math.max(score, 50 + 40 * targetCovered);
      else if (targetCovered === 1) score = Math.max(score, 40 + 10 * inputCovered);
    }
    if (score > bestScore) {
      best = index;
      bestScore = score;
      tie = false;
    } else if (score > 0 && score === bestScore) tie = true;
  });
  return best >= 0 && !tie ? best : undefined;
}
