/**
 * The staff console under /staff: the case list (scoped to the account's offices, paginated,
 * searchable), one case (transcript, answers, reply with canned replies, private notes, claim,
 * transfer, close), live updates over SSE, canned replies (edited by admins), the audit log
 * (supervisors) and the insights with CSV export. Pages are rendered on the server with escaped
 * output; /staff/console.js only swaps in fragments and rows.
 *
 * Every route but the login page needs a session: pages and form posts redirect to the login
 * page, the event stream, fragments, script and CSV answer 401. Every POST needs a CSRF token.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import type { Content, Locale } from '../engine/types';
import type { Logger } from '../server/logger';
import type { AnalyticsStore } from '../store/analytics';
import type { AuditAction, AuditLog } from '../store/audit';
import type { StaffAccountStore } from '../store/staff-accounts';
import { ALL_OFFICES, type CannedReplies } from '../store/canned-replies';
import { PROVINCE_QUEUE, queueOf, type Case, type CaseStore } from '../store/cases';
import { canEditCanned, canReadAudit, canReassign, canSee, formatScope, type StaffAccount } from '../staff/access';
import { fillCanned } from '../staff/canned';
import { auditPage } from '../staff/views/audit-page';
import { cannedPage } from '../staff/views/canned-page';
import { caseInsightsCsv, computeCaseInsights } from './case-insights';
import { parseCaseQuery, queryCases } from './case-query';
import { csvRows } from './csv';
import { questionOf } from './handoff-handler';
import { zaloWindow } from './zalo-window';
import type { ActionResult, CaseActions } from './case-actions';
import type { CaseEvents } from './case-events';
import { computeInsights, CSV_REPORTS, insightsCsv, type CsvReport } from './insights';
import { localDay } from './local-time';
import { createStaffAuth, staffOf, type StaffAuthDeps } from './staff-auth';
import type { StaffSessions } from './staff-sessions';
import { staffAccount } from './staff-users';
import { casePage, caseFragment } from './views/case-page';
import { caseRow, casesFragment, casesPage, countsLine } from './views/cases-page';
import { INSIGHT_PERIODS, insightsPage } from './views/insights-page';
import type { ViewContext } from './views/layout';
import { messagePage } from './views/login-page';

export interface StaffConsoleDeps {
  cases: CaseStore;
  actions: CaseActions;
  events: CaseEvents;
  analytics: AnalyticsStore;
  sessions: StaffSessions;
  accounts: StaffAccountStore;
  secret: string;
  secure: boolean;
  content: () => Content;
  locale: Locale;
  timezone: string;
  now: () => number;
  logger: Logger;
  loginLimit?: StaffAuthDeps['loginLimit'];
  /** Between re-checks of an idle event stream (tests shorten it). */
  heartbeatMs?: number;
  audit: AuditLog;
  canned: CannedReplies;
  /** CASE_SLA_MINUTES in ms. */
  slaMs: number;
  counters?: StaffAuthDeps['counters'];
}

const CASE_ID = /^c-[0-9a-f]{20}$/;
const CANNED_ID = /^r-[0-9a-z]{6,20}$/;
/** SSE comment lines keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** Event streams one session may hold open (tabs of the console). */
export const STREAMS_PER_SESSION = 5;
const CONSOLE_JS = readFileSync(path.join(import.meta.dirname, '../handoff/public/console.js'), 'utf8');

