/**
 * npm start — the only wiring point with the outside world: reads the environment once, starts
 * the bot, prints where the web chat is, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { ConfigError, parseConfig } from './config';
import { ContentError } from './content/index';
import { logUnhandledRejections } from './server/process-guards';
import { start } from './server/start';

// Everything the bot writes (chats, cases, secrets, tokens) is for this user only (D11).
process.umask(0o077);

try {
  const config = parseConfig(process.env);
  const running = await start(config);
  logUnhandledRejections(running.logger);
  const channels = [...running.channels.keys()].join(', ');
  running.logger.info({ url: running.url, channels, dataDir: config.dataDir }, 'thutuc started');
  process.stdout.write(`\nthutuc is running. Web chat: ${running.url}/  (channels: ${channels}; data: ${config.dataDir})\n\n`);
  // A one-province deployment indexes the other provinces' names for the first message that names
  // no served place (~0.3 s); done now, while no citizen waits. (After a content reload it is
  // built on first use again.)
  setImmediate(() => running.content.current().places.warm?.());

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  if (e instanceof ConfigError || e instanceof ContentError) {
    process.stderr.write(`thutuc cannot start: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
