import { CHANNEL_NAMES } from '../../store/store';
import type { CaseInsights } from '../case-insights';
import type { Insights } from '../insights';
import { formatDuration, formatTime } from './format';
import { html, type SafeHtml } from './html';
import { layout, type ViewContext } from './layout';

export const INSIGHT_PERIODS = [7, 30, 90] as const;

/**
 * The line an editor pastes into eval/phrases.yaml for a missed question. `expect: "?"` is
 * deliberately invalid: the bank refuses the line until the editor writes the right answer.
 */
export function bankLine(example: string, day: string): string {
  return `- { q: ${JSON.stringify(example)}, expect: "?", kind: flow, source: insights ${day} }`;
}

export function insightsPage(ctx: ViewContext, data: Insights, opts: { days: number; until: string; describe: (flow: string, node?: string) => { flow: string; node?: string }; staff?: { data: CaseInsights; officeName: (queue: string) => string } }): string {
  const t = ctx.t;
  const empty = html`<p class="hint">${t('staff.insights.empty')}</p>`;
  const csv = (report: string) => html`<a href="/staff/insights.csv?report=${report}&amp;days=${opts.days}">${t('staff.insights.csv')}</a>`;
  const flowTitle = (id: string) => opts.describe(id).flow;

  const unmatched =
    data.unmatched.length === 0
      ? empty
      : html`<p class="hint">${t('staff.insights.bank_note')}</p><table><thead><tr><th>${t('staff.insights.query')}</th><th>${t('staff.insights.example')}</th><th class="num">${t('staff.insights.count')}</th><th>${t('staff.insights.last_seen')}</th><th>${t('staff.insights.bank_line')}</th></tr></thead><tbody>${data.unmatched.map(
          (u) => html`<tr><td>${u.query}</td><td>${u.example}</td><td class="num">${u.count}</td><td>${formatTime(ctx, u.lastSeen)}</td><td><code>${bankLine(u.example, opts.until)}</code></td></tr>`,
        )}</tbody></table>`;

  const flows =
    data.flows.length === 0
      ? empty
      : html`<table><thead><tr><th>${t('staff.insights.flow')}</th><th class="num">${t('staff.insights.started')}</th><th class="num">${t('staff.insights.completed')}</th><th class="num">${t('staff.insights.abandoned')}</th></tr></thead><tbody>${data.flows.map(
          (f) => html`<tr><td>${flowTitle(f.flow)}</td><td class="num">${f.started}</td><td class="num">${f.completed}</td><td class="num">${f.abandoned}</td></tr>`,
        )}</tbody></table>
        ${data.abandon.length === 0 ? '' : html`<h3>${t('staff.insights.node')}</h3><table><thead><tr><th>${t('staff.insights.flow')}</th><th>${t('staff.insights.node')}</th><th class="num">${t('staff.insights.abandoned')}</th></tr></thead><tbody>${data.abandon.map((a) => {
          const d = opts.describe(a.flow, a.node);
          return html`<tr><td>${d.flow}</td><td>${d.node ?? a.node} <span class="hint">(${a.node})</span></td><td class="num">${a.count}</td></tr>`;
        })}</tbody></table>`}`;

  const handoff = html`<table><thead><tr><th>${t('staff.cases.reason')}</th><th class="num">${t('staff.insights.count')}</th></tr></thead><tbody>${(['asked', 'flow', 'misses'] as const).map(
    (r) => html`<tr><td>${t(`staff.reason.${r}`)}</td><td class="num">${data.handoff[r]}</td></tr>`,
  )}</tbody></table>`;

  const messages =
    data.messages.length === 0
      ? empty
      : html`<table><thead><tr><th>${t('staff.insights.day')}</th>${CHANNEL_NAMES.map((c) => html`<th class="num">${t(`staff.channel.${c}`)}</th>`)}<th class="num">${t('staff.insights.total')}</th></tr></thead><tbody>${data.messages.map(
          (m) => html`<tr><td>${m.day}</td>${CHANNEL_NAMES.map((c) => html`<td class="num">${m.counts[c]}</td>`)}<td class="num">${m.total}</td></tr>`,
        )}</tbody></table>`;

  const body = html`<h1>${t('staff.insights.heading')}</h1>
<form method="get" action="/staff/insights" class="actions">
  <label for="days">${t('staff.insights.days_label')}</label>
  <select id="days" name="days">${INSIGHT_PERIODS.map((d) => html`<option value="${d}" ${d === opts.days ? html`selected` : ''}>${t('staff.insights.days_option', { n: d })}</option>`)}</select>
  <button type="submit" class="secondary">${t('staff.insights.show')}</button>
</form>
<p class="hint">${t('staff.insights.period', { days: opts.days, until: opts.until })} ${t('staff.insights.masked_note')}</p>
<h2>${t('staff.insights.unmatched')}</h2><p>${csv('unmatched')}</p>${unmatched}
<h2>${t('staff.insights.abandon')}</h2><p class="hint">${t('staff.insights.abandon_note')}</p><p>${csv('abandon')}</p>${flows}
<h2>${t('staff.insights.handoff')}</h2><p>${csv('handoff')}</p>${handoff}
<h2>${t('staff.insights.messages')}</h2><p>${csv('messages')}</p>${messages}
${opts.staff ? staffSection(ctx, opts.staff.data, opts.staff.officeName, opts.days) : ''}`;
  return layout(ctx, { title: t('staff.insights.heading'), name: 'insights', body });
}

function staffSection(ctx: ViewContext, data: CaseInsights, officeName: (queue: string) => string, days: number): SafeHtml {
  const t = ctx.t;
  const dur = (ms?: number) => (ms === undefined ? t('staff.cases.none') : formatDuration(ctx, ms));
  const sat =
    data.satisfaction.length === 0
      ? html`<p class="hint">${t('staff.insights.empty')}</p>`
      : html`<table id="satisfaction"><thead><tr><th>${t('staff.insights.office')}</th><th>${t('staff.insights.week')}</th><th class="num">${t('staff.insights.closed')}</th><th class="num">${t('staff.insights.rated')}</th><th class="num">${t('staff.insights.mean')}</th></tr></thead><tbody>${data.satisfaction.map(
          (r) => html`<tr><td>${officeName(r.office)}</td><td>${r.week}</td><td class="num">${r.closed}</td><td class="num">${r.rated}</td><td class="num">${r.rated ? r.mean.toFixed(2) : t('staff.cases.none')}</td></tr>`,
        )}</tbody></table>`;
  return html`<h2>${t('staff.insights.staff_heading')}</h2><p><a href="/staff/insights.csv?report=staff&amp;days=${days}">${t('staff.insights.csv')}</a></p>
<table id="response-times"><thead><tr><th></th><th class="num">${t('staff.insights.count')}</th><th class="num">${t('staff.insights.median')}</th><th class="num">${t('staff.insights.p90')}</th></tr></thead><tbody>
<tr><td>${t('staff.insights.first_reply')}</td><td class="num">${data.firstReply.count}</td><td class="num">${dur(data.firstReply.medianMs)}</td><td class="num">${dur(data.firstReply.p90Ms)}</td></tr>
<tr><td>${t('staff.insights.time_to_close')}</td><td class="num">${data.close.count}</td><td class="num">${dur(data.close.medianMs)}</td><td class="num">${dur(data.close.p90Ms)}</td></tr>
</tbody></table>
<h3>${t('staff.insights.satisfaction')}</h3>${sat}`;
}
