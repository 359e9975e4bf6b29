/**
 * Generated over the catalogue: a record's own name, typed as a message, answers with that
 * record's card or asks with it among the options — never with another procedure's card or a
 * flow, except a record or a curated flow built on a record with the same name at another level
 * (the one handled in the province answers). Every SAMPLE-th record no curated file covers, on the
 * pure engine (thousands of questions over HTTP would cost minutes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { namePhrase } from '../../src/content/record-phrase';
import { newSession, step } from '../../src/engine/step';
import type { Content } from '../../src/engine/types';
import { realContent, T0 } from '../engine/real-content';

const SAMPLE = 40;
let content: Content;
beforeAll(async () => {
  content = await realContent();
});

describe("a record's own name as a message", () => {
  it('answers with its card or asks with it; another card only for the same name at another level', () => {
    const phrase = (code: string) => namePhrase(content.catalogue.entry(code)?.name ?? '').join(' ');
    /** The records a flow's procedures are built on. */
    const flowRecords = (id: string) =>
      Object.values(content.flows.get(id)?.nodes ?? {}).flatMap((n) => (n.kind === 'procedure' ? [content.procedures.get(n.procedure)?.code ?? ''] : []));
    const served = content.catalogue.entries.filter((e) => !content.curatedByCode.has(e.code));
    const outcomes = { card: 0, asked: 0, sameName: 0, other: [] as string[], none: 0 };
    served.forEach((e, i) => {
      if (i % SAMPLE !== 0) return;
      const r = step(content, newSession('vi', T0), { kind: 'text', value: e.name }, T0 + 1000);
      const cards = r.events.flatMap((x) => (x.type === 'matched' && /^(record|procedure):/.test(x.target) ? [x.target] : []));
      const flows = r.events.flatMap((x) => (x.type === 'flow_started' ? [x.flow] : []));
      const offered = (r.session.pending?.options ?? []).flatMap((o) => (o.action.do === 'record' && !o.action.part ? [o.action.code] : []));
      const own = phrase(e.code);
      if (cards.includes(`record:${e.code}`)) outcomes.card++;
      else if (cards.length === 0 && flows.length === 0) offered.includes(e.code) ? outcomes.asked++ : outcomes.none++;
      else {
        const codes = [
          ...cards.map((c) => (c.startsWith('record:') ? c.slice(7) : content.procedures.get(c.slice(10))?.code ?? '')),
          ...flows.flatMap(flowRecords),
        ];
        if (codes.some((code) => phrase(code) === own)) outcomes.sameName++;
        else outcomes.other.push(`${e.code} "${e.name}" → ${[...cards, ...flows].join(', ')}`);
      }
    });
    expect(outcomes.other).toEqual([]);
    const total = outcomes.card + outcomes.asked + outcomes.sameName + outcomes.none;
    expect(total).toBeGreaterThan(100);
    // Most names are answered outright; the rest are asked about (several records share them).
    expect(outcomes.card / total).toBeGreaterThan(0.85);
    expect(outcomes.none / total).toBeLessThan(0.02);
  });
});
