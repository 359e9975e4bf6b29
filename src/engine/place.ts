/**
 * Answers to "which commune/ward": the new name, an old name, an old name with its old
 * district, typos and missing diacritics all resolve through the content's place index.
 */
import { ask, emit, say, t, type StepContext } from './context';
import { advance } from './flow-walk';
import type { PlaceMatch, Unit } from './types';

type Via = { name: string; type: string; old_district: string };

/** "phường Hạc Thành": the form used inside a sentence. */
export function unitLabel(u: Unit): string {
  return `${u.type} ${u.name}`;
}

/** "Xã Trường Xuân (huyện Thọ Xuân cũ)". */
function viaLabel(ctx: StepContext, v: Via): string {
  const district = v.old_district.charAt(0).toLowerCase() + v.old_district.slice(1);
  return t(ctx, 'place.old_unit', { type: v.type.charAt(0).toUpperCase() + v.type.slice(1), name: v.name, district });
}

/** Says what the citizen's place is now; returns false when nothing matched. */
export function handlePlaceMatch(ctx: StepContext, match: PlaceMatch, inFlow: boolean): boolean {
  switch (match.kind) {
    case 'none':
      return false;
    case 'unit':
      choosePlace(ctx, match.unit.code, match.via, inFlow);
      return true;
    case 'choose':
      ask(
        ctx,
        t(ctx, 'place.choose'),
        'place_pick',
        match.candidates.map((c) => ({
          label: c.via ? `${viaLabel(ctx, c.via)} → ${unitLabel(c.unit)}` : c.unit.full_name,
          action: { do: 'place' as const, code: c.unit.code, ...(c.via ? { via: encodeVia(c.via) } : {}) },
        })),
      );
      return true;
    case 'split':
      ask(
        ctx,
        t(ctx, 'place.split', { old: viaLabel(ctx, match.old), units: match.units.map(unitLabel).join(', ') }),
        'place_pick',
        [
          ...match.units.map((u) => ({ label: u.full_name, action: { do: 'place' as const, code: u.code, via: encodeVia(match.old) } })),
          { label: t(ctx, 'place.split_unsure'), action: { do: 'cmd' as const, cmd: 'handoff' as const } },
        ],
      );
      return true;
  }
}

// The old unit rides along in the option as "type|name|district" so the merge note can be said.
function encodeVia(v: Via): string {
  return `${v.type}|${v.name}|${v.old_district}`;
}
function decodeVia(s: string | undefined): Via | undefined {
  if (!s) return undefined;
  const [type, name, old_district] = s.split('|');
  return type && name && old_district ? { type, name, old_district } : undefined;
}

export function choosePlace(ctx: StepContext, code: string, via: Via | string | undefined, inFlow: boolean): void {
  const unit = ctx.content.places.byCode(code);
  if (!unit) return;
  const old = typeof via === 'string' ? decodeVia(via) : via;
  ctx.session.place = { code: unit.code, name: unit.full_name };
  emit(ctx, old ? { type: 'place_resolved', unit: unit.code, via: `${old.name} (${old.old_district})` } : { type: 'place_resolved', unit: unit.code });
  const mergedNote =
    old && !(old.name === unit.name && old.type === unit.type)
      ? t(ctx, 'place.merged', { old: viaLabel(ctx, old), unit: unitLabel(unit) })
      : t(ctx, 'place.found', { unit: unitLabel(unit) });
  const pos = ctx.session.flow;
  const node = pos && !pos.done ? ctx.content.flows.get(pos.id)?.nodes[pos.node] : undefined;
  if (inFlow && node?.kind === 'ask_place') {
    say(ctx, mergedNote);
    advance(ctx, node.next, unit.full_name);
    return;
  }
  say(ctx, `${mergedNote}\n${t(ctx, 'place.what_next')}`);
}
