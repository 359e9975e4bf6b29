/**
 * Which channels run: the web chat always; each platform channel only when its credentials are
 * configured (a channel whose token is absent is simply off, and /readyz says so).
 */
import type { Config } from '../config';
import type { Pipeline } from '../pipeline/pipeline';
import type { Logger } from '../server/logger';
import type { Metrics } from '../server/metrics';
import type { Store } from '../store/store';
import type { Channel } from './channel';
import { createWebChannel } from './web/web-channel';

export interface ChannelDeps {
  config: Config;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** The pipeline is created after the channels; webhook routes reach it through this. */
  pipeline: () => Pipeline;
  now: () => number;
}

export function createChannels(deps: ChannelDeps): Map<string, Channel> {
  const channels = new Map<string, Channel>([['web', createWebChannel(deps.now)]]);
  // Platform channels register here (one line each), e.g.:
  // if (deps.config.telegram) channels.set('telegram', createTelegramChannel(deps.config.telegram, deps));
  return channels;
}
