/**
 * Finds the names within one edit of a typed text without comparing it with every name: each
 * name is filed under itself and every form with one letter deleted, and a text is looked up by
 * the same forms (the "symmetric delete" method). Two strings one substitution, insertion,
 * deletion or adjacent swap apart always share such a form, so the candidates it returns are a
 * superset of the names within one edit; the caller still checks each with `editDistance`.
 * Needed for the national index: 15,000 names compared one by one cost ~10 ms per message.
 */
export interface TypoIndex {
  candidates(text: string): ReadonlySet<string>;
}

function deletions(text: string): string[] {
  const out = [text];
  for (let i = 0; i < text.length; i++) out.push(text.slice(0, i) + text.slice(i + 1));
  return out;
}

/**
 * `forms(key)`: the spellings a key is reachable by (the key itself, and without spaces). The
 * deletion forms (~400,000 for the national index) are made on the first lookup, not at start:
 * only a name typed after "xã/phường…" or as the answer to "which commune?" is looked up with a
 * typo, and most messages are neither.
 */
export function createTypoIndex(keys: Iterable<string>, forms: (key: string) => string[]): TypoIndex {
  const all = [...keys];
  let byForm: Map<string, string[]> | undefined;
  const build = (): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    for (const key of all) {
      for (const form of forms(key)) {
        for (const d of deletions(form)) {
          const list = map.get(d);
          if (!list) map.set(d, [key]);
          else if (list[list.length - 1] !== key) list.push(key);
        }
      }
    }
    return map;
  };
  return {
    candidates(text) {
      byForm ??= build();
      const found = new Set<string>();
      for (const d of deletions(text)) for (const k of byForm.get(d) ?? []) found.add(k);
      return found;
    },
  };
}
