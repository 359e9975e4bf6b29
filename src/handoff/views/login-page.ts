import { html } from './html';
import { layout, type ViewContext } from './layout';

export function loginPage(ctx: ViewContext, opts: { error?: string; username?: string } = {}): string {
  const t = ctx.t;
  const body = html`<section class="login panel">
  <h1>${t('staff.login.title')}</h1>
  <p class="hint">${t('staff.login.intro')}</p>
  ${opts.error ? html`<p class="notice" role="alert">${opts.error}</p>` : ''}
  <form method="post" action="/staff/login">
    <input type="hidden" name="_csrf" value="${ctx.csrf}">
    <label for="username">${t('staff.login.username')}</label>
    <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" required value="${opts.username ?? ''}">
    <label for="password">${t('staff.login.password')}</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
    <div class="actions"><button type="submit">${t('staff.login.submit')}</button></div>
  </form>
</section>`;
  return layout(ctx, { title: t('staff.login.title'), name: 'login', body });
}

/** A short page for refusals (bad CSRF token, unknown case). */
export function messagePage(ctx: ViewContext, title: string, message: string): string {
  return layout(ctx, { title, name: 'message', body: html`<h1>${title}</h1><p class="notice" role="alert">${message}</p><p><a href="/staff">${ctx.t('staff.case.back')}</a></p>` });
}
