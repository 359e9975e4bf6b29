/**
 * Filling a canned reply from the case (pure). Placeholders are Vietnamese words in braces, so
 * the admins who write the replies can read them:
 *
 *   {ten}      the citizen's name when the flow asked for it (answer to a node named ten, ho_ten
 *              or name), otherwise "anh/chị" (en: "there")
 *   {xa}       the commune or ward, or "xã/phường của anh/chị"
 *   {thu_tuc}  the procedure (flow title), or "thủ tục"
 *   {ma_ho_so} the case id
 *   {can_bo}   the staff member's username
 *
 * An unknown placeholder is left as typed, so a typo shows in the reply box before sending.
 */
import type { Case } from '../store/cases';

export const PLACEHOLDERS = ['ten', 'xa', 'thu_tuc', 'ma_ho_so', 'can_bo'] as const;
const NAME_NODES = ['ten', 'ho_ten', 'name', 'ho-ten'];

export function fillCanned(text: string, c: Pick<Case, 'id' | 'answers' | 'place' | 'flow' | 'locale'>, staffUser: string): string {
  const en = c.locale === 'en';
  const name = c.answers.find((a) => NAME_NODES.includes(a.node))?.answer.trim();
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    ten: name || (en ? 'there' : 'anh/chị'),
    xa: c.place?.name ?? (en ? 'your commune' : 'xã/phường của anh/chị'),
    thu_tuc: c.flow?.title ?? (en ? 'the procedure' : 'thủ tục'),
    ma_ho_so: c.id,
    can_bo: staffUser,
  };
  return text.replace(/\{([a-z_]+)\}/g, (whole, key: string) => (key in values ? values[key as keyof typeof values] : whole));
}
