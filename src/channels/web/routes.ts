/**
 * The web chat API — a stable contract other tools may use:
 *   POST /api/chat  { chatId, text?, choice? } → 200 { replies: [{ text, options?, links? }] }
 *   GET  /api/chat/updates?chatId=…&after=<seq> → replies delivered later (staff answers)
 *   GET  /api/chat/history?chatId=…            → the conversation so far (with links), for a reloaded page
 *   GET  /api/ui?lang=vi|en                    → the page's own interface strings
 * Messages go through the same pipeline as the platform channels; the POST answer waits until
 * the worker's replies for this message are delivered to the mailbox.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Content, Input, ReplyLink } from '../../engine/types';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Store, TranscriptLine } from '../../store/store';
import { mailboxOf, type MailItem } from './web-channel';

/** A string field whose type errors name the field ("text must be a string", "chatId is required"). */
const field = (name: string) => z.string({ error: (issue) => (issue.input === undefined ? `${name} is required` : `${name} must be a string`) });

const ChatId = field('chatId').regex(/^[A-Za-z0-9_-]{8,64}$/, 'chatId must be 8-64 characters of letters, digits, - and _');

const ChatBody = z
  .strictObject(
    {
      chatId: ChatId,
      text: field('text').max(2000, 'text must be at most 2000 characters').optional(),
      choice: field('choice').min(1, 'choice must not be empty').max(64, 'choice must be at most 64 characters').optional(),
      /** Optional client id for this message; a retried POST with the same id is handled once. */
      messageId: field('messageId').regex(/^[A-Za-z0-9_-]{1,64}$/, 'messageId must be 1-64 characters of letters, digits, - and _').optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: chatId, text, choice, messageId)`
          : issue.code === 'invalid_type'
            ? 'the body must be a JSON object like {"chatId": "...", "text": "..."}'
            : undefined,
    },
  )
  .refine((b) => !(b.text !== undefined && b.choice !== undefined), { message: 'send either text or choice, not both' });

const REPLY_TIMEOUT_MS = 15_000;

export interface WebRoutesDeps {
  pipeline: Pipeline;
  store: Store;
  content: () => Content;
  now?: () => number;
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
      if (line.text === '/start' || /^\[cmd:[a-z_]+\]$/.test(line.text)) return [];
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

export function webRoutes({ pipeline, store, content, now = Date.now }: WebRoutesDeps): Router {
  const router = Router();

  router.post('/api/chat', async (req: Request, res: Response) => {
    if (!req.is('application/json')) return badRequest(res, 'send JSON with Content-Type: application/json');
    const parsed = ChatBody.safeParse(req.body);
    if (!parsed.success) return badRequest(res, parsed.error);
    const { chatId, text, choice, messageId } = parsed.data;
    const input: Input = choice !== undefined ? { kind: 'choice', value: choice } : text !== undefined && text.trim() !== '' ? { kind: 'text', value: text } : { kind: 'start' };
    const key = { channel: 'web' as const, chatId };
    const waiter = pipeline.expect(key, REPLY_TIMEOUT_MS);
    try {
      const accepted = await pipeline.accept({ channel: 'web', chatId, dedupeKey: messageId ?? randomUUID(), input, receivedAt: now() });
      if (accepted.status === 'duplicate') {
        waiter.cancel();
        return res.status(409).json({ error: 'this messageId was already sent; fetch /api/chat/updates for its replies' });
      }
      if (accepted.status === 'overloaded') {
        waiter.cancel();
        return res.status(429).json({ error: 'too many messages waiting in this chat; try again shortly' });
      }
      const heard = await waiter.resolve(accepted.id);
      const record = await store.chats.read(key);
      const box = mailboxOf(record?.channelState ?? {});
      // Another instance ran the chat (several instances on PostgreSQL): its replies are in the mailbox.
      const replies = heard.length > 0 ? heard : box.filter((m) => m.inboundId === accepted.id).map((m) => m.reply);
      res.json({ replies, seq: box[box.length - 1]?.seq ?? 0 });
    } catch (e) {
      waiter.cancel();
      // The message is stored and will be answered; the page fetches it with /updates.
      res.status(503).json({ error: 'the reply is taking longer than usual; it will appear shortly', detail: (e as Error).message });
    }
  });

  router.get('/api/chat/updates', async (req, res) => {
    const chatId = ChatId.safeParse(req.query.chatId);
    if (!chatId.success) return badRequest(res, chatId.error);
    const after = Number(req.query.after ?? 0) || 0;
    const record = await store.chats.read({ channel: 'web', chatId: chatId.data });
    const box = mailboxOf(record?.channelState ?? {});
    const items = box.filter((m) => m.seq > after);
    res.json({ replies: items.map((m) => ({ ...m.reply, from: m.from, seq: m.seq })), seq: box[box.length - 1]?.seq ?? after, handoff: !!record?.session?.handoff });
  });

  router.get('/api/chat/history', async (req, res) => {
    const chatId = ChatId.safeParse(req.query.chatId);
    if (!chatId.success) return badRequest(res, chatId.error);
    const record = await store.chats.read({ channel: 'web', chatId: chatId.data });
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
