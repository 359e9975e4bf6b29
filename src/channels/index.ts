/**
 * Which channels run: the web chat always; each platform channel only when its credentials are
 * configured (a channel whose token is absent is simply off, and /readyz says so).
 */
import type { Config } from '../config';
import type { Content } from '../engine/types';
import type { Pipeline } from '../pipeline/pipeline';
import type { Logger } from '../server/logger';
import type { Metrics } from '../server/metrics';
import type { Store } from '../store/store';
import type { Channel } from './channel';
import { createTelegramChannel } from './telegram/telegram-channel';
import { createWebChannel } from './web/web-channel';
import { createZaloBotChannel } from './zalo-bot/zalo-bot-channel';
import { createZaloOaChannel } from './zalo-oa/zalo-oa-channel';

export interface ChannelDeps {
  config: Config;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** The pipeline is created after the channels; webhook routes reach it through this. */
  pipeline: () => Pipeline;
  /** Current content, for interface strings a channel adds (e.g. "reply with the number"). */
  content: () => Content;
  now: () => number;
}

export function createChannels(deps: ChannelDeps): Map<string, Channel> {
  const channels = new Map<string, Channel>([['web', createWebChannel(deps.now)]]);
  if (deps.config.telegram) channels.set('telegram', createTelegramChannel(deps.config.telegram, deps));
  if (deps.config.zaloBot) channels.set('zalo-bot', createZaloBotChannel(deps.config.zaloBot, deps));
  if (deps.config.zaloOa) channels.set('zalo-oa', createZaloOaChannel(deps.config.zaloOa, deps));
  return channels;
}
