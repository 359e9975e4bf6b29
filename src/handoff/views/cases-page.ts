import type { CaseSummary } from '../../store/cases';
import { formatDuration, formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout, type ViewContext } from './layout';

export function statusBadge(ctx: ViewContext, c: Pick<CaseSummary, 'status' | 'claimedBy'>): SafeHtml {
  return html`<span class="badge ${c.status}">${ctx.t(`staff.status.${c.status}`, { user: c.claimedBy ?? '' })}</span>`;
}

/** The live part of the list (re-fetched by console.js when a case event arrives). */
export function casesFragment(ctx: ViewContext, waiting: readonly CaseSummary[], closed: readonly CaseSummary[]): SafeHtml {
  const t = ctx.t;
  const none = t('staff.cases.none');
  const rows = waiting.map(
    (c) => html`<tr data-case="${c.id}">
  <td>${formatTime(ctx, c.openedAt)}</td>
  <td>${t(`staff.channel.${c.channel}`)}</td>
  <td>${c.place?.name ?? none}</td>
  <td>${c.flow?.title ?? none}</td>
  <td>${t(`staff.reason.${c.reason}`)}</td>
  <td>${c.waitingSince !== undefined ? formatDuration(ctx, ctx.now - c.waitingSince) : t('staff.cases.answered')}</td>
  <td>${statusBadge(ctx, c)}</td>
  <td><a href="/staff/cases/${c.id}">${t('staff.cases.view')}</a></td>
</tr>`,
  );
  const table =
    waiting.length === 0
      ? html`<p class="panel">${t('staff.cases.empty')}</p>`
      : html`<table><thead><tr><th>${t('staff.cases.opened')}</th><th>${t('staff.cases.channel')}</th><th>${t('staff.cases.place')}</th><th>${t('staff.cases.topic')}</th><th>${t('staff.cases.reason')}</th><th>${t('staff.cases.waiting')}</th><th>${t('staff.cases.status')}</th><th><span class="visually-hidden">${t('staff.cases.view')}</span></th></tr></thead><tbody>${rows}</tbody></table>`;
  const closedList =
    closed.length === 0
      ? ''
      : html`<h2>${t('staff.cases.recent_closed')}</h2><table><thead><tr><th>${t('staff.cases.closed_at')}</th><th>${t('staff.cases.channel')}</th><th>${t('staff.cases.place')}</th><th>${t('staff.cases.topic')}</th><th><span class="visually-hidden">${t('staff.cases.view')}</span></th></tr></thead><tbody>${closed.map(
          (c) => html`<tr><td>${formatTime(ctx, c.closedAt ?? c.updatedAt)}</td><td>${t(`staff.channel.${c.channel}`)}</td><td>${c.place?.name ?? none}</td><td>${c.flow?.title ?? none}</td><td><a href="/staff/cases/${c.id}">${t('staff.cases.view')}</a></td></tr>`,
        )}</tbody></table>`;
  return html`<div id="cases-live" data-count="${waiting.length}">${table}${closedList}</div>`;
}

export function casesPage(ctx: ViewContext, waiting: readonly CaseSummary[], closed: readonly CaseSummary[]): string {
  const body = html`<h1>${ctx.t('staff.cases.heading')} (<span id="open-count">${waiting.length}</span>)</h1>${casesFragment(ctx, waiting, closed)}`;
  return layout(ctx, { title: ctx.t('staff.cases.heading'), name: 'cases', body });
}