export function createStaffConsole(deps: StaffConsoleDeps): Router {
  /** Open event streams per session id, so logout ends them at once. */
  const streams = new Map<string, Set<() => void>>();
  const view = (req: Request, res: Response): ViewContext => {
    const staff = staffOf(res);
    const t = deps.content().t;
    return {
      t: (key, params) => t(deps.locale, key, params),
      locale: deps.locale,
      timezone: deps.timezone,
      now: deps.now(),
      nonce: String(res.locals.nonce ?? ''),
      csrf: auth.csrfToken(req, res),
      ...(staff ? { user: staff.user, role: staff.role } : {}),
    };
  };
  const audit = (action: AuditAction, by: string, extra: { caseId?: string; detail?: string } = {}) => {
    const at = deps.now();
    return deps.audit.append({ at, day: localDay(at, deps.timezone), by, action, ...extra });
  };
  /** "Xã Nga An", "Cấp tỉnh" — a queue as staff read it. */
  const officeName = (queue: string) => {
    if (queue === PROVINCE_QUEUE) return deps.content().t(deps.locale, 'staff.office.province');
    if (queue === ALL_OFFICES) return deps.content().t(deps.locale, 'staff.office.all');
    const unit = deps.content().places.byCode(queue);
    return unit ? unit.full_name : queue;
  };
  const scopeLine = (a: StaffAccount) => {
    const t = deps.content().t;
    const where = a.scope.kind === 'communes' ? a.scope.codes.map(officeName).join(', ') : t(deps.locale, `staff.scope.${a.scope.kind}`);
    return t(deps.locale, 'staff.scope.line', { role: t(deps.locale, `staff.role.${a.role}`), where });
  };
  const accountOf = (res: Response): StaffAccount => {
    const s = staffOf(res)!;
    return { user: s.user, role: s.role, scope: s.scope };
  };
  const auth = createStaffAuth({ sessions: deps.sessions, accounts: deps.accounts, secret: deps.secret, secure: deps.secure, view, logger: deps.logger, now: deps.now, audit: (action, by) => audit(action, by), onSessionEnd: (id) => [...(streams.get(id) ?? [])].forEach((end) => end()), ...(deps.loginLimit ? { loginLimit: deps.loginLimit } : {}), ...(deps.counters ? { counters: deps.counters } : {}) });
  const { requirePage, requireApi, csrf } = auth;

  const listFor = async (req: Request, res: Response) => {
    const query = parseCaseQuery(req.query as Record<string, unknown>);
    const page = queryCases(await deps.cases.list(), query, { account: accountOf(res), timezone: deps.timezone, now: deps.now(), slaMs: deps.slaMs });
    return { query, page };
  };
  const listOptions = { slaMs: deps.slaMs, officeName };
  /** The case when the account may see it; a case out of scope is "not found" (its existence is not told). */
  const loadCase = async (req: Request, res: Response): Promise<Case | undefined> => {
    const id = String(req.params.id ?? '');
    const c = CASE_ID.test(id) ? await deps.cases.get(id) : undefined;
    return c && canSee(accountOf(res), queueOf(c)) ? c : undefined;
  };
  /** Zalo OA only: whether a reply now is free, billed or impossible (from the case's last citizen line). */
  const windowOf = (c: Case) => {
    const lastCitizen = [...c.messages, ...c.transcript].filter((m) => m.from === 'user').reduce((max, m) => Math.max(max, m.at), 0);
    return c.channel === 'zalo-oa' && lastCitizen > 0 ? zaloWindow(lastCitizen, deps.now()) : undefined;
  };
  const caseView = async (c: Case, res: Response, draft?: string) => {
    const queue = queueOf(c);
    const window = windowOf(c);
    return {
      officeName,
      queue,
      canned: await deps.canned.list(queue),
      ...(draft !== undefined ? { draft } : {}),
      ...(window ? { zaloWindow: window } : {}),
      canTransfer: canReassign(accountOf(res)) || c.status === 'open' || c.claimedBy === staffOf(res)!.user,
      canAssign: canReassign(accountOf(res)),
    };
  };
  const renderCase = async (req: Request, res: Response, c: Case, notice?: string, draft?: string) => casePage(view(req, res), c, notice, await caseView(c, res, draft));
  const notFound = (req: Request, res: Response) => {
    const ctx = view(req, res);
    res.status(404).type('html').send(messagePage(ctx, ctx.t('staff.not_found'), ctx.t('staff.not_found')));
  };
  /** After a form post: back to the case, or the case with the reason it was refused. */
  const answer = async (req: Request, res: Response, result: ActionResult) => {
    if (result.ok) return res.redirect(303, `/staff/cases/${result.case.id}`);
    if (result.error === 'not_found' || result.error === 'scope') return notFound(req, res);
    const ctx = view(req, res);
    const notice = result.error === 'claimed' ? ctx.t('staff.case.claimed_by_other', { user: result.by }) : ctx.t('staff.case.closed_already');
    res.status(409).type('html').send(await renderCase(req, res, result.case, notice));
  };

  const router = Router();
  router.use('/staff', ...auth.load);
  router.use(auth.routes);

  const flowsList = () => [...deps.content().flows.values()].map((f) => ({ id: f.id, title: f.title.vi })).sort((a, b) => a.title.localeCompare(b.title, 'vi'));
  router.get('/staff', requirePage, async (req, res) => {
    const { query, page } = await listFor(req, res);
    res.type('html').send(casesPage(view(req, res), page, query, { ...listOptions, flows: flowsList(), scopeLine: scopeLine(accountOf(res)) }));
  });
  router.get('/staff/fragments/cases', requireApi, async (req, res) => {
    const { query, page } = await listFor(req, res);
    res.type('html').send(casesFragment(view(req, res), page, query, listOptions).value);
  });
  // Just the counts line (and, in data attributes, the waiting count for the tab title).
  router.get('/staff/fragments/counts', requireApi, async (req, res) => {
    const { page } = await listFor(req, res);
    res.type('html').send(countsLine(view(req, res), page.counts).value);
  });
  // One row, for console.js after an event about this case: 204 when the account may not see it.
  router.get('/staff/fragments/cases/:id/row', requireApi, async (req, res) => {
    const c = await loadCase(req, res);
    if (!c) return res.status(204).end();
    const summary = (await deps.cases.list()).find((s) => s.id === c.id);
    if (!summary) return res.status(204).end();
    res.type('html').send(caseRow(view(req, res), summary, listOptions).value);
  });
  router.get('/staff/cases/:id', requirePage, async (req, res) => {
    const c = await loadCase(req, res);
    if (!c) return notFound(req, res);
    const cannedId = typeof req.query.canned === 'string' && CANNED_ID.test(req.query.canned) ? req.query.canned : undefined;
    const chosen = cannedId ? (await deps.canned.list(queueOf(c))).find((r) => r.id === cannedId) : undefined;
    res.type('html').send(await renderCase(req, res, c, undefined, chosen ? fillCanned(chosen.text, c, staffOf(res)!.user) : undefined));
  });
  router.get('/staff/cases/:id/fragment', requireApi, async (req, res) => {
    const c = await loadCase(req, res);
    if (!c) return res.status(404).type('text/plain').send('no such case');
    res.type('html').send(caseFragment(view(req, res), c, { officeName }).value);
  });

  router.post('/staff/cases/:id/claim', requirePage, csrf, async (req, res) => {
    await answer(req, res, await deps.actions.claim(String(req.params.id), accountOf(res), { takeover: req.body?.takeover === '1' }));
  });
  const textField = async (req: Request, res: Response, emptyKey: string): Promise<string | undefined> => {
    const text = typeof req.body?.text === 'string' ? req.body.text.trim() : '';
    if (text) return text;
    const c = await loadCase(req, res);
    if (!c) {
      notFound(req, res);
      return undefined;
    }
    res.status(400).type('html').send(await renderCase(req, res, c, view(req, res).t(emptyKey)));
    return undefined;
  };
  router.post('/staff/cases/:id/reply', requirePage, csrf, async (req, res) => {
    const text = await textField(req, res, 'staff.case.reply_empty');
    if (text === undefined) return;
    // Zalo OA 2026 rules: past 7 days a CS message is refused, from 48 h it is billed to the OA.
    // Checked here as well as in the page, so no reply is queued that Zalo would refuse or bill unasked.
    const c = await loadCase(req, res);
    const window = c ? windowOf(c) : undefined;
    if (c && window === 'impossible') return res.status(409).type('html').send(await renderCase(req, res, c, view(req, res).t('staff.case.zalo_impossible'), text));
    if (c && window === 'billed' && req.body?.billed_ok !== '1') return res.status(400).type('html').send(await renderCase(req, res, c, view(req, res).t('staff.case.zalo_billed_unconfirmed'), text));
    await answer(req, res, await deps.actions.reply(String(req.params.id), accountOf(res), text));
  });
  router.post('/staff/cases/:id/note', requirePage, csrf, async (req, res) => {
    const text = await textField(req, res, 'staff.case.note_empty');
    if (text !== undefined) await answer(req, res, await deps.actions.note(String(req.params.id), accountOf(res), text));
  });
  router.post('/staff/cases/:id/transfer', requirePage, csrf, async (req, res) => {
    const raw = typeof req.body?.queue === 'string' ? req.body.queue.trim().toLowerCase() : '';
    const queue = raw === PROVINCE_QUEUE || raw === 'tinh' || raw === 'tỉnh' ? PROVINCE_QUEUE : raw;
    if (queue !== PROVINCE_QUEUE && !deps.content().places.byCode(queue)) {
      const c = await loadCase(req, res);
      if (!c) return notFound(req, res);
      return res.status(400).type('html').send(await renderCase(req, res, c, view(req, res).t('staff.case.transfer_unknown', { queue: raw })));
    }
    await answer(req, res, await deps.actions.transfer(String(req.params.id), accountOf(res), queue));
  });
  router.post('/staff/cases/:id/assign', requirePage, csrf, async (req, res) => {
    const name = typeof req.body?.user === 'string' ? req.body.user.trim().toLowerCase().slice(0, 64) : '';
    const to = name ? await staffAccount(deps.accounts, name) : undefined;
    const c = await loadCase(req, res);
    if (!c) return notFound(req, res);
    if (!to || !canSee(to, queueOf(c))) return res.status(400).type('html').send(await renderCase(req, res, c, view(req, res).t('staff.case.assign_unknown', { user: name })));
    await answer(req, res, await deps.actions.assign(c.id, accountOf(res), to));
  });
  router.post('/staff/cases/:id/close', requirePage, csrf, async (req, res) => {
    await answer(req, res, await deps.actions.close(String(req.params.id), accountOf(res), { takeover: req.body?.takeover === '1' }));
  });

  router.get('/staff/canned', requirePage, async (req, res) => {
    const account = accountOf(res);
    const all = await deps.canned.list();
    // Officers see the replies of their offices; supervisors and admins every one.
    const replies = account.role === 'officer' ? all.filter((r) => r.office === ALL_OFFICES || canSee(account, r.office)) : all;
    res.type('html').send(cannedPage(view(req, res), replies, { canEdit: canEditCanned(account), officeName }));
  });
  router.post('/staff/canned', requirePage, csrf, async (req, res) => {
    const account = accountOf(res);
    if (!canEditCanned(account)) return res.status(403).type('html').send(messagePage(view(req, res), view(req, res).t('staff.canned.heading'), view(req, res).t('staff.canned.admins_only')));
    const field = (k: string, max: number) => (typeof req.body?.[k] === 'string' ? req.body[k].trim().slice(0, max) : '');
    const office = field('office', 20).toLowerCase() || ALL_OFFICES;
    const id = field('id', 30);
    const [title, text] = [field('title', 80), field('text', 2000)];
    const known = office === ALL_OFFICES || office === PROVINCE_QUEUE || deps.content().places.byCode(office) !== undefined;
    if (!title || !text || !known || (id && !CANNED_ID.test(id))) {
      const ctx = view(req, res);
      return res.status(400).type('html').send(cannedPage(ctx, await deps.canned.list(), { canEdit: true, officeName, notice: ctx.t('staff.canned.invalid') }));
    }
    const saved = await deps.canned.save({ ...(id ? { id } : {}), office, title, text, updatedAt: deps.now(), updatedBy: account.user });
    await audit('canned_save', account.user, { detail: `${saved.id} ${office}` });
    res.redirect(303, '/staff/canned');
  });
  router.post('/staff/canned/:id/delete', requirePage, csrf, async (req, res) => {
    const account = accountOf(res);
    const id = String(req.params.id);
    if (!canEditCanned(account) || !CANNED_ID.test(id)) return notFound(req, res);
    if (await deps.canned.remove(id)) await audit('canned_remove', account.user, { detail: id });
    res.redirect(303, '/staff/canned');
  });

  const auditFor = async (days: number) => {
    const now = deps.now();
    const from = localDay(now - (days - 1) * 86_400_000, deps.timezone);
    return { entries: await deps.audit.read((await deps.audit.days()).filter((d) => d >= from)), until: localDay(now, deps.timezone) };
  };
  router.get('/staff/audit', requirePage, async (req, res) => {
    const account = accountOf(res);
    if (!canReadAudit(account)) return notFound(req, res);
    const days = periodOf(req);
    const { entries, until } = await auditFor(days);
    await audit('audit_view', account.user, { detail: `${days}d` });
    res.type('html').send(auditPage(view(req, res), entries, { days, until }));
  });
  router.get('/staff/audit.csv', requireApi, async (req, res) => {
    const account = accountOf(res);
    if (!canReadAudit(account)) return res.status(403).type('text/plain').send('supervisors only');
    const days = periodOf(req);
    const { entries, until } = await auditFor(days);
    await audit('export', account.user, { detail: `audit ${days}d` });
    res.set('Content-Disposition', `attachment; filename="thutuc-audit-${until}-${days}d.csv"`);
    const rows = [['at', 'by', 'action', 'case', 'detail'], ...entries.map((e) => [new Date(e.at).toISOString(), e.by, e.action, e.caseId ?? '', e.detail ?? ''])];
    res.type('text/csv; charset=utf-8').send('\uFEFF' + csvRows(rows));
  });

  router.get('/staff/events', requireApi, (req, res) => {
    const staff = staffOf(res)!;
    const open = streams.get(staff.sessionId) ?? new Set<() => void>();
    // A console tab holds one stream; more than a handful for one session is a leak or abuse.
    if (open.size >= STREAMS_PER_SESSION) return res.status(429).type('text/plain').send('too many open consoles for this session');
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 3000\n\n');
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(end);
      if (open.size === 0) streams.delete(staff.sessionId);
      res.end();
    };
    open.add(end);
    streams.set(staff.sessionId, open);
    // The stream lives only as long as the session and the account: re-checked before every write,
    // in order, so nothing reaches a console after logout, expiry or the user's removal.
    let chain = Promise.resolve();
    const send = (chunk: string, queues: string[] = []) => {
      chain = chain.then(async () => {
        if (ended) return;
        const account = deps.now() < staff.expiresAt && (await deps.sessions.get(staff.sessionId)) !== undefined ? await staffAccount(deps.accounts, staff.user) : undefined;
        if (!account) return end();
        // Each console hears only about the cases of its offices (scope re-read: changes apply at once).
        if (queues.length > 0 && !queues.some((q) => canSee(account, q))) return;
        if (!ended) res.write(chunk);
      }).catch(() => end());
    };
    const unsubscribe = deps.events.subscribe((e) => send(`event: case\ndata: ${JSON.stringify({ type: e.type, caseId: e.caseId, at: e.at })}\n\n`, [e.queue, e.from].filter((q): q is string => q !== undefined)));
    const heartbeat = setInterval(() => send(': ping\n\n'), deps.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', end);
  });

  router.get('/staff/console.js', requireApi, (_req, res) => {
    res.type('application/javascript').send(CONSOLE_JS);
  });

  const periodOf = (req: Request) => {
    const days = Number(req.query.days);
    return (INSIGHT_PERIODS as readonly number[]).includes(days) ? days : 30;
  };
  const insightsFor = async (days: number) => {
    const now = deps.now();
    const from = localDay(now - (days - 1) * 86_400_000, deps.timezone);
    const records = await deps.analytics.read((await deps.analytics.days()).filter((d) => d >= from));
    return { data: computeInsights(records, { now, idleMs: deps.content().settings.idle_minutes * 60_000 }), until: localDay(now, deps.timezone) };
  };
  const describe = (flowId: string, nodeId?: string) => {
    const flow = deps.content().flows.get(flowId);
    if (!flow) return { flow: flowId, ...(nodeId ? { node: nodeId } : {}) };
    const question = nodeId ? questionOf(flow, nodeId) : undefined;
    return { flow: flow.title.vi, ...(question ? { node: question } : {}) };
  };

  /** Satisfaction and response times over the cases the account may see. */
  const staffInsightsFor = async (days: number, res: Response) => {
    const account = accountOf(res);
    const cases = (await deps.cases.list()).filter((c) => canSee(account, c.queue));
    return computeCaseInsights(cases, { from: deps.now() - days * 86_400_000, timezone: deps.timezone });
  };
  router.get('/staff/insights', requirePage, async (req, res) => {
    const days = periodOf(req);
    const { data, until } = await insightsFor(days);
    res.type('html').send(insightsPage(view(req, res), data, { days, until, describe, staff: { data: await staffInsightsFor(days, res), officeName } }));
  });
  router.get('/staff/insights.csv', requireApi, async (req, res) => {
    const report = String(req.query.report ?? 'unmatched');
    if (report !== 'staff' && !(CSV_REPORTS as readonly string[]).includes(report)) return res.status(400).type('text/plain').send(`report must be one of ${[...CSV_REPORTS, 'staff'].join(', ')}`);
    const days = periodOf(req);
    await audit('export', staffOf(res)!.user, { detail: `insights ${report} ${days}d` });
    if (report === 'staff') {
      const until = localDay(deps.now(), deps.timezone);
      res.set('Content-Disposition', `attachment; filename="thutuc-staff-${until}-${days}d.csv"`);
      return res.type('text/csv; charset=utf-8').send('\uFEFF' + csvRows(caseInsightsCsv(await staffInsightsFor(days, res), officeName)));
    }
    const { data, until } = await insightsFor(days);
    res.set('Content-Disposition', `attachment; filename="thutuc-${report}-${until}-${days}d.csv"`);
    // A byte-order mark so spreadsheet programs read the Vietnamese text as UTF-8.
    res.type('text/csv; charset=utf-8').send('\uFEFF' + insightsCsv(data, report as CsvReport, describe, (at) => new Date(at).toISOString()));
  });

  // Anything else under /staff: the login page for strangers, "not found" for staff.
  router.use('/staff', requirePage, (req, res) => notFound(req, res));
  router.use('/staff', auth.errors);
  return router;
}
