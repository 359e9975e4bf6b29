/**
 * Staff authentication for /staff: login (rate limited) and logout, the session cookie, CSRF
 * protection, and the guards every other /staff route uses.
 *
 * - Session cookie: signed with the session secret, HttpOnly, SameSite=Lax, Secure (and the
 *   `__Host-` prefix) when PUBLIC_URL is https. The id maps to a session in the store.
 * - CSRF: csrf-csrf's signed double-submit token, bound to the staff session (or, before login,
 *   to a random pre-session cookie, so the login form is protected too). Every POST needs it.
 * - Guards: `requirePage` redirects to the login page, `requireApi` answers 401 (SSE, fragments,
 *   CSV, script). Both run before the CSRF check, so a request without a session never learns
 *   anything else.
 */
import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from '../server/logger';
import type { StaffSessions } from './staff-sessions';
import type { CounterStore } from '../store/store';
import { counterRateLimitStore } from './login-limit-store';
import { authenticate, userExists } from './staff-users';
import { loginPage, messagePage } from './views/login-page';
import type { ViewContext } from './views/layout';

export interface StaffAuthDeps {
  sessions: StaffSessions;
  usersFile: string;
  secret: string;
  /** PUBLIC_URL is https: cookies get Secure and the __Host- prefix. */
  secure: boolean;
  /** Builds the view context for a response (strings, tokens). */
  view: (req: Request, res: Response) => ViewContext;
  logger: Logger;
  now: () => number;
  /** Failed logins allowed per client address per window. */
  loginLimit?: { windowMs: number; limit: number };
  /** Where failed logins are counted: the store's shared counters (all instances); default this process's memory. */
  counters?: CounterStore;
}

export interface StaffUser {
  user: string;
  sessionId: string;
  expiresAt: number;
}

/** The logged-in staff member of this request (set by `auth.load`). */
export function staffOf(res: Response): StaffUser | undefined {
  return res.locals.staff as StaffUser | undefined;
}

export interface StaffAuth {
  /** Mount first on /staff: security headers, cookies, session lookup. */
  load: RequestHandler[];
  routes: Router;
  requirePage: RequestHandler;
  requireApi: RequestHandler;
  csrf: RequestHandler;
  csrfToken(req: Request, res: Response): string;
  /** Renders CSRF refusals as a 403 page; mount last on /staff. */
  errors: ErrorRequestHandler;
}

export const DEFAULT_LOGIN_LIMIT = { windowMs: 15 * 60_000, limit: 10 };

