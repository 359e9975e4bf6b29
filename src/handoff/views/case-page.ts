import type { CannedReply } from '../../store/canned-replies';
import { OA_APP_STAFF, type Case, type CaseMessage, type CaseNote } from '../../store/cases';
import type { ZaloWindow } from '../zalo-window';
import { staffName, statusBadge } from './cases-page';
import { formatDuration, formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout, type ViewContext } from './layout';

function who(ctx: ViewContext, m: CaseMessage): string {
  if (m.from === 'staff') return m.by === OA_APP_STAFF ? ctx.t('staff.case.who_oa_app') : ctx.t('staff.case.who_staff', { user: m.by ?? '' });
  return ctx.t(`staff.case.who_${m.from}`);
}

/** Extra facts the case page shows, computed by the console. */
export interface CaseView {
  officeName: (queue: string) => string;
  queue: string;
  /** Canned replies of the case's office, already filled from the case. */
  canned: ReadonlyArray<Pick<CannedReply, 'id' | 'title'>>;
  /** Text to put in the reply box (a chosen canned reply). */
  draft?: string;
  /** Zalo OA only: whether a reply now is free, billed or impossible. */
  zaloWindow?: ZaloWindow;
  canTransfer: boolean;
  /** Supervisors and admins: give the case to a named colleague. */
  canAssign?: boolean;
}

function systemText(ctx: ViewContext, m: CaseMessage, view?: Pick<CaseView, 'officeName'>): string {
  if (m.text.startsWith('takeover:')) return ctx.t('staff.case.takeover_line', { user: m.by ?? '', from: staffName(ctx, m.text.slice('takeover:'.length)) });
  const transfer = /^transfer:([^>]*)>(.*)$/.exec(m.text);
  if (m.text.startsWith('assign:')) return ctx.t('staff.case.assign_line', { user: m.by ?? '', to: m.text.slice('assign:'.length) });
  if (transfer) return ctx.t('staff.case.transfer_line', { user: m.by ?? '', from: view?.officeName(transfer[1]!) ?? transfer[1], to: view?.officeName(transfer[2]!) ?? transfer[2] });
  return m.text;
}

function messageList(ctx: ViewContext, list: readonly CaseMessage[], view?: Pick<CaseView, 'officeName'>): SafeHtml {
  if (list.length === 0) return html`<p class="hint">${ctx.t('staff.case.no_messages')}</p>`;
  return html`<ol class="msgs">${list.map((m) => html`<li class="${m.from}"><span class="meta">${who(ctx, m)} · ${formatTime(ctx, m.at)}</span>${m.from === 'system' ? systemText(ctx, m, view) : m.text}</li>`)}</ol>`;
}

function noteList(ctx: ViewContext, notes: readonly CaseNote[]): SafeHtml {
  if (notes.length === 0) return html`<p class="hint">${ctx.t('staff.case.no_notes')}</p>`;
  return html`<ol class="msgs notes">${notes.map((n) => html`<li><span class="meta">${n.by} · ${formatTime(ctx, n.at)}</span>${n.text}</li>`)}</ol>`;
}

function closedLine(ctx: ViewContext, c: Case): string {
  if (!c.closedBy) return ctx.t('staff.case.closed_already');
  if (c.closedBy.kind === 'citizen') return ctx.t('staff.case.closed_by_citizen');
  if (c.closedBy.kind === 'retention') return ctx.t('staff.case.closed_by_retention');
  return c.closedBy.user === OA_APP_STAFF ? ctx.t('staff.case.closed_oa_app_quiet') : ctx.t('staff.case.closed_by_staff', { user: c.closedBy.user ?? '' });
}

function ratingLine(ctx: ViewContext, c: Case): SafeHtml | string {
  if (c.rating) return html`<p id="case-rating"><strong>${ctx.t('staff.case.rating', { score: c.rating.score })}</strong>${c.rating.comment ? html` — ${c.rating.comment}` : ''}</p>`;
  if (c.ratingAskedAt !== undefined) return html`<p class="hint" id="case-rating">${ctx.t('staff.case.rating_asked')}</p>`;
  return '';
}

/** Status, conversation, notes and rating: the part console.js re-fetches when this case changes. */
export function caseFragment(ctx: ViewContext, c: Case, view?: Pick<CaseView, 'officeName'>): SafeHtml {
  const t = ctx.t;
  return html`<div id="case-live" data-status="${c.status}" data-claimed-by="${c.claimedBy ?? ''}">
  <p>${statusBadge(ctx, c)} ${c.waitingSince !== undefined && c.status !== 'closed' ? html`<span class="hint">${t('staff.cases.waiting')}: ${formatDuration(ctx, ctx.now - c.waitingSince)}</span>` : ''}
  ${c.status === 'closed' ? html`<span class="hint">${closedLine(ctx, c)}</span>` : ''}</p>
  ${ratingLine(ctx, c)}
  <section class="panel"><h2>${t('staff.case.conversation')}</h2>${messageList(ctx, c.messages, view)}</section>
  <section class="panel" id="notes"><h2>${t('staff.case.notes')}</h2><p class="hint">${t('staff.case.notes_hint')}</p>${noteList(ctx, c.notes ?? [])}</section>
</div>`;
}

