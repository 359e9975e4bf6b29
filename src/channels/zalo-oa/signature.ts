/**
 * Zalo OA webhook signature. Header `X-ZEvent-Signature`, value `mac=<hex>` (some deliveries
 * without the prefix), where hex = SHA-256 (plain, not HMAC) of appId + raw body + timestamp +
 * OA secret key; the timestamp is the `timestamp` field of the body itself, the key is the
 * "OA Secret Key" of the app's webhook settings (not the app secret). The official webhook
 * page states this formula (docs/refs/zalo-2026.md §4.2, superseding docs/refs/platform-apis.md
 * §2.3), and it is what the official SDKs' MacUtils primitive computes. The raw bytes must be the
 * ones received, so the inbound route verifies before anything parses the body.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function oaSignature(appId: string, rawBody: Buffer | string, timestamp: string, secretKey: string): string {
  return createHash('sha256').update(appId, 'utf8').update(rawBody).update(timestamp, 'utf8').update(secretKey, 'utf8').digest('hex');
}

export interface OaSignatureInput {
  appId: string;
  secretKey: string;
  rawBody: Buffer | undefined;
  /** The `timestamp` field of the parsed body. */
  timestamp: string | undefined;
  header: string | undefined;
}

export function verifyOaSignature(input: OaSignatureInput): boolean {
  if (!input.rawBody || input.timestamp === undefined || !input.header || input.secretKey === '') return false;
  const received = input.header.trim().replace(/^mac=/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(received)) return false;
  const expected = oaSignature(input.appId, input.rawBody, input.timestamp, input.secretKey);
  return timingSafeEqual(Buffer.from(received, 'hex'), Buffer.from(expected, 'hex'));
}
