/**
 * Starts `bench/serve.ts <kind>` in a child process and waits for its "listening <port>" line:
 * the one way every HTTP bench (api-chat, postgres, web-flood, catalogue) gets a server, so the
 * load generator never shares the server's event loop.
 *
 * `bundled: true` runs serve.ts bundled by esbuild with the flags of `npm run build`, beside
 * dist/server/main.js — the code `npm start` runs; by default it runs under tsx, as `npm run
 * dev` does (TypeScript compiled on the fly at every start: slower to start, same afterwards).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Beside dist/server/main.js, so the static folders postbuild copies are where the code looks. */
const BUNDLE = path.join(ROOT, 'dist/server/bench-serve.js');

export interface Spawned {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the "listening" line. */
  listeningMs: number;
  /** Resident memory of the server process now, in MB (Linux /proc). */
  rssMb(): Promise<number>;
  /**
   * CPU time the server process has used so far (user + system, all its threads), in ms: on a
   * shared machine the wall-clock figures include time the OS gave to others, this does not.
   */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  bundled?: boolean;
}

let bundled: Promise<void> | undefined;
/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK; 100 on Linux everywhere in practice). */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** Builds dist/ (npm run build) and the bundled serve.ts next to it, once per bench run. */
export function bundleServe(): Promise<void> {
  bundled ??= (async () => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    await build({ entryPoints: [path.join(ROOT, 'bench/serve.ts')], outfile: BUNDLE, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
  })();
  return bundled;
}

export async function spawnServer(kind: 'real' | 'limited' | 'bare', opts: SpawnOptions = {}): Promise<Spawned> {
  if (opts.bundled) await bundleServe();
  const args = opts.bundled ? [BUNDLE, kind] : ['--import', 'tsx', path.join(ROOT, 'bench/serve.ts'), kind];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, THUTUC_BENCH_ROOT: ROOT, ...opts.env } });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bench server (${kind}) exited with ${code}`)));
  });
  const listeningMs = performance.now() - started;
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    listeningMs,
    rssMb: async () => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    cpuMs: async () => {
      // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, after the ")" of the name.
      const fields = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `fn` against a fresh server and always stops it. */
export async function withServer<T>(kind: 'real' | 'limited' | 'bare', fn: (server: Spawned) => Promise<T>, opts: SpawnOptions = {}): Promise<T> {
  const server = await spawnServer(kind, opts);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}
