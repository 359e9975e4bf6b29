/**
 * The Zalo OA refresh token works once, so two instances on one PostgreSQL database must
 * never both spend it: both see the access token refused at the same moment, exactly one
 * refresh reaches Zalo (the fake refuses a spent refresh token), and both go on with the new pair.
 */
import { afterEach, describe, expect, it, inject } from 'vitest';
import { OaTokens } from '../../src/channels/zalo-oa/oa-tokens';
import { createLogger } from '../../src/server/logger';
import { createPostgresStore, type PostgresStore } from '../../src/store/postgres/index';
import { ZaloOaFake } from '../fakes/zalo-oa-fake';
import { freshDatabase } from '../helpers/pg-cluster';

const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: OA token refresh across instances SKIPPED\n');

describe.skipIf(!adminUrl)('Zalo OA token refresh across two instances', () => {
  const stores: PostgresStore[] = [];
  let fake: ZaloOaFake | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await fake?.close();
    await drop?.();
  });

  it('refreshes once for both and both use the rotated pair', async () => {
    fake = await ZaloOaFake.start();
    const db = await freshDatabase(adminUrl);
    drop = db.drop;
    const open = async () => {
      const store = await createPostgresStore({ url: db.url, poolSize: 3 });
      stores.push(store);
      return new OaTokens({ docs: store.docs, oauthRoot: fake!.url, appId: fake!.opts.appId, appSecret: fake!.opts.appSecret, initial: { accessToken: 'AT-initial', refreshToken: 'RT-initial' }, logger: createLogger('silent'), now: Date.now });
    };
    const [a, b] = [await open(), await open()];
    expect([await a.accessToken(), await b.accessToken()]).toEqual(['AT-initial', 'AT-initial']);
    fake.expireAccessToken();
    const tokens = await Promise.all([a.refreshAfterFailure('AT-initial'), b.refreshAfterFailure('AT-initial'), a.refreshAfterFailure('AT-initial'), b.refreshAfterFailure('AT-initial')]);
    expect(tokens).toEqual(['AT-1', 'AT-1', 'AT-1', 'AT-1']);
    expect(fake.calls.filter((c) => c.method === 'oauth/access_token')).toHaveLength(1);
    // The next expiry: whoever notices refreshes with the pair the other stored.
    fake.expireAccessToken();
    expect(await b.refreshAfterFailure('AT-1')).toBe('AT-2');
    expect(await a.refreshAfterFailure('AT-1')).toBe('AT-2');
    expect(fake.calls.filter((c) => c.method === 'oauth/access_token')).toHaveLength(2);
  });
});
