/**
 * The real program in a child process — from source (`npx tsx src/main.ts`) or as `npm start`
 * runs it in production (`node dist/server/main.js`, after `buildOnce()`) — in its own process
 * group so `kill -9` reaches every process at once; resolves with its web address once printed.
 */
import { execFileSync } from 'node:child_process';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './server';

export interface SpawnedBot {
  child: ChildProcess;
  url: string;
  /** What it printed so far (for failure messages). */
  output(): string;
}

export async function spawnBot(env: Record<string, string>, opts: { compiled?: boolean } = {}): Promise<SpawnedBot> {
  const [cmd, args] = opts.compiled ? ['node', ['dist/server/main.js']] : ['npx', ['tsx', 'src/main.ts']];
  const child = spawn(cmd as string, args as string[], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CONTENT_DIR: ROOT, CONTENT_WATCH: 'false', LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Web chat: (http:\/\/[^/\s]+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bot exited (${code ?? signal}) before it started:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    /* already gone */
  }
}

export async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child);
  await exited;
}

/** `npm run build` (the same command `npm start` runs first), once per test file. */
let built = false;
export function buildOnce(): void {
  if (built) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}
