/**
 * Which channels exist and how each is built: every channel registers itself here with the
 * config key that switches it on. The web chat always runs; a platform channel runs only when
 * its credentials are configured (a channel whose token is absent is simply off, and /readyz
 * says so). Channels get no pipeline: the inbound route hands their parsed messages to it.
 */
import type { Config } from '../config';
import type { Content } from '../engine/types';
import type { Logger } from '../server/logger';
import type { Metrics } from '../server/metrics';
import type { ChannelName, Store } from '../store/store';
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
  /** Current content, for interface strings a channel adds (e.g. "reply with the number"). */
  content: () => Content;
  now: () => number;
}

type ConfigKey = 'telegram' | 'zaloBot' | 'zaloOa';

export interface ChannelRegistration<K extends ConfigKey | undefined = ConfigKey | undefined> {
  name: ChannelName;
  /** The Config section that turns the channel on; undefined = always on. */
  configKey: K;
  create(config: K extends ConfigKey ? NonNullable<Config[K]> : undefined, deps: ChannelDeps): Channel;
}

const register = <K extends ConfigKey | undefined>(r: ChannelRegistration<K>): ChannelRegistration => r as unknown as ChannelRegistration;

export const CHANNEL_REGISTRY: readonly ChannelRegistration[] = [
  register({ name: 'web', configKey: undefined, create: (_c, deps) => createWebChannel(deps.now) }),
  register({ name: 'telegram', configKey: 'telegram', create: createTelegramChannel }),
  register({ name: 'zalo-bot', configKey: 'zaloBot', create: createZaloBotChannel }),
  register({ name: 'zalo-oa', configKey: 'zaloOa', create: createZaloOaChannel }),
];

export function createChannels(deps: ChannelDeps): Map<string, Channel> {
  const channels = new Map<string, Channel>();
  for (const entry of CHANNEL_REGISTRY) {
    const section = entry.configKey === undefined ? undefined : deps.config[entry.configKey];
    if (entry.configKey !== undefined && !section) continue;
    channels.set(entry.name, entry.create(section as never, deps));
  }
  return channels;
}