export function createStaffAuth(deps: StaffAuthDeps): StaffAuth {
  const prefix = deps.secure ? '__Host-' : '';
  const names = { session: `${prefix}thutuc-staff`, csrf: `${prefix}thutuc-csrf`, pre: `${prefix}thutuc-pre` };
  const cookieBase = { httpOnly: true, secure: deps.secure, path: '/', signed: true } as const;
  // The identifier each request's CSRF token is bound to: the session id, or the pre-session id.
  const bound = new WeakMap<Request, string>();

  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => deps.secret,
    getSessionIdentifier: (req) => bound.get(req) ?? '',
    cookieName: names.csrf,
    cookieOptions: { sameSite: 'strict', secure: deps.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : req.headers['x-csrf-token']),
  });

  const load: RequestHandler = async (req, res, next) => {
    try {
      const id = req.signedCookies?.[names.session];
      const session = typeof id === 'string' ? await deps.sessions.get(id) : undefined;
      // A user removed from the users file loses access at once, not when the session ends.
      if (session && (await userExists(deps.usersFile, session.user))) {
        res.locals.staff = { user: session.user, sessionId: session.id, expiresAt: session.expiresAt } satisfies StaffUser;
        bound.set(req, `s:${session.id}`);
      } else {
        const pre = req.signedCookies?.[names.pre];
        if (typeof pre === 'string' && pre) bound.set(req, `p:${pre}`);
      }
      next();
    } catch (e) {
      next(e);
    }
  };

  const headers: RequestHandler = (_req, res, next) => {
    const nonce = randomBytes(16).toString('base64');
    res.locals.nonce = nonce;
    res.set({
      'Content-Security-Policy': `default-src 'none'; script-src 'self'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    next();
  };

  const requirePage: RequestHandler = (req, res, next) => {
    if (staffOf(res)) return next();
    const target = req.method === 'GET' && req.originalUrl.startsWith('/staff') && !req.originalUrl.startsWith('//') ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
    res.redirect(303, `/staff/login${target}`);
  };
  const requireApi: RequestHandler = (_req, res, next) => {
    if (staffOf(res)) return next();
    res.status(401).type('text/plain').send('login required');
  };

  /** A token for the forms of this response; makes a pre-session first when logged out. */
  function csrfToken(req: Request, res: Response): string {
    if (!bound.has(req)) {
      const pre = randomBytes(18).toString('base64url');
      res.cookie(names.pre, pre, { ...cookieBase, sameSite: 'strict' });
      bound.set(req, `p:${pre}`);
    }
    return generateCsrfToken(req, res);
  }

  const limit = deps.loginLimit ?? DEFAULT_LOGIN_LIMIT;
  const loginLimiter = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    // Only wrong passwords count: a refused CSRF token tested no password.
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    ...(deps.counters ? { store: counterRateLimitStore(deps.counters, limit.windowMs, deps.now) } : {}),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      deps.logger.warn({ path: req.path }, 'staff login rate limited');
      const ctx = deps.view(req, res);
      res.status(429).type('html').send(loginPage(ctx, { error: ctx.t('staff.login.limited', { minutes: Math.ceil(limit.windowMs / 60_000) }) }));
    },
  });

  const safeNext = (value: unknown) => (typeof value === 'string' && /^\/staff(?:[/?#]|$)/.test(value) && !value.startsWith('/staff/login') ? value : '/staff');

  const routes = Router();
  routes.get('/staff/login', (req, res) => {
    if (staffOf(res)) return res.redirect(303, safeNext(req.query.next));
    res.type('html').send(loginPage(deps.view(req, res)));
  });
  routes.post('/staff/login', loginLimiter, doubleCsrfProtection, async (req, res, next) => {
    try {
      const username = typeof req.body?.username === 'string' ? req.body.username.slice(0, 64) : '';
      const password = typeof req.body?.password === 'string' ? req.body.password.slice(0, 1024) : '';
      const user = username && password ? await authenticate(deps.usersFile, username, password) : undefined;
      if (!user) {
        deps.logger.info('staff login failed');
        const ctx = deps.view(req, res);
        return res.status(401).type('html').send(loginPage(ctx, { error: ctx.t('staff.login.failed'), username }));
      }
      const old = staffOf(res);
      if (old) await deps.sessions.remove(old.sessionId);
      const session = await deps.sessions.create(user);
      res.cookie(names.session, session.id, { ...cookieBase, sameSite: 'lax', maxAge: session.expiresAt - deps.now() });
      res.clearCookie(names.pre, { ...cookieBase, sameSite: 'strict' });
      deps.logger.info({ user }, 'staff logged in');
      res.redirect(303, safeNext(req.query.next));
    } catch (e) {
      next(e);
    }
  });
  routes.post('/staff/logout', requirePage, doubleCsrfProtection, async (_req, res, next) => {
    try {
      const staff = staffOf(res)!;
      await deps.sessions.remove(staff.sessionId);
      res.clearCookie(names.session, { ...cookieBase, sameSite: 'lax' });
      res.clearCookie(names.csrf, { httpOnly: true, secure: deps.secure, path: '/', sameSite: 'strict' });
      deps.logger.info({ user: staff.user }, 'staff logged out');
      res.redirect(303, '/staff/login');
    } catch (e) {
      next(e);
    }
  });

  const errors: ErrorRequestHandler = (err, req, res, next) => {
    if ((err as { code?: string })?.code !== 'EBADCSRFTOKEN') return next(err);
    deps.logger.info({ path: req.path }, 'staff request without a valid CSRF token');
    const ctx = deps.view(req, res);
    res.status(403).type('html').send(messagePage(ctx, ctx.t('staff.title'), ctx.t('staff.csrf')));
  };

  return { load: [headers, cookieParser(deps.secret), load], routes, requirePage, requireApi, csrf: doubleCsrfProtection, csrfToken, errors };
}
