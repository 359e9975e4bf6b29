/** Prometheus metrics (prom-client), one registry per server so tests can run several. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  messagesIn: Counter<'channel'>;
  messagesOut: Counter<'channel' | 'from'>;
  duplicates: Counter<'channel'>;
  rejected: Counter<'channel' | 'reason'>;
  sendFailures: Counter<'channel' | 'kind'>;
  unmatched: Counter<'channel'>;
  replyLatency: Histogram<'channel'>;
  contentReloads: Counter<'result'>;
  pendingChats: Gauge;
  storeDamaged: Gauge<'kind'>;
  storeBacklog: Gauge;
  retentionFailures: Counter;
}

export function createMetrics(withDefaults = true): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    messagesIn: new Counter({ name: 'thutuc_messages_in_total', help: 'Messages accepted into the inbox', labelNames: ['channel'], registers }),
    messagesOut: new Counter({ name: 'thutuc_messages_out_total', help: 'Replies delivered to the platform', labelNames: ['channel', 'from'], registers }),
    duplicates: new Counter({ name: 'thutuc_duplicate_deliveries_total', help: 'Platform re-deliveries dropped by dedupe', labelNames: ['channel'], registers }),
    rejected: new Counter({ name: 'thutuc_webhooks_rejected_total', help: 'Webhooks refused (bad secret/signature or body)', labelNames: ['channel', 'reason'], registers }),
    sendFailures: new Counter({ name: 'thutuc_send_failures_total', help: 'Failed send attempts by kind (retry, permanent, invalid, exhausted)', labelNames: ['channel', 'kind'], registers }),
    unmatched: new Counter({ name: 'thutuc_unmatched_total', help: 'Messages the bot could not match to anything', labelNames: ['channel'], registers }),
    replyLatency: new Histogram({
      name: 'thutuc_reply_latency_seconds',
      help: 'From inbox accept to the last reply delivered',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    contentReloads: new Counter({ name: 'thutuc_content_reloads_total', help: 'Content reloads by result', labelNames: ['result'], registers }),
    pendingChats: new Gauge({ name: 'thutuc_pending_chats', help: 'Chats with unprocessed inbox or undelivered outbox', registers }),
    storeDamaged: new Gauge({ name: 'thutuc_store_damaged_files', help: 'Damaged files (journal segment, chat, case, doc) quarantined since start', labelNames: ['kind'], registers }),
    storeBacklog: new Gauge({ name: 'thutuc_store_backlog_chats', help: 'Changed chats not yet written to their files (back-pressure past its limit)', registers }),
    retentionFailures: new Counter({ name: 'thutuc_retention_failures_total', help: 'Chats the retention sweep could not process (retried at the next sweep)', registers }),
  };
}
