/**
 * Places with every province loaded (REGIONS=all) against the default (REGIONS=thanh-hoa): the
 * server's start-up (content read, linted and compiled, place index built), its RSS once
 * serving, and place resolution over all 20,104 old-name queries of the national data (two per
 * old record: "xã … cũ" and "…, huyện …"). Each setting runs in its own process.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ms } from './percentile';
import type { Row } from './section';

export const name = 'places';
export const title = 'places (34 provinces)';

interface Probe {
  regions: number;
  units: number;
  startMs: number;
  loadMs: number;
  firstMs: number;
  rssServing: number;
  queries: number;
  p50: number;
  p99: number;
  max: number;
}

async function probe(regions: string): Promise<Probe> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(import.meta.dirname, 'places-probe.ts'), regions], { cwd: path.resolve(import.meta.dirname, '..'), maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Probe;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function run(): Promise<Row[]> {
  const one = await probe('thanh-hoa');
  const all = await probe('all');
  const growth = all.rssServing - one.rssServing;
  return [
    { measure: 'REGIONS=thanh-hoa: server start-up', value: ms(one.startMs) },
    { measure: 'REGIONS=thanh-hoa: RSS serving', value: mb(one.rssServing) },
    { measure: 'REGIONS=thanh-hoa: first miss (builds the other 33 provinces’ index)', value: ms(one.firstMs) },
    { measure: `REGIONS=all: server start-up (${all.regions} regions, ${all.units} units)`, value: ms(all.startMs), goal: '≤ 1500 ms', met: all.startMs <= 1500 },
    { measure: 'REGIONS=all: content load (read, lint, compile, index)', value: ms(all.loadMs) },
    { measure: 'REGIONS=all: RSS serving', value: mb(all.rssServing) },
    { measure: 'REGIONS=all: RSS growth over thanh-hoa', value: mb(growth), goal: '≤ 150 MB', met: growth <= 150 * 1024 * 1024 },
    { measure: `REGIONS=all: place resolve p50 (${all.queries} old names)`, value: ms(all.p50) },
    { measure: 'REGIONS=all: place resolve p99', value: ms(all.p99), goal: '≤ 2 ms', met: all.p99 <= 2 },
    { measure: 'REGIONS=all: place resolve max', value: ms(all.max) },
  ];
}
