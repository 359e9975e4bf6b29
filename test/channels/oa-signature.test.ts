/**
 * Zalo OA webhook signature: SHA-256 hex of appId + raw body + timestamp + OA secret key, sent
 * as "mac=<hex>" in X-ZEvent-Signature. The expected values are computed here independently
 * (one digest over the concatenated string) from the formula in docs/refs/zalo-2026.md §4.2 (and docs/refs/platform-apis.md §2.3).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { oaSignature, verifyOaSignature } from '../../src/channels/zalo-oa/signature';

const appId = '1234567890123456789';
const secretKey = 'oa-secret-key-from-webhook-settings';
const raw = Buffer.from('{"app_id":"1234567890123456789","event_name":"user_send_text","timestamp":"1764063000123","sender":{"id":"8273645190283746501"},"message":{"text":"làm căn cước ở đâu","msg_id":"8a1f"}}');
const timestamp = '1764063000123';
const expected = createHash('sha256').update(`${appId}${raw.toString('utf8')}${timestamp}${secretKey}`).digest('hex');

describe('Zalo OA signature', () => {
  it('is the SHA-256 of app id, raw body, timestamp and OA secret key', () => {
    expect(oaSignature(appId, raw, timestamp, secretKey)).toBe(expected);
  });

  it('accepts the header with and without the mac= prefix, in either case', () => {
    for (const header of [`mac=${expected}`, expected, `MAC=${expected.toUpperCase()}`, ` mac=${expected} `]) {
      expect(verifyOaSignature({ appId, secretKey, rawBody: raw, timestamp, header })).toBe(true);
    }
  });

  it('rejects a signature made for another body', () => {
    const other = Buffer.from(raw.toString('utf8').replace('ở đâu', 'ở đâu?'));
    expect(verifyOaSignature({ appId, secretKey, rawBody: other, timestamp, header: `mac=${expected}` })).toBe(false);
  });

  it('rejects a signature made with the app secret instead of the OA secret key', () => {
    const wrong = createHash('sha256').update(`${appId}${raw.toString('utf8')}${timestamp}app-secret`).digest('hex');
    expect(verifyOaSignature({ appId, secretKey, rawBody: raw, timestamp, header: `mac=${wrong}` })).toBe(false);
  });

  it('rejects another timestamp, a missing header, a malformed header and an empty key', () => {
    expect(verifyOaSignature({ appId, secretKey, rawBody: raw, timestamp: '1764063000124', header: `mac=${expected}` })).toBe(false);
    expect(verifyOaSignature({ appId, secretKey, rawBody: raw, timestamp, header: undefined })).toBe(false);
    expect(verifyOaSignature({ appId, secretKey, rawBody: raw, timestamp, header: 'mac=xyz' })).toBe(false);
    expect(verifyOaSignature({ appId, secretKey: '', rawBody: raw, timestamp, header: `mac=${createHash('sha256').update(`${appId}${raw.toString('utf8')}${timestamp}`).digest('hex')}` })).toBe(false);
    expect(verifyOaSignature({ appId, secretKey, rawBody: undefined, timestamp, header: `mac=${expected}` })).toBe(false);
  });
});
