/**
 * npm run webhook:set  -- telegram|zalo-bot   registers PUBLIC_URL + /webhooks/<channel> with the secret
 * npm run webhook:info -- telegram|zalo-bot   shows what the platform has registered
 *
 * Reads the same environment as the server (src/config.ts). Zalo OA has no API for this: its
 * webhook URL is set in the app's settings on developers.zalo.me (see "Connect Zalo" in README.md).
 * Exit code 0 on success, 1 with one clear line on a missing variable or a refusal. Never prints
 * tokens or secrets.
 */
import { fileURLToPath } from 'node:url';
import { Api, GrammyError, HttpError } from 'grammy';
import { ConfigError, parseConfig, type Config } from '../config';
import { webhookPath } from '../pipeline/inbound-route';
import { createZaloBotClient, ZaloBotApiError, ZaloBotHttpError } from '../channels/zalo-bot/zalo-bot-client';

const USAGE = 'usage: npm run webhook:set -- telegram|zalo-bot   or   npm run webhook:info -- telegram|zalo-bot';

export interface CliResult {
  code: number;
  output: string;
}

export async function webhookCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const [action, channel] = args;
  if ((action !== 'set' && action !== 'info') || (channel !== 'telegram' && channel !== 'zalo-bot')) return fail(USAGE);
  let config: Config;
  try {
    config = parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return fail(e.message);
    throw e;
  }
  try {
    return channel === 'telegram' ? await telegram(action, config) : await zaloBot(action, config);
  } catch (e) {
    if (e instanceof GrammyError) return fail(`Telegram refused ${e.method}: ${e.error_code} ${e.description}`);
    if (e instanceof HttpError) return fail(`Telegram did not answer (${config.telegram?.apiRoot}); check the network or TELEGRAM_API_ROOT`);
    if (e instanceof ZaloBotApiError) return fail(`Zalo refused ${e.method}: ${e.errorCode} ${e.description}`);
    if (e instanceof ZaloBotHttpError) return fail(`${e.message} (${config.zaloBot?.apiRoot}); check the network or ZALO_BOT_API_ROOT`);
    throw e;
  }
}

function fail(message: string): CliResult {
  return { code: 1, output: `${message}\n` };
}

function webhookUrl(config: Config, path: string): string | CliResult {
  if (!config.publicUrl) return fail('PUBLIC_URL is not set: set it to the https address the platform reaches this server at, e.g. https://thutuc.example.vn');
  if (!config.publicUrl.startsWith('https://')) return fail(`PUBLIC_URL must start with https:// (the platforms only call https webhooks); it is ${config.publicUrl}`);
  return `${config.publicUrl}${path}`;
}

async function telegram(action: 'set' | 'info', config: Config): Promise<CliResult> {
  if (!config.telegram) return fail('TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in TELEGRAM_BOT_TOKEN');
  const api = new Api(config.telegram.token, { apiRoot: config.telegram.apiRoot });
  const expected = webhookUrl(config, webhookPath('telegram'));
  if (action === 'set') {
    if (typeof expected !== 'string') return expected;
    await api.setWebhook(expected, { secret_token: config.telegram.webhookSecret!, allowed_updates: ['message', 'callback_query'] });
    return { code: 0, output: `Telegram webhook set: ${expected} (secret from TELEGRAM_WEBHOOK_SECRET, updates: message, callback_query)\n` };
  }
  const info = await api.getWebhookInfo();
  const lines = [
    `url:              ${info.url || '(none — run npm run webhook:set -- telegram)'}`,
    `matches this env: ${typeof expected === 'string' ? (info.url === expected ? 'yes' : `no (expected ${expected})`) : 'unknown (PUBLIC_URL not set)'}`,
    `pending updates:  ${info.pending_update_count}`,
    `allowed updates:  ${info.allowed_updates?.join(', ') ?? '(all but chat_member)'}`,
    ...(info.last_error_date ? [`last error:       ${new Date(info.last_error_date * 1000).toISOString()} ${info.last_error_message ?? ''}`] : []),
  ];
  return { code: 0, output: `${lines.join('\n')}\n` };
}

async function zaloBot(action: 'set' | 'info', config: Config): Promise<CliResult> {
  if (!config.zaloBot) return fail('ZALO_BOT_TOKEN is not set: create a bot in Zalo Bot Creator and put its token in ZALO_BOT_TOKEN');
  const client = createZaloBotClient(config.zaloBot);
  const expected = webhookUrl(config, webhookPath('zalo-bot'));
  if (action === 'set') {
    if (typeof expected !== 'string') return expected;
    await client.call('setWebhook', { url: expected, secret_token: config.zaloBot.webhookSecret! });
    return { code: 0, output: `Zalo Bot webhook set: ${expected} (secret from ZALO_BOT_WEBHOOK_SECRET)\n` };
  }
  const info = await client.call<{ url?: string; updated_at?: number }>('getWebhookInfo');
  const lines = [
    `url:              ${info.url || '(none — run npm run webhook:set -- zalo-bot)'}`,
    `matches this env: ${typeof expected === 'string' ? (info.url === expected ? 'yes' : `no (expected ${expected})`) : 'unknown (PUBLIC_URL not set)'}`,
    ...(info.updated_at ? [`updated at:       ${new Date(info.updated_at).toISOString()}`] : []),
  ];
  return { code: 0, output: `${lines.join('\n')}\n` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await webhookCli(process.argv.slice(2), process.env);
  (result.code === 0 ? process.stdout : process.stderr).write(result.output);
  process.exit(result.code);
}
