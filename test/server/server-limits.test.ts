/**
 * Connection limits on the real server (reliability review, minor risks): a cap on sockets and
 * short header/request timeouts, so piled-up or slow clients cannot hold the process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

it('caps connections and bounds how long headers and a request may take to arrive', () => {
  expect(server.server.maxConnections).toBe(2_000);
  expect(server.server.headersTimeout).toBe(15_000);
  expect(server.server.requestTimeout).toBe(30_000);
});
