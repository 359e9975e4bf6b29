/** Posts a webhook to the bot under test the way a platform does, and random bodies for fuzzing. */
export async function postWebhook(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const raw = typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: res.status, text: await res.text() };
}

/** Small seeded PRNG (mulberry32), so a failing fuzz run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random request body: mostly hostile (not JSON, wrong JSON types, mangled copies of real
 * payloads with keys removed or retyped, deep nesting, odd unicode), sometimes a real payload.
 * Returns the raw text and the content type to send it with.
 */
export function randomBody(rand: () => number, samples: unknown[]): { raw: string; contentType: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const value = (depth: number): unknown => {
    const r = rand();
    if (depth > 3 || r < 0.2) return pick([null, true, false, 0, -1, 2 ** 53 + 1, 1.5, '', 'x', '😀'.repeat(3), '\u0000', 'đ'.repeat(50), '/start', '1', 'p1.1']);
    if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [pick(['update_id', 'message', 'callback_query', 'chat', 'id', 'text', 'ok', 'result', 'event_name', 'sender', 'timestamp', 'msg_id', 'message_id', 'data', 'from', 'x']), value(depth + 1)]));
  };
  const mangle = (sample: unknown, depth = 0): unknown => {
    if (typeof sample !== 'object' || sample === null || depth > 4) return rand() < 0.3 ? value(3) : sample;
    if (Array.isArray(sample)) return sample.map((s) => mangle(s, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(sample)) {
      const r = rand();
      if (r < 0.15) continue; // drop the key
      out[k] = r < 0.3 ? value(2) : mangle(v, depth + 1);
    }
    return out;
  };
  const r = rand();
  if (r < 0.15) return { raw: Array.from({ length: Math.floor(rand() * 200) }, () => String.fromCharCode(Math.floor(rand() * 0x7f))).join(''), contentType: 'application/json' };
  if (r < 0.2) return { raw: '{"update_id": 1, "message": ', contentType: 'application/json' };
  if (r < 0.25) return { raw: 'update_id=1&message=hi', contentType: pick(['application/x-www-form-urlencoded', 'text/plain']) };
  if (r < 0.3) return { raw: `${'['.repeat(5000)}${']'.repeat(5000)}`, contentType: 'application/json' };
  if (r < 0.55) return { raw: JSON.stringify(value(0)), contentType: 'application/json' };
  return { raw: JSON.stringify(mangle(pick(samples))), contentType: 'application/json' };
}
