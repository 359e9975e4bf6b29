/** D16: an unhandled rejection is logged (not fatal), with the error, on the bot's logger. */
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger';
import { logUnhandledRejections } from '../../src/server/process-guards';

it('logs an unhandled promise rejection at error level instead of ending the process', async () => {
  let out = '';
  const logger = createLogger('info', new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }));
  const uninstall = logUnhandledRejections(logger);
  try {
    const failing = Promise.reject(new Error('late inbox write failed'));
    process.emit('unhandledRejection', new Error('late inbox write failed'), failing);
    failing.catch(() => undefined);
  } finally {
    uninstall();
  }
  const line = JSON.parse(out.trim().split('\n').at(-1)!) as { level: number; msg: string; err: { message: string } };
  expect(line).toMatchObject({ level: 50, msg: 'unhandled promise rejection', err: { message: 'late inbox write failed' } });
});
