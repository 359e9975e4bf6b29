/** Loads a real-shaped webhook payload from test/fixtures/<channel>/<name>.json (a fresh copy each time). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(import.meta.dirname, '../fixtures');

export function fixture<T = Record<string, any>>(channel: 'telegram' | 'zalo-bot' | 'zalo-oa', name: string): T {
  return JSON.parse(readFileSync(path.join(DIR, channel, `${name}.json`), 'utf8')) as T;
}
