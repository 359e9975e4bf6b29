/** Interface strings (content/locales/*.json) through i18next, as a pure `t(locale, key, params)`. */
import i18next from 'i18next';
import type { Locale, Translate } from '../engine/types';

export function createTranslate(locales: Record<string, Record<string, unknown>>): Translate {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(locales).map(([lng, translation]) => [lng, { translation }])),
    lng: 'vi',
    fallbackLng: 'vi',
    initAsync: false,
    // Replies are plain text; each channel escapes for its own format.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<typeof instance.init>[0]);
  const fixed = new Map<Locale, ReturnType<typeof instance.getFixedT>>();
  return (locale, key, params) => {
    let t = fixed.get(locale);
    if (!t) fixed.set(locale, (t = instance.getFixedT(locale)));
    return t(key, params ?? {}) as string;
  };
}
