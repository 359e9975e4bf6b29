/**
 * The web chat API — a stable contract other tools may use (docs/web-chat-api.md):
 *   POST /api/chat  { text?, choice?, messageId? } → 200 { replies: [{ text, options?, links? }], seq, chatToken? }
 *   GET  /api/chat/updates?after=<seq> → replies delivered later (staff answers)
 *   GET  /api/chat/history             → the conversation so far (with links), for a reloaded page
 *   GET  /api/ui?lang=vi|en            → the page's own interface strings
 * The chat credential (chat-token.ts) travels in the `X-Chat-Id` header (or `Authorization:
 * Bearer …`; POST may also carry it as `chatId` in the body), never in a URL. A POST without one
 * starts a new chat and the answer carries its `chatToken`; a credential the server did not
 * issue gets 401. Messages go through the same pipeline as the platform channels; the POST
 * answer waits until the worker's replies for this message are delivered to the mailbox.
 *
 * Never promise what was not accepted (reliability review D6): if the message could not be
 * stored the answer is 503 { error: "not stored, please send again", retry: true }; only a
 * stored message whose replies are slow gets 202 { id, seq } ("it will appear shortly"). No
 * internal error text reaches the client. Floods (D2) are refused with 429 + Retry-After: per
 * address and overall per minute, and new chats per address per hour.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Content, Input, ReplyLink } from '../../engine/types';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Logger } from '../../server/logger';
import type { Metrics } from '../../server/metrics';
import type { Store, TranscriptLine } from '../../store/store';
import type { ChatTokens } from './chat-token';
import { expectReplies, ReplyTimeout } from './reply-waiter';
import { mailboxOf, type MailItem } from './web-channel';

/** A string field whose type errors name the field ("text must be a string", "chatId is required"). */
const field = (name: string) => z.string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`) });

const ChatId = field('chatId').regex(/^[A-Za-z0-9_-]{8,64}\.[A-Za-z0-9_-]{43}$/, 'chatId must be the chatToken this server issued (send none to start a new chat)');

const ChatBody = z
  .strictObject(
    {
      chatId: ChatId.optional(),
      text: field('text').max(2000, 'text must be at most 2000 characters').optional(),
      choice: field('choice').min(1, 'choice must not be empty').max(64, 'choice must be at most 64 characters').optional(),
      /** Optional client id for this message; a retried POST with the same id is handled once. */
      messageId: field('messageId').regex(/^[A-Za-z0-9_-]{1,64}$/, 'messageId must be 1-64 characters of letters, digits, - and _').optional(),
      /** Open the chat at this flow (the page's `/?flow=<id>` link, e.g. from a QR poster). */
      flow: field('flow').regex(/^[a-z0-9-]{1,64}$/, 'flow must be a flow id: 1-64 lowercase letters, digits and -').optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: chatId, text, choice, messageId, flow)`
          : issue.code === 'invalid_type'
            ? 'the body must be a JSON object like {"text": "..."}'
            : undefined,
    },
  )
  .refine((b) => !(b.text !== undefined && b.choice !== undefined), { message: 'send either text or choice, not both' });

const REPLY_TIMEOUT_MS = 15_000;

export interface WebLimits {
  /** Messages per address per minute. */
  perAddressPerMinute: number;
  /** Messages per minute from everyone together. */
  globalPerMinute: number;
  /** New chats (issued credentials) per address per hour. */
  newChatsPerAddressPerHour: number;
}

export const DEFAULT_WEB_LIMITS: WebLimits = { perAddressPerMinute: 30, globalPerMinute: 3_000, newChatsPerAddressPerHour: 5 };

export interface WebRoutesDeps {
  pipeline: Pipeline;
  store: Store;
  content: () => Content;
  tokens: ChatTokens;
  logger: Logger;
  metrics: Metrics;
  limits?: WebLimits;
  now?: () => number;
  /** How long POST waits for the replies before answering 202 (tests lower it). */
  replyTimeoutMs?: number;
}

/**
 * The conversation as the page shows it after a reload. The transcript is written for staff: it
 * records the page opening as "/start" and a tapped button as "[label]" (or "[cmd:…]" for the
 * page's own buttons); the citizen sees the label, or nothing. It keeps text only, so the links
 * of bot replies (the dichvucong.gov.vn page) come from the mailbox: both are in delivery order,
 * so each reply line is matched to the next mailbox item with the same text.
 */
