/**
 * The one listening connection per instance (LISTEN/NOTIFY), shared by the bus and the chat
 * work notifications. It reconnects after a drop; what was notified meanwhile is not lost for
 * chats (the takeover poll finds lapsed work) and only delays a staff console's live update.
 */
import pg from 'pg';

export interface Listener {
  on(channel: string, fn: (payload: string) => void): () => void;
  close(): Promise<void>;
}

/** `channels` are listened to before this resolves, so nothing published after start is missed. */
export async function createListener(url: string, onError: (e: unknown) => void, channels: readonly string[] = []): Promise<Listener> {
  const handlers = new Map<string, Set<(payload: string) => void>>(channels.map((c) => [c, new Set()]));
  let client: pg.Client | undefined;
  let closed = false;

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      for (const fn of handlers.get(n.channel) ?? []) fn(n.payload ?? '');
    });
    c.on('error', (e) => {
      onError(e);
      void c.end().catch(() => undefined);
      if (client === c) reconnectLater();
    });
    await c.connect();
    for (const channel of handlers.keys()) await c.query(`LISTEN ${quote(channel)}`);
    client = c;
  }
  function reconnectLater(): void {
    client = undefined;
    if (closed) return;
    setTimeout(() => {
      if (!closed) connect().catch((e: unknown) => (onError(e), reconnectLater()));
    }, 1_000).unref();
  }

  await connect();
  return {
    on(channel, fn) {
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        void client?.query(`LISTEN ${quote(channel)}`).catch(onError);
      }
      set.add(fn);
      return () => set.delete(fn);
    },
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
