/**
 * The staff console under /staff: the waiting cases, one case (transcript, answers, reply,
 * claim, close), live updates over SSE, and the editors' insights with CSV export. Pages are
 * rendered on the server with escaped output; /staff/console.js only swaps in fragments.
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
import type { Case, CaseStore } from '../store/cases';
import type { ActionResult, CaseActions } from './case-actions';
import type { CaseEvents } from './case-events';
import { computeInsights, CSV_REPORTS, insightsCsv, type CsvReport } from './insights';
import { localDay } from './local-time';
import { createStaffAuth, staffOf, type StaffAuthDeps } from './staff-auth';
import type { StaffSessions } from './staff-sessions';
import { casePage, caseFragment } from './views/case-page';
import { casesFragment, casesPage } from './views/cases-page';
import { INSIGHT_PERIODS, insightsPage } from './views/insights-page';
import type { ViewContext } from './views/layout';
import { messagePage } from './views/login-page';

export interface StaffConsoleDeps {
  cases: CaseStore;
  actions: CaseActions;
  events: CaseEvents;
  analytics: AnalyticsStore;
  sessions: StaffSessions;
  usersFile: string;
  secret: string;
  secure: boolean;
  content: () => Content;
  locale: Locale;
  timezone: string;
  now: () => number;
  logger: Logger;
  loginLimit?: StaffAuthDeps['loginLimit'];
  counters?: StaffAuthDeps['counters'];
}

const CASE_ID = /^c-[0-9a-f]{20}$/;
/** Closed cases shown under the waiting ones. */
const RECENT_CLOSED = 20;
/** SSE comment lines keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
const CONSOLE_JS = readFileSync(path.join(import.meta.dirname, '../handoff/public/console.js'), 'utf8');

export function createStaffConsole(deps: StaffConsoleDeps): Router {
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
      ...(staff ? { user: staff.user } : {}),
    };
  };
  const auth = createStaffAuth({ sessions: deps.sessions, usersFile: deps.usersFile, secret: deps.secret, secure: deps.secure, view, logger: deps.logger, now: deps.now, ...(deps.loginLimit ? { loginLimit: deps.loginLimit } : {}), ...(deps.counters ? { counters: deps.counters } : {}) });
  const { requirePage, requireApi, csrf } = auth;

  const lists = async () => {
    const all = await deps.cases.list();
    return { waiting: all.filter((c) => c.status !== 'closed'), closed: all.filter((c) => c.status === 'closed').sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0)).slice(0, RECENT_CLOSED) };
  };
  const loadCase = async (req: Request): Promise<Case | undefined> => {
    const id = String(req.params.id ?? '');
    return CASE_ID.test(id) ? deps.cases.get(id) : undefined;
  };
  const notFound = (req: Request, res: Response) => {
    const ctx = view(req, res);
    res.status(404).type('html').send(messagePage(ctx, ctx.t('staff.not_found'), ctx.t('staff.not_found')));
  };
  /** After a form post: back to the case, or the case with the reason it was refused. */
  const answer = (req: Request, res: Response, result: ActionResult) => {
    if (result.ok) return res.redirect(303, `/staff/cases/${result.case.id}`);
    if (result.error === 'not_found') return notFound(req, res);
    const ctx = view(req, res);
    const notice = result.error === 'claimed' ? ctx.t('staff.case.claimed_by_other', { user: result.by }) : ctx.t('staff.case.closed_already');
    res.status(409).type('html').send(casePage(ctx, result.case, notice));
  };

  const router = Router();
  router.use('/staff', ...auth.load);
  router.use(auth.routes);

  router.get('/staff', requirePage, async (req, res) => {
    const { waiting, closed } = await lists();
    res.type('html').send(casesPage(view(req, res), waiting, closed));
  });
  router.get('/staff/fragments/cases', requireApi, async (req, res) => {
    const { waiting, closed } = await lists();
    res.type('html').send(casesFragment(view(req, res), waiting, closed).value);
  });
  router.get('/staff/cases/:id', requirePage, async (req, res) => {
    const c = await loadCase(req);
    if (!c) return notFound(req, res);
    res.type('html').send(casePage(view(req, res), c));
  });
  router.get('/staff/cases/:id/fragment', requireApi, async (req, res) => {
    const c = await loadCase(req);
    if (!c) return res.status(404).type('text/plain').send('no such case');
    res.type('html').send(caseFragment(view(req, res), c).value);
  });

  router.post('/staff/cases/:id/claim', requirePage, csrf, async (req, res) => {
    answer(req, res, await deps.actions.claim(String(req.params.id), staffOf(res)!.user, { takeover: req.body?.takeover === '1' }));
  });
  router.post('/staff/cases/:id/reply', requirePage, csrf, async (req, res) => {
    const text = typeof req.body?.text === 'string' ? req.body.text.trim() : '';
    if (!text) {
      const c = await loadCase(req);
      if (!c) return notFound(req, res);
      const ctx = view(req, res);
      return res.status(400).type('html').send(casePage(ctx, c, ctx.t('staff.case.reply_empty')));
    }
    answer(req, res, await deps.actions.reply(String(req.params.id), staffOf(res)!.user, text));
  });
  router.post('/staff/cases/:id/close', requirePage, csrf, async (req, res) => {
    answer(req, res, await deps.actions.close(String(req.params.id), staffOf(res)!.user, { takeover: req.body?.takeover === '1' }));
  });

  router.get('/staff/events', requireApi, (req, res) => {
    const staff = staffOf(res)!;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 3000\n\n');
    // The stream ends with the session, so a logged-out console stops receiving events.
    const alive = () => {
      if (deps.now() < staff.expiresAt) return true;
      res.end();
      return false;
    };
    const unsubscribe = deps.events.subscribe((e) => {
      if (alive()) res.write(`event: case\ndata: ${JSON.stringify(e)}\n\n`);
    });
    const heartbeat = setInterval(() => {
      if (alive()) res.write(': ping\n\n');
    }, HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
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
    const node = nodeId ? flow.nodes[nodeId] : undefined;
    const question = node && 'ask' in node && node.ask && typeof node.ask === 'object' ? node.ask.vi : nodeId;
    return { flow: flow.title.vi, ...(question ? { node: question } : {}) };
  };

  router.get('/staff/insights', requirePage, async (req, res) => {
    const days = periodOf(req);
    const { data, until } = await insightsFor(days);
    res.type('html').send(insightsPage(view(req, res), data, { days, until, describe }));
  });
  router.get('/staff/insights.csv', requireApi, async (req, res) => {
    const report = String(req.query.report ?? 'unmatched') as CsvReport;
    if (!CSV_REPORTS.includes(report)) return res.status(400).type('text/plain').send(`report must be one of ${CSV_REPORTS.join(', ')}`);
    const days = periodOf(req);
    const { data, until } = await insightsFor(days);
    res.set('Content-Disposition', `attachment; filename="thutuc-${report}-${until}-${days}d.csv"`);
    // A byte-order mark so spreadsheet programs read the Vietnamese text as UTF-8.
    res.type('text/csv; charset=utf-8').send('\uFEFF' + insightsCsv(data, report, describe, (at) => new Date(at).toISOString()));
  });

  // Anything else under /staff: the login page for strangers, "not found" for staff.
  router.use('/staff', requirePage, (req, res) => notFound(req, res));
  router.use('/staff', auth.errors);
  return router;
}
