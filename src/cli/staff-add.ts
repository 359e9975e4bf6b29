/**
 * npm run staff:add -- <username> — creates a staff account for the /staff console, or sets a new
 * password for an existing one, in STAFF_USERS_FILE (default ./data/staff-users.json).
 *
 * The password comes from, in order: STAFF_PASSWORD; a hidden prompt (asked twice) when stdin is
 * a terminal; otherwise the first line of stdin (`echo "$PW" | npm run staff:add -- anna`).
 * Exit code 0 on success, 1 with a message otherwise.
 */
import { ConfigError, parseConfig } from '../config';
import { PASSWORD_MIN, setStaffPassword, USERNAME } from '../handoff/staff-users';

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

const username = (process.argv[2] ?? '').trim().toLowerCase();
if (!username || !USERNAME.test(username)) fail('usage: npm run staff:add -- <username>  (2-32 characters: lowercase letters, digits, ".", "_" or "-")');

let config;
try {
  config = parseConfig(process.env);
} catch (e) {
  fail(e instanceof ConfigError ? e.message : String(e));
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

try {
  const outcome = await setStaffPassword(config.staffUsersFile, username, password);
  process.stdout.write(`${outcome === 'created' ? 'created' : 'updated the password of'} staff user "${username}" in ${config.staffUsersFile}\n`);
} catch (e) {
  fail((e as Error).message);
}
