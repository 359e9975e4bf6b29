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
import { createHash, randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Logger } from '../server/logger';
import type { StaffSessions } from './staff-sessions';
import type { StaffRole, StaffScope } from '../staff/access';
import type { StaffAccountStore } from '../store/staff-accounts';
import type { CounterStore } from '../store/store';
import { counterRateLimitStore } from './login-limit-store';
import { authenticate, staffAccount } from './staff-users';
import { loginPage, messagePage } from './views/login-page';
import type { ViewContext } from './views/layout';

export interface StaffAuthDeps {
  sessions: StaffSessions;
  /** The Store's staff accounts, read at every login and request. */
  accounts: StaffAccountStore;
  secret: string;
  /** PUBLIC_URL is https: cookies get Secure and the __Host- prefix. */
  secure: boolean;
  /** Builds the view context for a response (strings, tokens). */
  view: (req: Request, res: Response) => ViewContext;
  logger: Logger;
  now: () => number;
  /** Failed logins allowed per window: per address and username, per account, per address. */
  loginLimit?: LoginLimit;
  /** Records login, failed login (by username hash) and logout in the audit log. */
  audit?: (action: 'login' | 'login_failed' | 'logout', by: string) => Promise<void>;
  /** Called when a session ends (logout), so open event streams of it end too. */
  onSessionEnd?: (sessionId: string) => void;
  /** Where failed logins are counted: the store's shared counters (all instances); default this process's memory. */
  counters?: CounterStore;
}

export interface LoginLimit {
  windowMs: number;
  /** Wrong passwords per (address, username): one person's typos lock out only that pair. */
  limit: number;
  /** Wrong passwords per username from all addresses: caps a distributed guess at one account. */
  accountLimit?: number;
  /** Wrong passwords per address over all usernames: caps spraying many accounts from one address. */
  addressLimit?: number;
}

export interface StaffUser {
  user: string;
  role: StaffRole;
  scope: StaffScope;
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

export const DEFAULT_LOGIN_LIMIT = { windowMs: 15 * 60_000, limit: 10, accountLimit: 20, addressLimit: 50 } satisfies LoginLimit;

/** The username as typed, folded; capped so a huge field does not make huge keys. */
function loginName(req: Request): string {
  return typeof req.body?.username === 'string' ? req.body.username.slice(0, 64).trim().toLowerCase() : '';
}

/** A short hash of a username for the logs: an attack on one account is visible without naming it. */
export function usernameHash(name: string): string {
  return createHash('sha256').update(`thutuc-staff-user\n${name}`).digest('hex').slice(0, 12);
}

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
      // A removed account loses access at once, not when the session ends: its session is dropped here.
      const account = session ? await staffAccount(deps.accounts, session.user) : undefined;
      if (session && !account) {
        await deps.sessions.remove(session.id);
        deps.onSessionEnd?.(session.id);
      }
      if (session && account) {
        res.locals.staff = { user: session.user, role: account.role, scope: account.scope, sessionId: session.id, expiresAt: session.expiresAt } satisfies StaffUser;
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

  const limit = { ...DEFAULT_LOGIN_LIMIT, ...deps.loginLimit };
  // The client address as express sees it: behind a proxy this needs TRUST_PROXY (X-Forwarded-For).
  const address = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');
  const limiter = (name: string, max: number, key: (req: Request) => string): RateLimitRequestHandler =>
    rateLimit({
      windowMs: limit.windowMs,
      limit: max,
      keyGenerator: key,
      // Only wrong passwords count: a refused CSRF token tested no password.
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: name,
      // Each limiter its own keys in the shared counters.
      ...(deps.counters ? { store: counterRateLimitStore(deps.counters, limit.windowMs, deps.now, `login:${name}:`) } : {}),
      handler: (req, res) => {
        deps.logger.warn({ limiter: name, userHash: usernameHash(loginName(req)) }, 'staff login rate limited');
        const ctx = deps.view(req, res);
        res.status(429).type('html').send(loginPage(ctx, { error: ctx.t('staff.login.limited', { minutes: Math.ceil(limit.windowMs / 60_000) }) }));
      },
    });
  const loginLimiters = [
    limiter('address-user', limit.limit, (req) => `${address(req)}\n${loginName(req)}`),
    limiter('account', limit.accountLimit ?? DEFAULT_LOGIN_LIMIT.accountLimit, (req) => loginName(req)),
    limiter('address', limit.addressLimit ?? DEFAULT_LOGIN_LIMIT.addressLimit, (req) => address(req)),
  ];

  const safeNext = (value: unknown) => (typeof value === 'string' && /^\/staff(?:[/?#]|$)/.test(value) && !value.startsWith('/staff/login') ? value : '/staff');

  const routes = Router();
  routes.get('/staff/login', (req, res) => {
    if (staffOf(res)) return res.redirect(303, safeNext(req.query.next));
    res.type('html').send(loginPage(deps.view(req, res)));
  });
  routes.post('/staff/login', ...loginLimiters, doubleCsrfProtection, async (req, res, next) => {
    try {
      const username = typeof req.body?.username === 'string' ? req.body.username.slice(0, 64) : '';
      const password = typeof req.body?.password === 'string' ? req.body.password.slice(0, 1024) : '';
      const user = username && password ? await authenticate(deps.accounts, username, password) : undefined;
      if (!user) {
        const userHash = usernameHash(username.trim().toLowerCase());
        deps.logger.info({ userHash }, 'staff login failed');
        await deps.audit?.('login_failed', `#${userHash}`);
        const ctx = deps.view(req, res);
        return res.status(401).type('html').send(loginPage(ctx, { error: ctx.t('staff.login.failed'), username }));
      }
      const old = staffOf(res);
      if (old) await deps.sessions.remove(old.sessionId);
      const session = await deps.sessions.create(user);
      res.cookie(names.session, session.id, { ...cookieBase, sameSite: 'lax', maxAge: session.expiresAt - deps.now() });
      res.clearCookie(names.pre, { ...cookieBase, sameSite: 'strict' });
      deps.logger.info({ user }, 'staff logged in');
      await deps.audit?.('login', user);
      res.redirect(303, safeNext(req.query.next));
    } catch (e) {
      next(e);
    }
  });
  routes.post('/staff/logout', requirePage, doubleCsrfProtection, async (_req, res, next) => {
    try {
      const staff = staffOf(res)!;
      await deps.sessions.remove(staff.sessionId);
      deps.onSessionEnd?.(staff.sessionId);
      await deps.audit?.('logout', staff.user);
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