export function casePage(ctx: ViewContext, c: Case, notice?: string, view?: CaseView): string {
  const t = ctx.t;
  const unknown = t('staff.case.unknown');
  const hidden = html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
  const mine = c.status === 'claimed' && c.claimedBy === ctx.user;
  const byOther = c.status === 'claimed' && c.claimedBy !== ctx.user;
  const windowBadge = view?.zaloWindow ? html`<p id="zalo-window"><span class="badge ${view.zaloWindow === 'impossible' ? 'closed-window' : view.zaloWindow}">${t(`staff.case.zalo_${view.zaloWindow}`)}</span></p>` : '';
  const canned =
    view && view.canned.length > 0
      ? html`<p class="hint">${t('staff.case.canned_pick')}</p><ul class="canned">${view.canned.map((r) => html`<li><a href="/staff/cases/${c.id}?canned=${r.id}#reply">${r.title}</a></li>`)}</ul>`
      : html`<p class="hint">${t('staff.case.canned_none')}</p>`;
  const actions =
    c.status === 'closed'
      ? ''
      : html`<section class="panel">
  ${byOther ? html`<p class="notice">${t('staff.case.claimed_by_other', { user: staffName(ctx, c.claimedBy) })}</p>` : ''}
  <div class="actions">
    ${c.status === 'open' ? html`<form method="post" action="/staff/cases/${c.id}/claim" class="inline">${hidden}<button type="submit" class="secondary">${t('staff.case.claim')}</button></form>` : ''}
    ${byOther ? html`<form method="post" action="/staff/cases/${c.id}/claim" class="inline">${hidden}<input type="hidden" name="takeover" value="1"><button type="submit" class="secondary">${t('staff.case.takeover')}</button></form>` : ''}
  </div>
  ${windowBadge}
  ${canned}
  <form method="post" action="/staff/cases/${c.id}/reply" id="reply-form">
    ${hidden}
    <label for="reply"><strong>${t('staff.case.reply_label')}</strong></label>
    <p class="hint">${t('staff.case.reply_hint')}</p>
    <textarea id="reply" name="text" maxlength="4000" required>${view?.draft ?? ''}</textarea>
    ${view?.zaloWindow === 'billed' ? html`<p><label><input type="checkbox" name="billed_ok" value="1" required> ${t('staff.case.zalo_billed_confirm')}</label></p>` : ''}
    <div class="actions"><button type="submit" ${view?.zaloWindow === 'impossible' ? html`disabled` : ''}>${t('staff.case.reply_send')}</button></div>
  </form>
  ${mine || c.status === 'open' ? html`<form method="post" action="/staff/cases/${c.id}/close" class="actions">${hidden}<button type="submit" class="secondary">${t('staff.case.close')}</button></form>` : ''}
</section>`;
  const tools =
    c.status === 'closed'
      ? ''
      : html`<section class="panel">
  <form method="post" action="/staff/cases/${c.id}/note" id="note-form">${hidden}
    <label for="note"><strong>${t('staff.case.note_label')}</strong></label>
    <textarea id="note" name="text" maxlength="2000" required></textarea>
    <div class="actions"><button type="submit" class="secondary">${t('staff.case.note_add')}</button></div>
  </form>
  ${view?.canTransfer ? html`<form method="post" action="/staff/cases/${c.id}/transfer" id="transfer-form">${hidden}
    <label for="queue"><strong>${t('staff.case.transfer_label')}</strong></label>
    <p class="hint">${t('staff.case.transfer_hint')}</p>
    <input type="text" id="queue" name="queue" maxlength="20" required placeholder="province / 14758">
    <div class="actions"><button type="submit" class="secondary">${t('staff.case.transfer')}</button></div>
  </form>` : ''}
  ${view?.canAssign ? html`<form method="post" action="/staff/cases/${c.id}/assign" id="assign-form">${hidden}
    <label for="assign-user"><strong>${t('staff.case.assign_label')}</strong></label>
    <input type="text" id="assign-user" name="user" maxlength="32" required>
    <div class="actions"><button type="submit" class="secondary">${t('staff.case.assign')}</button></div>
  </form>` : ''}
</section>`;
  const body = html`<p><a href="/staff">${t('staff.case.back')}</a></p>
<h1>${t('staff.case.heading', { id: c.id })}</h1>
${notice ? html`<p class="notice" role="alert">${notice}</p>` : ''}
${c.anonymisedAt ? html`<p class="hint">${t('staff.case.anonymised')}</p>` : ''}
<section class="panel"><dl class="facts">
  <dt>${t('staff.cases.channel')}</dt><dd>${t(`staff.channel.${c.channel}`)}</dd>
  <dt>${t('staff.cases.office')}</dt><dd id="case-office">${view ? view.officeName(view.queue) : unknown}</dd>
  <dt>${t('staff.cases.place')}</dt><dd>${c.place?.name ?? unknown}</dd>
  <dt>${t('staff.cases.topic')}</dt><dd>${c.flow?.title ?? unknown}</dd>
  <dt>${t('staff.cases.reason')}</dt><dd>${t(`staff.reason.${c.reason}`)}</dd>
  <dt>${t('staff.cases.opened')}</dt><dd>${formatTime(ctx, c.openedAt)}</dd>
</dl></section>
<section class="panel"><h2>${t('staff.case.answers')}</h2>${
    c.answers.length === 0 ? html`<p class="hint">${t('staff.case.no_answers')}</p>` : html`<dl class="facts">${c.answers.map((a) => html`<dt>${a.question}</dt><dd>${a.answer}</dd>`)}</dl>`
  }</section>
<section class="panel"><h2>${t('staff.case.before')}</h2>${messageList(ctx, c.transcript, view)}</section>
${caseFragment(ctx, c, view)}
${actions}
${tools}`;
  return layout(ctx, { title: t('staff.case.heading', { id: c.id }), name: 'case', caseId: c.id, body });
}