interface HistoryLine {
  from: string;
  text: string;
  links?: ReplyLink[];
}
function historyOf(transcript: readonly TranscriptLine[], box: readonly MailItem[]): HistoryLine[] {
  let cursor = 0;
  return transcript.flatMap((line): HistoryLine[] => {
    if (line.from === 'user') {
      if (/^\/start( [a-z0-9_-]+)?$/i.test(line.text) || /^\[cmd:[a-z_]+\]$/.test(line.text)) return [];
      const tapped = /^\[(.*)\]$/s.exec(line.text);
      return [{ from: line.from, text: tapped ? tapped[1]! : line.text }];
    }
    const at = box.findIndex((m, i) => i >= cursor && m.reply.text === line.text);
    if (at < 0) return [{ from: line.from, text: line.text }];
    cursor = at + 1;
    const links = box[at]!.reply.links;
    return [{ from: line.from, text: line.text, ...(links && links.length > 0 ? { links } : {}) }];
  });
}

function badRequest(res: Response, error: z.ZodError | string): void {
  // Messages of named fields already start with the field's name ("text must be a string").
  const describe = (i: z.core.$ZodIssue) => {
    const where = i.path.join('.');
    return where === '' || i.message.startsWith(where) ? i.message : `${where}: ${i.message}`;
  };
  const message = typeof error === 'string' ? error : error.issues.map(describe).join('; ');
  res.status(400).json({ error: message });
}

/** The credential the client presented, if any: X-Chat-Id, then Authorization: Bearer, then (POST) body.chatId. */
function presented(req: Request, bodyChatId?: string): string | undefined {
  const header = req.header('x-chat-id');
  if (header !== undefined && header !== '') return header;
  const auth = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  if (auth) return auth[1];
  return bodyChatId;
}

const NOT_ISSUED = 'this chat was not issued by this server (or has expired); send the message without a chat id to start a new chat';

function limiter(windowMs: number, limit: number, key: (req: Request) => string, what: string, metrics: Metrics, skip?: (req: Request) => boolean): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    ...(skip ? { skip } : {}),
    // Behind a proxy the address comes from X-Forwarded-For ('trust proxy'); never crash on it.
    validate: false,
    handler: (_req, res) => {
      metrics.refused.inc({ channel: 'web', reason: 'rate_limited' });
      res.status(429).json({ error: `too many ${what}; please wait a moment and send again`, retry: true });
    },
  });
}

