/**
 * The wait behind `POST /api/chat`: collects the replies delivered for one inbound web message
 * and resolves when all of them are in. It listens to the pipeline's public events, so the
 * shared pipeline carries nothing web-specific. Call `expect` before `accept`, so replies that
 * arrive before `accept` resolves are not missed. When another instance ran the chat (several
 * instances on PostgreSQL) it resolves with no replies: the route reads them from the mailbox.
 */
import type { Reply } from '../../engine/types';
import type { Pipeline } from '../../pipeline/pipeline';
import { keyString, type ChatKey } from '../../store/store';

export class ReplyTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms waiting for the reply`);
    this.name = 'ReplyTimeout';
  }
}

export interface ReplyWait {
  resolve(inboundId: string): Promise<Reply[]>;
  cancel(): void;
}

export function expectReplies(pipeline: Pick<Pipeline, 'onDelivered' | 'onInboundDone'>, key: ChatKey, timeoutMs: number): ReplyWait {
  const k = keyString(key);
  const collected = new Map<string, Reply[]>();
  const done = new Set<string>();
  let wanted: string | undefined;
  let finish: ((r: Reply[]) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const offDelivered = pipeline.onDelivered((d) => {
    if (keyString(d.key) !== k || !d.entry.inboundId) return;
    const list = collected.get(d.entry.inboundId) ?? [];
    list.push(d.entry.reply);
    collected.set(d.entry.inboundId, list);
  });
  const offDone = pipeline.onInboundDone((chat, inboundId) => {
    if (chat !== k) return;
    done.add(inboundId);
    if (inboundId === wanted) finish?.(collected.get(inboundId) ?? []);
  });
  const cancel = () => {
    clearTimeout(timer);
    offDelivered();
    offDone();
  };
  return {
    cancel,
    resolve: (inboundId) =>
      new Promise<Reply[]>((res, rej) => {
        wanted = inboundId;
        finish = (r) => {
          cancel();
          res(r);
        };
        if (done.has(inboundId)) return finish(collected.get(inboundId) ?? []);
        timer = setTimeout(() => {
          cancel();
          rej(new ReplyTimeout(timeoutMs));
        }, timeoutMs);
      }),
  };
}
