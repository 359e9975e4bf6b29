/**
 * npm run content:graph -- <flow-id> [--lang en] — prints a Mermaid flowchart of one flow, to
 * paste into a GitHub comment, a Markdown file or https://mermaid.live. Without a flow id it
 * lists the flows. Shapes follow the node kind: question {rhombus}, place question [/slanted/],
 * procedure [[subroutine]], office [(cylinder)], handoff ((circle)), say [box]; `goto` is an edge.
 */
import { realpathSync } from 'node:fs';
import { stderr, stdout } from 'node:process';
import { ConfigError, parseConfig } from '../config';
import { formatReport, loadContent } from '../content/index';
import type { CompiledFlow, Content, FlowNode, LocalText, Locale } from '../engine/types';

/** The Mermaid text of one flow; labels in `locale` (falling back to Vietnamese). */
export function mermaidOf(flow: CompiledFlow, content: Content, locale: Locale): string {
  const text = (t: LocalText) => (locale === 'en' ? (t.en ?? t.vi) : t.vi);
  // Mermaid ids allow letters, digits and _; node ids may also hold "-", and "end" is reserved.
  const ids = new Map(Object.keys(flow.nodes).map((id, i) => [id, `n${i}_${id.replace(/[^A-Za-z0-9_]/g, '_')}`]));
  const ref = (id: string) => ids.get(id) ?? `missing_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const label = (s: string) => `"${s.replace(/"/g, '#quot;').replace(/\n+/g, ' ')}"`;

  const lines = ['flowchart TD', `  %% ${flow.id}: ${text(flow.title)} (${flow.file})`, `  start(("${flow.id}")) --> ${ref(flow.start)}`];
  for (const [id, node] of Object.entries(flow.nodes) as Array<[string, FlowNode]>) {
    const me = ref(id);
    switch (node.kind) {
      case 'ask':
        lines.push(`  ${me}{${label(text(node.ask))}}`);
        for (const o of node.options) lines.push(`  ${me} -->|${label(text(o.label))}| ${ref(o.next)}`);
        break;
      case 'ask_place':
        lines.push(`  ${me}[/${label(node.ask_place === true ? `${id}: xã/phường?` : text(node.ask_place))}/]`, `  ${me} --> ${ref(node.next)}`);
        break;
      case 'procedure': {
        const procedure = content.procedures.get(node.procedure);
        const name = procedure ? text(procedure.name) : '(missing)';
        lines.push(`  ${me}[[${label(`${node.procedure}: ${name}${node.office ? ` · ${node.office}` : ''}`)}]]`);
        if (node.next) lines.push(`  ${me} --> ${ref(node.next)}`);
        break;
      }
      case 'office':
        lines.push(`  ${me}[(${label(`office: ${node.office}`)})]`);
        if (node.next) lines.push(`  ${me} --> ${ref(node.next)}`);
        break;
      case 'say':
        lines.push(`  ${me}[${label(text(node.say))}]`);
        if (node.next) lines.push(`  ${me} --> ${ref(node.next)}`);
        break;
      case 'goto':
        lines.push(`  ${me}[${label(`goto ${node.goto}`)}]`, `  ${me} -.-> ${ref(node.goto)}`);
        break;
      case 'handoff':
        lines.push(`  ${me}((${label(node.handoff === true ? 'handoff' : text(node.handoff))}))`);
        break;
      default:
        return assertNever(node);
    }
  }
  return `${lines.join('\n')}\n`;
}

function assertNever(x: never): never {
  throw new Error(`unknown node kind: ${JSON.stringify(x)}`);
}

async function main(args: string[]): Promise<number> {
  const config = parseConfig(process.env);
  const locale: Locale = args.includes('--lang') && args[args.indexOf('--lang') + 1] === 'en' ? 'en' : 'vi';
  const flowId = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--lang');
  const { content, diagnostics } = await loadContent(config.contentDir, { regions: config.regions });
  if (!content) {
    stderr.write(`the content has errors; fix them first (npm run content:lint):\n${formatReport(diagnostics)}\n`);
    return 1;
  }
  const list = () => [...content.flows.values()].map((f) => `  ${f.id.padEnd(24)} ${f.title.vi} (${f.file})`).join('\n');
  if (!flowId) {
    stdout.write(`Flows (npm run content:graph -- <flow-id> [--lang en]):\n${list()}\n`);
    return 0;
  }
  const flow = content.flows.get(flowId);
  if (!flow) {
    stderr.write(`no flow "${flowId}". The flows are:\n${list()}\n`);
    return 1;
  }
  stdout.write(mermaidOf(flow, content, locale));
  return 0;
}

// Run only as a script (`tsx src/cli/graph.ts`), so tests can import mermaidOf.
if (process.argv[1] && import.meta.filename === realpathSync(process.argv[1])) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  }
}
