/**
 * Which language a message is written in, so the chat follows the citizen: an English message
 * switches the chat to English, a Vietnamese one switches it back. Decided on the raw words
 * (before folding, which turns English words into look-alike Vietnamese ones: "how" → "hộ").
 * A message that is neither clearly (a place name, a number, "ok") keeps the chat's language.
 */
import { stripDiacritics } from './normalize';
import type { Locale } from './types';

// Common English words that are not also Vietnamese syllables written without diacritics
// ("can" = cần, "the" = thẻ, "to" = tờ, "do" = đỏ, "an" = ăn, "me" = mẹ, "ban" = bạn are left out).
const ENGLISH = new Set(
  `i i'm im my we our you your he she it they is are am was be been how what where when which who why
   want need would like please get got make apply register registration renew renewal lost lose
   birth certificate marriage married wedding death died passport licence license driving driver
   card id identity citizen residence temporary permanent business shop open household copy certified
   criminal record check land transfer status single account electronic help human person someone
   officer staff agent talk speak hello hi hey thanks thank there does did with from for of in on at
   this that and or not don't dont have has just about new old child baby son daughter father mother wife
   husband ward commune office online documents document fee fees long much time take how's english
   real live connect let number hotline weather today speak job work diploma level activate`.split(/\s+/),
);
// Vietnamese words as typed without diacritics that English never uses.
const VIETNAMESE = new Set(
  `toi minh em anh chi ban muon lam cho hoi gi nao dau duoc khong roi nhu the vay oi a nhe nha cua voi
   va la thi ma phai can cuoc khai sinh tu ket hon ho chieu giay dang ky thu tuc xa phuong huyen tinh
   bao nhieu lau mat doi cap lai moi truc tiep tuyen o ve sao`.split(/\s+/),
);
/** Letters only Vietnamese spells: a message with one of them is Vietnamese. */
const VIETNAMESE_LETTERS = /[ăâêôơưđàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

/** The language the message is clearly written in, or undefined when it is not clear. */
export function languageOf(text: string): Locale | undefined {
  if (VIETNAMESE_LETTERS.test(text.normalize('NFC'))) return 'vi';
  const words = stripDiacritics(text)
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0 && !/^\d+$/.test(w));
  if (words.length === 0) return undefined;
  const en = words.filter((w) => ENGLISH.has(w)).length;
  const vi = words.filter((w) => VIETNAMESE.has(w)).length;
  if (en >= 2 && en > vi) return 'en';
  if (vi >= 2 && vi > en) return 'vi';
  return undefined;
}

// English words that say nothing about which procedure is meant; dropped before an English
// message is searched, because folding would turn them into Vietnamese syllables ("how" → "hộ").
const ENGLISH_FILLER = new Set(
  `i i'm im my we our you your he she it they is are am was be been how what where when which who why
   want need would like please get got make do does did can could should will to the a an of in on at
   for from with this that there and or not don't dont have has just about me us some any it's in
   vietnam hello hi hey thanks thank way way's yes no`.split(/\s+/),
);

/**
 * An English message as a Vietnamese query: the terms editors listed (settings.yaml
 * `english_terms`, longest first) are replaced in place by their Vietnamese words, so word
 * order survives ("I lost my ID card" → "mất thẻ căn cước"); function words are dropped; other
 * words stay (flows list some English phrases too).
 */
export function englishQuery(text: string, terms: Readonly<Record<string, string>>): string {
  let padded = ` ${stripDiacritics(text).replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ').trim()} `;
  for (const term of Object.keys(terms).sort((a, b) => b.length - a.length)) {
    const key = ` ${stripDiacritics(term)} `;
    // The Vietnamese words go in with a marker so a later, shorter term cannot match inside them.
    if (padded.includes(key)) padded = padded.split(key).join(` \u0000${terms[term]!.replace(/ /g, '\u0001')} `);
  }
  return padded
    .split(' ')
    .filter((w) => w.length > 0 && !ENGLISH_FILLER.has(w))
    .map((w) => w.replace(/\u0000/g, '').replace(/\u0001/g, ' '))
    .join(' ');
}
