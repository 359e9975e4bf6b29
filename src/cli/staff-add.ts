/**
 * npm run staff:add -- <username> [--role officer|supervisor|admin] [--scope all|province|communes:CODE,CODE]
 * npm run staff:add -- <username> --remove
 * — creates a staff account for the /staff console, or sets a new password (and, when given, a
 * new role and scope) for an existing one, or removes one, in the store's staff accounts: with
 * DATABASE_URL in PostgreSQL (shared by every instance), otherwise in STAFF_USERS_FILE (default
 * ./data/staff-users.json). It opens only the accounts, so it is safe while the server runs; a
 * change applies at the next request. A removed account's sessions and live streams end at once.
 * A new account without --role is an admin with scope all (what every account was before roles);
 * an officer needs a scope. Commune codes are checked against each content/regions/<region>/units.json.
 *
 * The password comes from, in order: STAFF_PASSWORD; a hidden prompt (asked twice) when stdin is
 * a terminal; otherwise the first line of stdin (`echo "$PW" | npm run staff:add -- anna`).
 * Exit code 0 on success, 1 with a message otherwise.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, parseConfig } from '../config';
import { PASSWORD_MIN, removeStaffUser, setStaffPassword, USERNAME } from '../handoff/staff-users';
import { openStaffAccounts } from '../store/create-store';
import { formatScope, parseScope, StaffRole, type StaffAccount } from '../staff/access';

function fail(message: string): never {
  process.stderr.write(`staff:add: ${message}\n`);
  process.exit(1);
}

/** Reads one line from a terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.off('data', onData);
          stdin.setRawMode(false);
          stdin.pause();
          process.stdout.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stdout.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

const USAGE = 'usage: npm run staff:add -- <username> [--role officer|supervisor|admin] [--scope all|province|communes:CODE,CODE] | <username> --remove  (username: 2-32 characters: lowercase letters, digits, ".", "_" or "-")';
const args = process.argv.slice(2);
const removeAt = args.indexOf('--remove');
const removing = removeAt >= 0;
if (removing) args.splice(removeAt, 1);
const flag = (name: string): string | undefined => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = args[i]!;
  const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
  args.splice(i, a.includes('=') ? 1 : 2);
  if (!value) fail(`--${name} needs a value\n${USAGE}`);
  return value;
};
const roleText = flag('role');
const scopeText = flag('scope');
const username = (args[0] ?? '').trim().toLowerCase();
if (!username || !USERNAME.test(username) || args.length > 1) fail(USAGE);
const role = roleText === undefined ? undefined : StaffRole.safeParse(roleText.toLowerCase()).data;
if (roleText !== undefined && !role) fail(`--role must be officer, supervisor or admin (got "${roleText}")`);
const scope = scopeText === undefined ? undefined : parseScope(scopeText);
if (scopeText !== undefined && !scope) fail(`--scope must be all, province or communes:CODE,CODE with commune codes of digits (got "${scopeText}")`);

let config;
try {
  config = parseConfig(process.env);
} catch (e) {
  fail(e instanceof ConfigError ? e.message : String(e));
}

let store;
try {
  store = await openStaffAccounts(config);
} catch (e) {
  fail(`cannot open the staff accounts: ${(e as Error).message}`);
}
if (store.imported) process.stdout.write(`copied ${store.imported} staff account${store.imported === 1 ? '' : 's'} of ${config.staffUsersFile} into ${store.where} (once; the file is no longer read)\n`);

if (removing) {
  if (roleText !== undefined || scopeText !== undefined) fail(`--remove takes no --role or --scope\n${USAGE}`);
  const removed = await removeStaffUser(store.accounts, username).catch((e: unknown) => fail((e as Error).message));
  await store.close();
  if (!removed) fail(`no staff user "${username}" in ${store.where}`);
  process.stdout.write(`removed staff user "${username}" from ${store.where}\n`);
  process.exit(0);
}

let password = config.staffPassword;
if (password === undefined) {
  if (process.stdin.isTTY) {
    password = await promptHidden(`Password for ${username} (at least ${PASSWORD_MIN} characters): `);
    const again = await promptHidden('Repeat the password: ');
    if (again !== password) fail('the passwords do not match; nothing was changed');
  } else {
    password = await readFirstLine();
  }
}

/** Commune codes the content knows, from every region's units.json. */
async function knownCodes(contentDir: string): Promise<Set<string>> {
  const regions = path.join(contentDir, 'content/regions');
  const codes = new Set<string>();
  for (const region of await readdir(regions).catch(() => [] as string[])) {
    const text = await readFile(path.join(regions, region, 'units.json'), 'utf8').catch(() => undefined);
    if (text) for (const u of (JSON.parse(text) as { units?: Array<{ code: string }> }).units ?? []) codes.add(u.code);
  }
  return codes;
}

if (scope?.kind === 'communes') {
  const known = await knownCodes(config.contentDir);
  const unknown = scope.codes.filter((c) => !known.has(c));
  if (unknown.length) fail(`unknown commune code${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (see content/regions/*/units.json)`);
}
const existing = await store.accounts.get(username).catch((e: unknown) => fail((e as Error).message));
const finalRole = role ?? existing?.role ?? (scope ? 'officer' : 'admin');
const finalScope = scope ?? existing?.scope ?? (finalRole === 'officer' ? undefined : { kind: 'all' as const });
if (!finalScope) fail('an officer needs --scope (communes:CODE,CODE or province)');
const access: Omit<StaffAccount, 'user'> = { role: finalRole, scope: finalScope };

try {
  const outcome = await setStaffPassword(store.accounts, username, password, new Date(), access);
  process.stdout.write(`${outcome === 'created' ? 'created' : 'updated the password of'} staff user "${username}" (${access.role}, ${formatScope(access.scope)}) in ${store.where}\n`);
} catch (e) {
  fail((e as Error).message);
} finally {
  await store.close();
}
