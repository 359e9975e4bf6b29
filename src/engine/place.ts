/**
 * Places in the conversation: the answer to a flow's "which commune or ward?", a place question
 * asked at any time ("xã Đông Lĩnh cũ giờ là xã nào"), and a place named together with a request
 * ("tôi ở phường Hạc Thành, muốn đăng ký thường trú"). The content's place index does the
 * matching; this module decides what to say and where the conversation goes next. It never
 * picks between several places: it asks, naming each old district.
 */
import { ask, emit, say, t, type OptionSpec, type StepContext } from './context';
import { advance, repeatCurrent, startFlow } from './flow-walk';
import { showMenu } from './menu';
import type { OldPlace, PlaceMatch, PlaceMention, Unit } from './types';

/** "phường Hạc Thành": the form used inside a sentence. */
export function unitLabel(u: Unit): string {
  return `${u.type} ${u.name}`;
}

/** "Xã Xuân Lộc (huyện Hậu Lộc cũ)", "Phường 1 (quận 3, Thành phố Hồ Chí Minh cũ)" where the province was merged. */
function viaLabel(ctx: StepContext, v: OldPlace): string {
  const params = { type: capitalise(v.type), name: v.name, district: lowerFirst(v.old_district) };
  return v.old_province ? t(ctx, 'place.old_unit_province', { ...params, province: lowerFirst(v.old_province) }) : t(ctx, 'place.old_unit', params);
}

/** With several provinces served, a unit is named with its province ("phường Hoàn Kiếm, thành phố Hà Nội"). */
function unitWhere(ctx: StepContext, u: Unit): string {
  const p = ctx.content.regions.length > 1 && u.province ? ctx.content.provinces.get(u.province) : undefined;
  return p ? t(ctx, 'place.in_province', { unit: unitLabel(u), province: lowerFirst(p.full_name) }) : unitLabel(u);
}
function fullWhere(ctx: StepContext, u: Unit): string {
  const p = ctx.content.regions.length > 1 && u.province ? ctx.content.provinces.get(u.province) : undefined;
  return p ? t(ctx, 'place.in_province', { unit: u.full_name, province: lowerFirst(p.full_name) }) : u.full_name;
}

/**
 * Says what the citizen's place is now, or asks which one when the name is not enough. `flow`:
 * the flow to start once the place is settled (it was named together with a request). Returns
 * false when nothing matched.
 */
export function handlePlaceMatch(ctx: StepContext, match: PlaceMatch, inFlow: boolean, flow?: string): boolean {
  // The flow to start once the place is picked, and the message that asked for it (its hint).
  const then = flow ? { flow, ...(ctx.query ? { hint: ctx.query.slice(0, 160) } : {}) } : {};
  const unsure: OptionSpec = { label: t(ctx, 'place.split_unsure'), action: { do: 'cmd', cmd: 'handoff' } };
  switch (match.kind) {
    case 'province':
      ask(
        ctx,
        t(ctx, 'place.province', { query: match.query }),
        'place_pick',
        match.provinces.map((p) => ({ label: p.full_name, action: { do: 'place_query' as const, query: `${match.query} ${p.full_name}`.slice(0, 160), ...then } })),
      );
      return true;
    case 'old_province':
      say(ctx, t(ctx, 'place.old_province', { old: lowerFirst(match.old), province: lowerFirst(match.province.full_name) }));
      if (!ctx.content.regions.some((r) => r.slug === match.province.slug)) say(ctx, t(ctx, 'place.outside', { place: capitalise(lowerFirst(match.old)), provinces: lowerFirst(match.province.full_name) }));
      else if (!repeatCurrent(ctx)) showMenu(ctx, false);
      return true;
    case 'outside':
      say(ctx, outsideText(ctx, match));
      if (!repeatCurrent(ctx)) showMenu(ctx, false);
      return true;
    case 'none':
      return false;
    case 'unit':
      choosePlace(ctx, match.unit.code, match.via, inFlow, flow);
      return true;
    case 'choose':
      ask(
        ctx,
        t(ctx, 'place.choose'),
        'place_pick',
        match.candidates.map((c) => ({
          label: c.via
            ? `${viaLabel(ctx, c.via)} → ${unitWhere(ctx, c.unit)}${c.partial ? ` ${t(ctx, 'place.partial')}` : ''}`
            : t(ctx, 'place.new_unit', { name: fullWhere(ctx, c.unit) }),
          action: { do: 'place' as const, code: c.unit.code, ...(c.via ? { via: encodeVia(c.via) } : {}), ...then },
        })),
      );
      return true;
    case 'split':
      emit(ctx, { type: 'matched', query: match.old.name, target: `place-split:${match.units.map((u) => u.code).join(',')}` });
      ask(
        ctx,
        t(ctx, 'place.split', { old: viaLabel(ctx, match.old), units: match.units.map((u) => unitWhere(ctx, u)).join(', ') }) + singleSource(ctx, match.old),
        'place_pick',
        [...match.units.map((u) => ({ label: u.full_name, action: { do: 'place' as const, code: u.code, via: encodeVia(match.old), ...then } })), unsure],
      );
      return true;
    case 'district':
      ask(
        ctx,
        // A district gone before the reform: where its communes were by then, said before today's units.
        (match.before
          ? `${t(ctx, 'place.district_before', { district: lowerFirst(match.district), later: match.before.later.map(lowerFirst).join(', ') })}${match.before.untraced > 0 ? ` ${t(ctx, 'place.district_untraced', { count: match.before.untraced })}` : ''}\n`
          : '') + t(ctx, 'place.district', { district: lowerFirst(match.district), count: match.units.length }),
        'place_pick',
        [...match.units.map((u) => ({ label: u.full_name, action: { do: 'place' as const, code: u.code, ...then } })), unsure],
      );
      return true;
    case 'unconfirmed':
      say(ctx, t(ctx, 'place.unconfirmed', { old: viaLabel(ctx, match.old), resolution: ctx.content.regions.find((r) => r.slug === match.province)?.resolution ?? t(ctx, 'place.resolution_unknown') }));
      if (flow) startFlow(ctx, flow);
      else if (!repeatCurrent(ctx)) showMenu(ctx, false);
      return true;
  }
}

