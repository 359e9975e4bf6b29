/**
 * The page frame of the staff console. Styles are inline with a per-response CSP nonce; the only
 * script is /staff/console.js (live updates), so the CSP allows no inline script at all.
 */
import { html, SafeHtml } from './html';

/** What every view needs: the console's strings, the time zone, and the request's tokens. */
export interface ViewContext {
  t: (key: string, params?: Record<string, unknown>) => string;
  locale: string;
  timezone: string;
  now: number;
  nonce: string;
  csrf: string;
  user?: string;
  /** The account's role: which links the menu shows. */
  role?: 'officer' | 'supervisor' | 'admin';
}

const CSS = `
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d8dde3;--bg:#f5f7f9;--accent:#0b5cad;--warn:#9a3b00;--ok:#1d6b32}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header.top{display:flex;flex-wrap:wrap;gap:12px;align-items:center;justify-content:space-between;padding:10px 20px;background:#fff;border-bottom:1px solid var(--line)}
header.top strong{font-size:16px}nav a{margin-right:16px;color:var(--accent);text-decoration:none;font-weight:600}nav a[aria-current]{text-decoration:underline}
.who{color:var(--muted);margin-right:8px}main{max-width:1100px;margin:0 auto;padding:20px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:24px 0 8px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line)}th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f4;font-weight:600}td.num,th.num{text-align:right}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;background:#e7eef7}.badge.open{background:#fde8d7;color:var(--warn)}.badge.claimed{background:#e2f1e6;color:var(--ok)}
.panel{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px;margin-bottom:16px}.panel h2{margin-top:4px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
ol.msgs{list-style:none;padding:0;margin:0}ol.msgs li{padding:6px 10px;margin:6px 0;border-radius:6px;background:#f0f3f6;white-space:pre-wrap;overflow-wrap:anywhere}
ol.msgs li.user{background:#e8f0fb}ol.msgs li.staff{background:#e4f4e8}ol.msgs li.system{background:#fff7e0}ol.msgs .meta{display:block;font-size:12px;color:var(--muted)}
form.inline{display:inline}button{font:inherit;padding:6px 14px;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}textarea,input[type=text],input[type=password],select{font:inherit;padding:6px 8px;border:1px solid var(--line);border-radius:4px;width:100%}
textarea{min-height:90px}.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}.notice{padding:10px 14px;border-radius:6px;background:#fde8d7;color:var(--warn);margin-bottom:12px}
.hint{color:var(--muted);font-size:13px}.live{font-size:13px;color:var(--muted)}.login{max-width:360px;margin:60px auto}.login label{display:block;margin-top:10px}
tr.overdue td{background:#fff1e6}.badge.overdue{background:#b3261e;color:#fff}.alerts p{margin:0 0 8px;padding:10px 14px;border-radius:6px;background:#fff3cd;border:1px solid #e0b400;font-weight:600}
form.search{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:8px 12px}form.search label{display:block;font-size:13px;color:var(--muted)}
.badge.free{background:#e2f1e6;color:var(--ok)}.badge.billed{background:#fff3cd;color:#7a5a00}.badge.closed-window{background:#b3261e;color:#fff}
ol.notes li{background:#fffbe6;border-left:3px solid #e0b400}ul.canned{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:6px}ul.canned a{display:inline-block;padding:3px 10px;border:1px solid var(--line);border-radius:12px;background:#fff;text-decoration:none;color:var(--accent)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

const STYLE = new SafeHtml(CSS);

export function layout(ctx: ViewContext, page: { title: string; name: string; caseId?: string; body: SafeHtml }): string {
  const nav = ctx.user
    ? html`<nav aria-label="${ctx.t('staff.brand')}">
          <a href="/staff" ${page.name === 'cases' ? html`aria-current="page"` : ''}>${ctx.t('staff.nav_cases')}</a>
          <a href="/staff/insights" ${page.name === 'insights' ? html`aria-current="page"` : ''}>${ctx.t('staff.nav_insights')}</a>
          <a href="/staff/canned" ${page.name === 'canned' ? html`aria-current="page"` : ''}>${ctx.t('staff.nav_canned')}</a>
          ${ctx.role && ctx.role !== 'officer' ? html`<a href="/staff/audit" ${page.name === 'audit' ? html`aria-current="page"` : ''}>${ctx.t('staff.nav_audit')}</a>` : ''}
        </nav>
        <form method="post" action="/staff/logout" class="inline">
          <input type="hidden" name="_csrf" value="${ctx.csrf}">
          <span class="who">${ctx.t('staff.signed_in_as', { user: ctx.user })}</span>
          <span class="live" id="live" role="status" aria-live="polite" data-on="${ctx.t('staff.live_on')}" data-off="${ctx.t('staff.live_off')}"></span>
          <button type="submit" class="secondary">${ctx.t('staff.logout')}</button>
        </form>`
    : '';
  return html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title data-base="${page.title} · ${ctx.t('staff.brand')}">${page.title} · ${ctx.t('staff.brand')}</title>
<style nonce="${ctx.nonce}">${STYLE}</style>
${ctx.user ? html`<script src="/staff/console.js" defer></script>` : ''}
</head>
<body data-page="${page.name}" data-case-id="${page.caseId ?? ''}">
<header class="top"><strong>${ctx.t('staff.brand')}</strong>${nav}</header>
<main>${page.body}</main>
</body>
</html>`.value;
}
