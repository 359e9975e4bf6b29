import type { Case, CaseMessage } from '../../store/cases';
import { statusBadge } from './cases-page';
import { formatDuration, formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout, type ViewContext } from './layout';

function who(ctx: ViewContext, m: CaseMessage): string {
  if (m.from === 'staff') return ctx.t('staff.case.who_staff', { user: m.by ?? '' });
  return ctx.t(`staff.case.who_${m.from}`);
}

function messageList(ctx: ViewContext, list: readonly CaseMessage[]): SafeHtml {
  if (list.length === 0) return html`<p class="hint">${ctx.t('staff.case.no_messages')}</p>`;
  return html`<ol class="msgs">${list.map((m) => {
    const text = m.from === 'system' && m.text.startsWith('takeover:') ? ctx.t('staff.case.takeover_line', { user: m.by ?? '', from: m.text.slice('takeover:'.length) }) : m.text;
    return html`<li class="${m.from}"><span class="meta">${who(ctx, m)} · ${formatTime(ctx, m.at)}</span>${text}</li>`;
  })}</ol>`;
}

function closedLine(ctx: ViewContext, c: Case): string {
  if (!c.closedBy) return ctx.t('staff.case.closed_already');
  if (c.closedBy.kind === 'citizen') return ctx.t('staff.case.closed_by_citizen');
  if (c.closedBy.kind === 'retention') return ctx.t('staff.case.closed_by_retention');
  return ctx.t('staff.case.closed_by_staff', { user: c.closedBy.user ?? '' });
}

/** Status and conversation: the part console.js re-fetches when this case changes. */
export function caseFragment(ctx: ViewContext, c: Case): SafeHtml {
  const t = ctx.t;
  return html`<div id="case-live" data-status="${c.status}" data-claimed-by="${c.claimedBy ?? ''}">
  <p>${statusBadge(ctx, c)} ${c.waitingSince !== undefined && c.status !== 'closed' ? html`<span class="hint">${t('staff.cases.waiting')}: ${formatDuration(ctx, ctx.now - c.waitingSince)}</span>` : ''}
  ${c.status === 'closed' ? html`<span class="hint">${closedLine(ctx, c)}</span>` : ''}</p>
  <section class="panel"><h2>${t('staff.case.conversation')}</h2>${messageList(ctx, c.messages)}</section>
</div>`;
}

export function casePage(ctx: ViewContext, c: Case, notice?: string): string {
  const t = ctx.t;
  const unknown = t('staff.case.unknown');
  const hidden = html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
  const mine = c.status === 'claimed' && c.claimedBy === ctx.user;
  const byOther = c.status === 'claimed' && c.claimedBy !== ctx.user;
  const actions =
    c.status === 'closed'
      ? ''
      : html`<section class="panel">
  ${byOther ? html`<p class="notice">${t('staff.case.claimed_by_other', { user: c.claimedBy ?? '' })}</p>` : ''}
  <div class="actions">
    ${c.status === 'open' ? html`<form method="post" action="/staff/cases/${c.id}/claim" class="inline">${hidden}<button type="submit" class="secondary">${t('staff.case.claim')}</button></form>` : ''}
    ${byOther ? html`<form method="post" action="/staff/cases/${c.id}/claim" class="inline">${hidden}<input type="hidden" name="takeover" value="1"><button type="submit" class="secondary">${t('staff.case.takeover')}</button></form>` : ''}
  </div>
  <form method="post" action="/staff/cases/${c.id}/reply" id="reply-form">
    ${hidden}
    <label for="reply"><strong>${t('staff.case.reply_label')}</strong></label>
    <p class="hint">${t('staff.case.reply_hint')}</p>
    <textarea id="reply" name="text" maxlength="4000" required></textarea>
    <div class="actions"><button type="submit">${t('staff.case.reply_send')}</button></div>
  </form>
  ${mine || c.status === 'open' ? html`<form method="post" action="/staff/cases/${c.id}/close" class="actions">${hidden}<button type="submit" class="secondary">${t('staff.case.close')}</button></form>` : ''}
</section>`;
  const body = html`<p><a href="/staff">${t('staff.case.back')}</a></p>
<h1>${t('staff.case.heading', { id: c.id })}</h1>
${notice ? html`<p class="notice" role="alert">${notice}</p>` : ''}
${c.anonymisedAt ? html`<p class="hint">${t('staff.case.anonymised')}</p>` : ''}
<section class="panel"><dl class="facts">
  <dt>${t('staff.cases.channel')}</dt><dd>${t(`staff.channel.${c.channel}`)}</dd>
  <dt>${t('staff.cases.place')}</dt><dd>${c.place?.name ?? unknown}</dd>
  <dt>${t('staff.cases.topic')}</dt><dd>${c.flow?.title ?? unknown}</dd>
  <dt>${t('staff.cases.reason')}</dt><dd>${t(`staff.reason.${c.reason}`)}</dd>
  <dt>${t('staff.cases.opened')}</dt><dd>${formatTime(ctx, c.openedAt)}</dd>
</dl></section>
<section class="panel"><h2>${t('staff.case.answers')}</h2>${
    c.answers.length === 0 ? html`<p class="hint">${t('staff.case.no_answers')}</p>` : html`<dl class="facts">${c.answers.map((a) => html`<dt>${a.question}</dt><dd>${a.answer}</dd>`)}</dl>`
  }</section>
<section class="panel"><h2>${t('staff.case.before')}</h2>${messageList(ctx, c.transcript)}</section>
${caseFragment(ctx, c)}
${actions}`;
  return layout(ctx, { title: t('staff.case.heading', { id: c.id }), name: 'case', caseId: c.id, body });
}
