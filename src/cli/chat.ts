/**
 * npm run chat — a conversation with the real engine and content in the terminal, no server or
 * store: the session lives in memory for as long as the process runs. Options are numbered and
 * typing the number picks one (the engine resolves "2" against the question it asked).
 *
 *   /lang en | /lang vi | /lang   switch language (alone: the other one)
 *   /quit, /exit or end of input  leave
 *
 * Works with piped input, so a script or test can drive it: each input line is echoed after
 * "> " so the output reads as a transcript.
 */
import { stdin, stdout, stderr } from 'node:process';
import { createInterface } from 'node:readline/promises';
import { plainText } from '../channels/render/plain-text';
import { ConfigError, parseConfig } from '../config';
import { formatReport, loadContent } from '../content/index';
import { newSession, step } from '../engine/step';
import type { Input, Locale, Reply, Session } from '../engine/types';

function configOrExit() {
  try {
    return parseConfig(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
const loaded = await loadContent(config.contentDir, { regions: config.regions, ...(config.sessionIdleMinutes ? { idleMinutes: config.sessionIdleMinutes } : {}) });
if (!loaded.content) {
  stderr.write(`the content has errors; fix them first (npm run content:lint):\n${formatReport(loaded.diagnostics)}\n`);
  process.exit(1);
}
const content = loaded.content;
const interactive = stdin.isTTY === true;

let session: Session = newSession(config.defaultLocale, Date.now());

function print(replies: readonly Reply[]): void {
  for (const reply of replies) stdout.write(`${plainText(reply, { numbered: true })}\n\n`);
}

function send(input: Input): void {
  const result = step(content, session, input, Date.now());
  session = result.session;
  print(result.replies);
}

/** Terminal-only commands; anything else goes to the engine as typed text. */
function command(line: string): Input | 'quit' | undefined {
  const [name, arg] = line.trim().toLowerCase().split(/\s+/);
  if (name === '/quit' || name === '/exit') return 'quit';
  if (name === '/lang') {
    // "/lang" alone (or with an unknown code) switches to the other language.
    const to: Locale = arg === 'en' || arg === 'vi' ? arg : session.locale === 'vi' ? 'en' : 'vi';
    return { kind: 'choice', value: `cmd:lang_${to}` };
  }
  return undefined;
}

stdout.write(`${content.t(session.locale, 'cli.intro')}\n\n`);
send({ kind: 'start' });

const rl = createInterface({ input: stdin, output: stdout, terminal: interactive, prompt: '> ' });
const prompt = () => (interactive ? rl.prompt() : undefined);
prompt();
for await (const line of rl) {
  if (!interactive) stdout.write(`> ${line}\n`);
  const cmd = command(line);
  if (cmd === 'quit') break;
  if (cmd) send(cmd);
  else if (line.trim() !== '') send({ kind: 'text', value: line });
  prompt();
}
rl.close();
stdout.write(`${content.t(session.locale, 'cli.bye')}\n`);
