/** Canned replies: everyone sees them; admins add, edit and delete them here. */
import type { CannedReply } from '../../store/canned-replies';
import { formatTime } from '../../handoff/views/format';
import { html } from '../../handoff/views/html';
import { layout, type ViewContext } from '../../handoff/views/layout';
import { PLACEHOLDERS } from '../canned';

export function cannedPage(ctx: ViewContext, replies: readonly CannedReply[], opts: { canEdit: boolean; officeName: (queue: string) => string; notice?: string }): string {
  const t = ctx.t;
  const hidden = html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
  const form = (r?: CannedReply) => html`<form method="post" action="/staff/canned" class="panel canned-form">${hidden}
  ${r ? html`<input type="hidden" name="id" value="${r.id}">` : ''}
  <label>${t('staff.canned.office')} <input type="text" name="office" value="${r?.office ?? '*'}" maxlength="20" required></label>
  <label>${t('staff.canned.title_label')} <input type="text" name="title" value="${r?.title ?? ''}" maxlength="80" required></label>
  <label>${t('staff.canned.text')} <textarea name="text" maxlength="2000" required>${r?.text ?? ''}</textarea></label>
  <div class="actions"><button type="submit">${r ? t('staff.canned.save') : t('staff.canned.add')}</button></div>
</form>`;
  const list =
    replies.length === 0
      ? html`<p class="panel">${t('staff.canned.empty')}</p>`
      : html`${replies.map(
          (r) => html`<section class="panel" data-canned="${r.id}"><h2>${r.title}</h2><p class="hint">${opts.officeName(r.office)} · ${r.updatedBy} · ${formatTime(ctx, r.updatedAt)}</p><p>${r.text}</p>
  ${opts.canEdit ? html`<details><summary>${t('staff.canned.edit')}</summary>${form(r)}<form method="post" action="/staff/canned/${r.id}/delete">${hidden}<button type="submit" class="secondary">${t('staff.canned.delete')}</button></form></details>` : ''}</section>`,
        )}`;
  const body = html`<h1>${t('staff.canned.heading')}</h1>
${opts.notice ? html`<p class="notice" role="alert">${opts.notice}</p>` : ''}
<p class="hint">${t('staff.canned.placeholders', { list: PLACEHOLDERS.map((p) => `{${p}}`).join(', ') })}</p>
<p class="hint">${t('staff.canned.office_hint')}</p>
${opts.canEdit ? html`<h2>${t('staff.canned.new')}</h2>${form()}` : html`<p class="hint">${t('staff.canned.admins_only')}</p>`}
${list}`;
  return layout(ctx, { title: t('staff.canned.heading'), name: 'canned', body });
}
