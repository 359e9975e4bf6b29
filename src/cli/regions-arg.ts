/**
 * Which regions a content CLI (coverage, content:table) compiles: REGIONS from the environment
 * when set, else the default deployment's (REGIONS=thanh-hoa) when the tree has it, else every
 * region the tree has (a test fixture). The transcripts are written for the default deployment.
 */
import { parseConfig } from '../config';
import type { ContentFiles, RegionSelection } from '../content/lint';

export function regionsFor(files: ContentFiles, env: Record<string, string | undefined> = process.env): RegionSelection {
  if (env.REGIONS?.trim()) return parseConfig({ REGIONS: env.REGIONS }).regions;
  const defaults = parseConfig({}).regions;
  return defaults !== 'all' && defaults.every((slug) => files.has(`content/regions/${slug}/units.json`)) ? defaults : 'all';
}
