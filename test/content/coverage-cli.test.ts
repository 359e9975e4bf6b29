/** `npm run content:coverage`, run as a real process on fixture trees. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../engine/real-content';

const run = promisify(execFile);
const FIXTURES = path.join(ROOT, 'test/fixtures/content');

async function coverage(fixture: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/coverage.ts', path.join(FIXTURES, fixture)], { cwd: ROOT });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string };
    return { code: err.code ?? -1, out: err.stdout ?? '' };
  }
}

describe('content:coverage', () => {
  it('prints node and edge coverage per flow and exits 0 when every node is entered', async () => {
    const { code, out } = await coverage('valid');
    expect(out).toMatchInlineSnapshot(`
      "flow  nodes        edges
      giay    3/3  100%    2/2  100%

      2 transcripts in 1 file, 0 failing steps
      "
    `);
    expect(code).toBe(0);
  });

  it('lists the nodes no transcript enters, with file:line:col, and exits 1', async () => {
    const { code, out } = await coverage('coverage-gap');
    expect(out).toMatchInlineSnapshot(`
      "flow  nodes       edges
      giay    2/3  66%    1/2  50%

      1 transcript in 1 file, 0 failing steps

      nodes no transcript enters:
        flows/giay.yaml:14:3 giay/nguoi

      transitions no transcript takes:
        giay: hoi>nguoi
      "
    `);
    expect(code).toBe(1);
  });

  it('prints failing transcript steps with file:line:col and exits 1', async () => {
    const { code, out } = await coverage('transcript-fails');
    expect(out).toContain('2 transcripts in 1 file, 1 failing step');
    expect(out).toContain('flows/_tests/giay.yaml:6:7 error [transcript] "cấp mới" step 2 (choose: "cấp mới"):\n  - expected the reply to contain "Lệ phí: 50.000 đồng"');
    expect(code).toBe(1);
  });

  it('refuses to measure content that does not lint', async () => {
    const { code, out } = await coverage('dead-end');
    expect(out).toContain('flows/giay.yaml:17:3 error [dead-end]');
    expect(code).toBe(1);
  });
});
