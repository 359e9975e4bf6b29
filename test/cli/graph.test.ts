/** `npm run content:graph`: the Mermaid text of a flow, and the list of flows without an argument. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { mermaidOf } from '../../src/cli/graph';
import { loadContent } from '../../src/content/index';
import type { CompiledFlow, Content } from '../../src/engine/types';

const ROOT = path.resolve(import.meta.dirname, '../..');

let content: Content;
beforeAll(async () => {
  const loaded = await loadContent(ROOT, { regions: ['thanh-hoa'] });
  if (!loaded.content) throw new Error('the shipped content does not load');
  content = loaded.content;
});

/** Mermaid edges "a -->|label| b" / "a --> b" / "a -.-> b" as [from, to]. */
function edges(mermaid: string): Array<[string, string]> {
  return [...mermaid.matchAll(/^\s+(\S+) -(?:->|\.->)(?:\|"[^"]*"\|)? (\S+)$/gm)].map((m) => [m[1]!, m[2]!]);
}

describe('mermaidOf', () => {
  it('draws every node of a shipped flow once and every option as an edge to its next node', () => {
    for (const flow of content.flows.values()) {
      const out = mermaidOf(flow, content, 'vi');
      expect(out.startsWith('flowchart TD\n')).toBe(true);
      const idOf = (node: string) => new RegExp(`^  (n\\d+_${node.replace(/-/g, '_')})[\\[{(]`, 'm').exec(out)?.[1];
      for (const node of Object.keys(flow.nodes)) expect(idOf(node), `${flow.id}/${node}`).toBeDefined();
      const drawn = edges(out);
      for (const [node, def] of Object.entries(flow.nodes)) {
        const targets = def.kind === 'ask' ? def.options.map((o) => o.next) : 'next' in def && def.next ? [def.next] : [];
        for (const next of targets) expect(drawn).toContainEqual([idOf(node), idOf(next)]);
      }
    }
  });

  it('labels the ID-card flow with its questions, options and procedure names', () => {
    const out = mermaidOf(content.flows.get('can-cuoc')!, content, 'vi');
    expect(out).toContain('{"Bạn làm thẻ căn cước cho ai?"}');
    expect(out).toContain('-->|"Cho con dưới 14 tuổi"|');
    expect(out).toMatch(/\[\["cap-the-can-cuoc: [^"]+"\]\]/);
    expect(mermaidOf(content.flows.get('can-cuoc')!, content, 'en')).toContain('{"Who is the ID card for?"}');
  });

  it('gives every node kind its shape and keeps ids and labels valid Mermaid', () => {
    const flow = {
      id: 'demo',
      file: 'flows/demo.yaml',
      title: { vi: 'Thử' },
      start: 'end',
      nodes: {
        end: { kind: 'say', say: { vi: 'Câu có "ngoặc kép"\nvà xuống dòng' }, next: 'go-on' },
        'go-on': { kind: 'goto', goto: 'office-x' },
        'office-x': { kind: 'office', office: 'police', next: 'person' },
        person: { kind: 'handoff', handoff: true },
      },
    } as unknown as CompiledFlow;
    const out = mermaidOf(flow, content, 'vi');
    expect(out).toContain('start(("demo")) --> n0_end');
    expect(out).toContain('n0_end["Câu có #quot;ngoặc kép#quot; và xuống dòng"]');
    expect(out).toContain('n1_go_on -.-> n2_office_x');
    expect(out).toContain('n2_office_x[("office: police")]');
    expect(out).toContain('n3_person(("handoff"))');
  });
});

describe('npm run content:graph', () => {
  it('lists the flows without an argument and refuses an unknown flow id', async () => {
    const run = promisify(execFile);
    const list = await run('npx', ['tsx', 'src/cli/graph.ts'], { cwd: ROOT });
    for (const id of content.flows.keys()) expect(list.stdout).toMatch(new RegExp(`^  ${id} `, 'm'));
    const missing = await run('npx', ['tsx', 'src/cli/graph.ts', 'no-such-flow'], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('no flow "no-such-flow"') });
  });
});
