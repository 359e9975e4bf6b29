import type { CaseCounts, CasePage, CaseQuery } from '../case-query';
import { CASE_STATES, isOverdue, queryString } from '../case-query';
import { OA_APP_STAFF, type CaseSummary } from '../../store/cases';
import { formatDuration, formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout, type ViewContext } from './layout';

/** A staff member as the views name them: the username, or words for staff answering in the Zalo OA app. */
export function staffName(ctx: ViewContext, user: string | undefined): string {
  return user === OA_APP_STAFF ? ctx.t('staff.case.oa_app_staff') : (user ?? '');
}

export function statusBadge(ctx: ViewContext, c: Pick<CaseSummary, 'status' | 'claimedBy'>): SafeHtml {
  return html`<span class="badge ${c.status}">${ctx.t(`staff.status.${c.status}`, { user: staffName(ctx, c.claimedBy) })}</span>`;
}

export interface ListOptions {
  slaMs: number;
  /** Office name of a queue (commune name, or "the province"). */
  officeName: (queue: string) => string;
}

/** One row of the list: console.js fetches just this when an event names the case. */
export function caseRow(ctx: ViewContext, c: CaseSummary, opts: ListOptions): SafeHtml {
  const t = ctx.t;
  const none = t('staff.cases.none');
  const overdue = isOverdue(c, ctx.now, opts.slaMs);
  return html`<tr data-case="${c.id}" data-status="${c.status}" class="${overdue ? 'overdue' : ''}">
  <td>${formatTime(ctx, c.openedAt)}</td>
  <td>${t(`staff.channel.${c.channel}`)}</td>
  <td>${opts.officeName(c.queue)}</td>
  <td>${c.place?.name ?? none}</td>
  <td>${c.flow?.title ?? none}</td>
  <td>${t(`staff.reason.${c.reason}`)}</td>
  <td>${c.status === 'closed' ? (c.rating ? t('staff.cases.rated', { score: c.rating.score }) : none) : c.waitingSince !== undefined ? html`${formatDuration(ctx, ctx.now - c.waitingSince)}${overdue ? html` <span class="badge overdue">${t('staff.cases.overdue')}</span>` : ''}` : t('staff.cases.answered')}</td>
  <td>${statusBadge(ctx, c)}</td>
  <td><a href="/staff/cases/${c.id}">${t('staff.cases.view')}</a></td>
</tr>`;
}

export function countsLine(ctx: ViewContext, counts: CaseCounts): SafeHtml {
  return html`<p class="hint" id="case-counts" data-waiting="${counts.open + counts.claimed}" data-open="${counts.open}" data-overdue="${counts.overdue}">${ctx.t('staff.cases.counts', { open: counts.open, claimed: counts.claimed, closed: counts.closed, overdue: counts.overdue })}</p>`;
}

/** The live part of the list: counts, one page of rows, page links. */
export function casesFragment(ctx: ViewContext, page: CasePage, query: CaseQuery, opts: ListOptions): SafeHtml {
  const t = ctx.t;
  const head = html`<thead><tr><th>${t('staff.cases.opened')}</th><th>${t('staff.cases.channel')}</th><th>${t('staff.cases.office')}</th><th>${t('staff.cases.place')}</th><th>${t('staff.cases.topic')}</th><th>${t('staff.cases.reason')}</th><th>${t('staff.cases.waiting')}</th><th>${t('staff.cases.status')}</th><th><span class="visually-hidden">${t('staff.cases.view')}</span></th></tr></thead>`;
  const table = page.rows.length === 0 ? html`<p class="panel" id="cases-empty">${t('staff.cases.empty')}</p><table hidden>${head}<tbody id="case-rows"></tbody></table>` : html`<table>${head}<tbody id="case-rows">${page.rows.map((c) => caseRow(ctx, c, opts))}</tbody></table>`;
  const pager =
    page.pages > 1
      ? html`<nav class="actions" aria-label="${t('staff.cases.pages')}">${page.page > 1 ? html`<a href="/staff${queryString(query, page.page - 1)}">${t('staff.cases.newer')}</a>` : ''}<span class="hint">${t('staff.cases.page_of', { page: page.page, pages: page.pages, total: page.total })}</span>${page.page < page.pages ? html`<a href="/staff${queryString(query, page.page + 1)}">${t('staff.cases.older')}</a>` : ''}</nav>`
      : html`<p class="hint">${t('staff.cases.total', { total: page.total })}</p>`;
  // console.js inserts new cases at the top only on the first page of the default view.
  const live = query.page === 1 && query.state === 'waiting' && !query.text && !query.commune && !query.flow && !query.from && !query.to;
  return html`<div id="cases-live" data-count="${page.counts.open + page.counts.claimed}" data-insert="${live ? '1' : ''}">${countsLine(ctx, page.counts)}${table}${pager}</div>`;
}

function searchForm(ctx: ViewContext, q: CaseQuery, flows: ReadonlyArray<{ id: string; title: string }>): SafeHtml {
  const t = ctx.t;
  return html`<form method="get" action="/staff" class="panel search" role="search">
  <label>${t('staff.search.text')} <input type="text" name="q" value="${q.text ?? ''}" maxlength="200"></label>
  <label>${t('staff.search.commune')} <input type="text" name="commune" value="${q.commune ?? ''}" maxlength="20" inputmode="numeric" placeholder="14758"></label>
  <label>${t('staff.search.procedure')} <select name="flow"><option value="">${t('staff.search.any')}</option>${flows.map((f) => html`<option value="${f.id}" ${q.flow === f.id ? html`selected` : ''}>${f.title}</option>`)}</select></label>
  <label>${t('staff.search.state')} <select name="state">${CASE_STATES.map((s) => html`<option value="${s}" ${q.state === s ? html`selected` : ''}>${t(`staff.search.state_${s}`)}</option>`)}</select></label>
  <label>${t('staff.search.from')} <input type="date" name="from" value="${q.from ?? ''}"></label>
  <label>${t('staff.search.to')} <input type="date" name="to" value="${q.to ?? ''}"></label>
  <div class="actions"><button type="submit">${t('staff.search.submit')}</button> <a href="/staff">${t('staff.search.reset')}</a></div>
</form>`;
}

export function casesPage(ctx: ViewContext, page: CasePage, query: CaseQuery, opts: ListOptions & { flows: ReadonlyArray<{ id: string; title: string }>; scopeLine: string }): string {
  const t = ctx.t;
  const body = html`<h1>${t('staff.cases.heading')} (<span id="open-count">${page.counts.open + page.counts.claimed}</span>)</h1>
<p class="hint">${opts.scopeLine}</p>
<div id="alerts" role="alert" aria-live="assertive" class="alerts" data-new="${t('staff.alert.new_case')}" data-overdue="${t('staff.alert.overdue')}"></div>
<p class="hint"><label><input type="checkbox" id="sound-toggle"> ${t('staff.alert.sound')}</label></p>
${searchForm(ctx, query, opts.flows)}
${casesFragment(ctx, page, query, opts)}`;
  return layout(ctx, { title: t('staff.cases.heading'), name: 'cases', body });
}
