/**
 * A staff member's browser, reduced to what the tests need: real HTTP requests to the real
 * server, a cookie jar, and the CSRF token of the last page it loaded.
 */
import path from 'node:path';
import { setStaffPassword } from '../../src/handoff/staff-users';
import { createLowdbStaffAccounts } from '../../src/store/lowdb/lowdb-staff-accounts';
import type { StaffAccountStore } from '../../src/store/staff-accounts';
import type { Store } from '../../src/store/store';

export interface Page {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export class StaffClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly base: string) {}

  async request(method: string, url: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    const res = await fetch(new URL(url, this.base), {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, location: res.headers.get('location'), body, headers: res.headers };
  }

  get(url: string): Promise<Page> {
    return this.request('GET', url);
  }

  /** Form post with the current CSRF token (pass `_csrf: ''` to leave it out). */
  post(url: string, form: Record<string, string> = {}): Promise<Page> {
    const withToken = '_csrf' in form ? form : { ...form, _csrf: this.csrf };
    if (withToken._csrf === '') delete (withToken as Record<string, string>)._csrf;
    return this.request('POST', url, withToken);
  }

  async login(username: string, password: string): Promise<Page> {
    await this.get('/staff/login');
    return this.post('/staff/login', { username, password });
  }
}

export const PASSWORDS: Record<string, string> = { anna: 'anna-secret-pass-1', binh: 'binh-secret-pass-2' };

/**
 * Where a test's staff accounts go: a running server (through its store, either adapter), or a
 * data directory (its STAFF_USERS_FILE, as `npm run staff:add` writes it for the embedded store).
 */
export type StaffTarget = string | { store: Pick<Store, 'staff'> };
const accountsOf = (target: StaffTarget): StaffAccountStore => (typeof target === 'string' ? createLowdbStaffAccounts(path.join(target, 'staff-users.json')) : target.store.staff);

/** Creates the staff users of the tests. */
export async function addStaff(target: StaffTarget, ...users: string[]): Promise<void> {
  for (const u of users) await setStaffPassword(accountsOf(target), u, PASSWORDS[u] ?? `${u}-secret-pass-0`);
}

export async function loggedIn(base: string, user: string): Promise<StaffClient> {
  const client = new StaffClient(base);
  const res = await client.login(user, PASSWORDS[user] ?? `${user}-secret-pass-0`);
  if (res.status !== 303) throw new Error(`login of ${user} failed: ${res.status}`);
  await client.get('/staff');
  return client;
}

/** Case ids in the order the case list shows them. */
export function caseIds(html: string): string[] {
  return [...html.matchAll(/data-case="(c-[0-9a-f]{20})"/g)].map((m) => m[1]!);
}

export interface StaffStream {
  res: Response;
  /** Reads until `until` matches the events so far; throws 'stream ended' when the server ends it. */
  next(until: (events: Array<{ type: string; caseId: string }>) => boolean): Promise<Array<{ type: string; caseId: string }>>;
  /** Resolves true when the server ends the stream (reads and drops what comes first). */
  ended(): Promise<boolean>;
  close(): void;
}

/** The console's event stream, read like the browser's EventSource would. */
export async function openStream(client: StaffClient): Promise<StaffStream> {
  const controller = new AbortController();
  const res = await fetch(`${client.base}/staff/events`, { headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    res,
    async next(until) {
      for (;;) {
        const events = [...buffer.matchAll(/event: case\ndata: (.+)\n\n/g)].map((m) => JSON.parse(m[1]!) as { type: string; caseId: string });
        if (until(events)) return events;
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    async ended() {
      for (;;) {
        const { done } = await reader.read();
        if (done) return true;
      }
    },
    close: () => controller.abort(),
  };
}

/** A staff account with a role and scope, as `npm run staff:add -- <user> --role … --scope …` makes it. */
export async function addStaffAs(target: StaffTarget, user: string, role: 'officer' | 'supervisor' | 'admin', scope: string): Promise<void> {
  const { parseScope } = await import('../../src/staff/access');
  const parsed = parseScope(scope);
  if (!parsed) throw new Error(`bad scope ${scope}`);
  await setStaffPassword(accountsOf(target), user, PASSWORDS[user] ?? `${user}-secret-pass-0`, new Date(), { role, scope: parsed });
}