export function webRoutes({ pipeline, store, content, tokens, logger, metrics, limits = DEFAULT_WEB_LIMITS, now = Date.now, replyTimeoutMs = REPLY_TIMEOUT_MS }: WebRoutesDeps): Router {
  const router = Router();
  const log = logger.child({ channel: 'web' });
  const address = (req: Request) => req.ip ?? 'unknown';
  const perAddress = limiter(60_000, limits.perAddressPerMinute, address, 'messages from this address', metrics);
  const global = limiter(60_000, limits.globalPerMinute, () => 'all', 'messages right now', metrics);
  // Order matters: per address first, so a flooder's refused requests do not use up the global
  // budget that everyone else shares (bench/web-flood.ts measured exactly that). Only a POST
  // that starts a chat (no credential) counts towards the new-chat cap.
  const newChats = limiter(3_600_000, limits.newChatsPerAddressPerHour, address, 'new chats from this address', metrics, (req) => presented(req, typeof req.body?.chatId === 'string' ? req.body.chatId : undefined) !== undefined);
  // Personal data: never cached by a browser or a proxy.
  const noStore: RequestHandler = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };

  router.post('/api/chat', noStore, async (req: Request, res: Response, next) => {
    if (!req.is('application/json')) return badRequest(res, 'send JSON with Content-Type: application/json');
    const parsed = ChatBody.safeParse(req.body);
    if (!parsed.success) return badRequest(res, parsed.error);
    next();
  }, perAddress, newChats, global, async (req: Request, res: Response) => {
    const { chatId: bodyChatId, text, choice, messageId, flow } = ChatBody.parse(req.body);
    const credential = presented(req, bodyChatId);
    let chatId: string;
    let issued: string | undefined;
    if (credential === undefined) {
      const fresh = tokens.issue();
      chatId = fresh.chatId;
      issued = fresh.token;
    } else {
      const verified = tokens.verify(credential);
      if (!verified) {
        metrics.rejected.inc({ channel: 'web', reason: 'chat_token' });
        return res.status(401).json({ error: NOT_ISSUED });
      }
      chatId = verified;
    }
    // A flow link arrives as the engine's "/start <flow-id>", like a Telegram deep link.
    const input: Input =
      choice !== undefined ? { kind: 'choice', value: choice } : text !== undefined && text.trim() !== '' ? { kind: 'text', value: text } : flow ? { kind: 'text', value: `/start ${flow}` } : { kind: 'start' };
    const key = { channel: 'web' as const, chatId };
    const waiter = expectReplies(pipeline, key, replyTimeoutMs);
    const withToken = <T extends object>(body: T) => (issued ? { ...body, chatToken: issued } : body);

    let accepted;
    try {
      // `from`: a keyed hash of the address, for the handoff cap (pipeline/handoff-cap.ts); never the address.
      accepted = await pipeline.accept({ channel: 'web', chatId, dedupeKey: messageId ?? randomUUID(), input, receivedAt: now(), meta: { from: tokens.addressKey(address(req)) } });
    } catch (e) {
      waiter.cancel();
      metrics.refused.inc({ channel: 'web', reason: 'store_failed' });
      log.error({ err: e }, 'web message not stored');
      res.setHeader('Retry-After', '5');
      return res.status(503).json({ error: 'not stored, please send again', retry: true });
    }
    if (accepted.status === 'duplicate') {
      waiter.cancel();
      return res.status(409).json({ error: 'this messageId was already sent; fetch /api/chat/updates for its replies' });
    }
    if (accepted.status === 'overloaded') {
      waiter.cancel();
      metrics.refused.inc({ channel: 'web', reason: 'inbox_full' });
      log.warn({ reason: 'inbox_full' }, 'web message refused');
      res.setHeader('Retry-After', '5');
      return res.status(429).json({ error: 'too many messages waiting in this chat; try again shortly', retry: true });
    }
    try {
      const heard = await waiter.resolve(accepted.id);
      const record = await store.chats.read(key);
      const box = mailboxOf(record?.channelState ?? {});
      // Another instance ran the chat (several instances on PostgreSQL): its replies are in the mailbox.
      const replies = heard.length > 0 ? heard : box.filter((m) => m.inboundId === accepted.id).map((m) => m.reply);
      res.json(withToken({ replies, seq: box[box.length - 1]?.seq ?? 0 }));
    } catch (e) {
      waiter.cancel();
      // Stored, so it will be answered; the page picks the replies up with /updates.
      if (!(e instanceof ReplyTimeout)) log.error({ err: e }, 'web reply could not be read');
      res.status(202).json(withToken({ id: accepted.id, pending: true, message: 'the reply is taking longer than usual; it will appear shortly' }));
    }
  });

  const chatOf = (req: Request, res: Response): string | undefined => {
    const credential = presented(req);
    const chatId = tokens.verify(credential);
    if (chatId) return chatId;
    if (credential === undefined) res.status(401).json({ error: 'send the chat id in the X-Chat-Id header' });
    else {
      metrics.rejected.inc({ channel: 'web', reason: 'chat_token' });
      res.status(401).json({ error: NOT_ISSUED });
    }
    return undefined;
  };

  router.get('/api/chat/updates', noStore, perAddress, async (req, res) => {
    const chatId = chatOf(req, res);
    if (!chatId) return;
    const after = Number(req.query.after ?? 0) || 0;
    const record = await store.chats.read({ channel: 'web', chatId });
    const box = mailboxOf(record?.channelState ?? {});
    const items = box.filter((m) => m.seq > after);
    res.json({ replies: items.map((m) => ({ ...m.reply, from: m.from, seq: m.seq })), seq: box[box.length - 1]?.seq ?? after, handoff: !!record?.session?.handoff });
  });

  router.get('/api/chat/history', noStore, perAddress, async (req, res) => {
    const chatId = chatOf(req, res);
    if (!chatId) return;
    const record = await store.chats.read({ channel: 'web', chatId });
    const box = mailboxOf(record?.channelState ?? {});
    res.json({
      messages: historyOf(record?.transcript ?? [], box),
      current: box[box.length - 1]?.reply ?? null,
      seq: box[box.length - 1]?.seq ?? 0,
      locale: record?.session?.locale ?? null,
    });
  });

  router.get('/api/ui', (req, res) => {
    const lang = req.query.lang === 'en' ? 'en' : 'vi';
    const t = content().t;
    const keys = ['title', 'subtitle', 'placeholder', 'send', 'lang_toggle', 'you', 'bot', 'staff', 'error', 'restart', 'log_label'];
    res.json(Object.fromEntries(keys.map((k) => [k, t(lang, `web.${k}`)])));
  });

  return router;
}
