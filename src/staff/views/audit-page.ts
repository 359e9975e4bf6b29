/** The audit log for supervisors: newest first, with CSV export. */
import type { AuditEntry } from '../../store/audit';
import { formatTime } from '../../handoff/views/format';
import { html } from '../../handoff/views/html';
import { layout, type ViewContext } from '../../handoff/views/layout';

export const AUDIT_PAGE_ROWS = 500;

export function auditPage(ctx: ViewContext, entries: readonly AuditEntry[], opts: { days: number; until: string }): string {
  const t = ctx.t;
  const shown = entries.slice(-AUDIT_PAGE_ROWS).reverse();
  const body = html`<h1>${t('staff.audit.heading')}</h1>
<p class="hint">${t('staff.audit.period', { days: opts.days, until: opts.until, count: entries.length })}</p>
<p><a href="/staff/audit.csv?days=${opts.days}">${t('staff.audit.csv')}</a></p>
${
  shown.length === 0
    ? html`<p class="panel">${t('staff.audit.empty')}</p>`
    : html`<table id="audit"><thead><tr><th>${t('staff.audit.at')}</th><th>${t('staff.audit.by')}</th><th>${t('staff.audit.action')}</th><th>${t('staff.audit.case')}</th><th>${t('staff.audit.detail')}</th></tr></thead><tbody>${shown.map(
        (e) => html`<tr data-action="${e.action}"><td>${formatTime(ctx, e.at)}</td><td>${e.by}</td><td>${t(`staff.audit.actions.${e.action}`)}</td><td>${e.caseId ? html`<a href="/staff/cases/${e.caseId}">${e.caseId}</a>` : ''}</td><td>${e.detail ?? ''}</td></tr>`,
      )}</tbody></table>`
}`;
  return layout(ctx, { title: t('staff.audit.heading'), name: 'audit', body });
}