/**
 * A message that names a place (from `PlaceIndex.find`). `flow`: the flow the rest of the message
 * asks for, when the search found one clearly. Returns false when the caller should go on with
 * its search (the message asks for several things, or for something while a flow is running);
 * the place is remembered either way.
 */
export function answerPlaceMention(ctx: StepContext, mention: PlaceMention, flow: string | undefined, otherHits: boolean, inFlow: boolean): boolean {
  const m = mention.match;
  if (flow && !inFlow) {
    emit(ctx, { type: 'matched', query: mention.rest, target: `flow:${flow}` });
    return handlePlaceMatch(ctx, m, false, flow);
  }
  if ((flow || otherHits) && !mention.asksWhere) {
    if (m.kind === 'unit') {
      rememberPlace(ctx, m.unit, m.via);
      say(ctx, placeNote(ctx, m.unit, m.via));
    }
    return false;
  }
  return handlePlaceMatch(ctx, m, inFlow);
}

// The old unit rides along in the option as "type|name|district" so the merge note can be said.
function encodeVia(v: OldPlace): string {
  return [v.type, v.name, v.old_district, ...(v.old_province || v.single_source ? [v.old_province ?? '', v.single_source ? '1' : ''] : [])].join('|');
}
function decodeVia(s: string | undefined): OldPlace | undefined {
  if (!s) return undefined;
  const [type, name, old_district, old_province, single] = s.split('|');
  return type && name && old_district ? { type, name, old_district, ...(old_province ? { old_province } : {}), ...(single === '1' ? { single_source: true } : {}) } : undefined;
}

function rememberPlace(ctx: StepContext, unit: Unit, old: OldPlace | undefined, flow?: string): void {
  ctx.session.place = { code: unit.code, name: unit.full_name, ...(flow ? { flow } : {}) };
  emit(ctx, old ? { type: 'place_resolved', unit: unit.code, via: `${old.name} (${old.old_district})` } : { type: 'place_resolved', unit: unit.code });
}

/** "Xã Xuân Lộc (huyện Hậu Lộc cũ) nay thuộc xã Hoa Lộc." or "Đơn vị hành chính của bạn: …". */
function placeNote(ctx: StepContext, unit: Unit, old: OldPlace | undefined): string {
  return old && !(old.name === unit.name && old.type === unit.type)
    ? t(ctx, 'place.merged', { old: viaLabel(ctx, old), unit: unitWhere(ctx, unit) }) + singleSource(ctx, old)
    : t(ctx, 'place.found', { unit: unitWhere(ctx, unit) });
}

function singleSource(ctx: StepContext, old: OldPlace | undefined): string {
  return old?.single_source ? ` ${t(ctx, 'place.single_source')}` : '';
}

/** "Phường Hàng Mã (quận Hoàn Kiếm cũ) → phường Hoàn Kiếm thuộc thành phố Hà Nội. Bot này phục vụ tỉnh Thanh Hóa …" */
function outsideText(ctx: StepContext, match: Extract<PlaceMatch, { kind: 'outside' }>): string {
  const m = match.match;
  const provinces = match.provinces.map((p) => lowerFirst(p.full_name)).join(', ');
  let place = t(ctx, 'place.outside_place');
  if (m.kind === 'unit') place = m.via ? `${viaLabel(ctx, m.via)} → ${m.unit.full_name}` : m.unit.full_name;
  else if (m.kind === 'split') place = `${viaLabel(ctx, m.old)} → ${m.units.map((u) => u.full_name).join(', ')}`;
  else if (m.kind === 'district') place = capitalise(m.district);
  return t(ctx, 'place.outside', { place, provinces });
}

/**
 * The citizen's place is settled. In a flow's place question the flow goes on; in another
 * question of a running flow that question comes back; with `flow` that flow starts and will
 * not ask for the place again; otherwise the bot says the place and shows the menu.
 */
export function choosePlace(ctx: StepContext, code: string, via: OldPlace | string | undefined, inFlow: boolean, flow?: string, hint?: string): void {
  const unit = ctx.content.places.byCode(code);
  if (!unit) return;
  const old = typeof via === 'string' ? decodeVia(via) : via;
  rememberPlace(ctx, unit, old, flow);
  const note = placeNote(ctx, unit, old);
  if (flow) {
    say(ctx, note);
    startFlow(ctx, flow, hint);
    return;
  }
  const pos = ctx.session.flow;
  const node = pos && !pos.done ? ctx.content.flows.get(pos.id)?.nodes[pos.node] : undefined;
  if (inFlow && node?.kind === 'ask_place') {
    say(ctx, note);
    advance(ctx, node.next, unit.full_name);
    return;
  }
  say(ctx, note);
  if (!repeatCurrent(ctx)) showMenu(ctx, false);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
