/** Global commands, matched with the phrases of the real content/settings.yaml. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../src/engine/types';
import { converse, realContent, textOf } from './real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent();
});
const intent = (text: string) => content.intents.match(text);

describe('global intents', () => {
  it.each([
    ['quay lại', 'back'],
    ['quay lai', 'back'],
    ['QUAY LẠI', 'back'],
    ['quay lại'.normalize('NFD'), 'back'],
    ['làm lại', 'restart'],
    ['lam lai', 'restart'],
    ['bắt đầu', 'menu'],
    ['menu', 'menu'],
    ['/start', 'menu'],
    ['/start@thutuc_bot', 'menu'],
    ['trợ giúp', 'help'],
    ['tro giup', 'help'],
    ['tiếng việt', 'lang_vi'],
    ['tieng viet', 'lang_vi'],
    ['gặp cán bộ', 'handoff'],
    ['gap can bo', 'handoff'],
    ['tôi muốn gặp cán bộ ạ', 'handoff'],
  ])('understands Vietnamese "%s" as %s', (text, expected) => {
    expect(intent(text)).toBe(expected);
  });

  it.each([
    ['back', 'back'],
    ['Go back', 'back'],
    ['restart', 'restart'],
    ['start over', 'restart'],
    ['help', 'help'],
    ['English', 'lang_en'],
    ['main menu', 'menu'],
    ['talk to a human please', 'handoff'],
  ])('understands English "%s" as %s', (text, expected) => {
    expect(intent(text)).toBe(expected);
  });

  it('tolerates polite filler words around a short command', () => {
    expect(intent('menu đi')).toBe('menu');
    expect(intent('quay lại nhé')).toBe('back');
  });

  it('tells "quay lại bot" (back to the bot) from "quay lại" (previous question)', () => {
    expect(intent('quay lại bot')).toBe('end_handoff');
    expect(intent('quay lai bot')).toBe('end_handoff');
    expect(intent('quay lại')).toBe('back');
  });

  it('does not take "làm lại căn cước" for restart: it is a request for a new card', () => {
    expect(intent('làm lại căn cước')).toBeUndefined();
    const c = converse(content, ['làm lại căn cước']);
    expect(c.last.events).toContainEqual({ type: 'flow_started', flow: 'can-cuoc' });
  });

  it('does not fire on a sentence that merely contains a command word', () => {
    expect(intent('tôi sẽ quay lại sau')).toBeUndefined();
    expect(intent('menu có gì')).toBeUndefined();
  });

  it('switches language and keeps the current question', () => {
    const c = converse(content, ['lam can cuoc', 'English']);
    expect(c.session.locale).toBe('en');
    expect(textOf(c.last)).toContain('Who is the ID card for?');
    expect(c.session.flow?.node).toBe('who');
    c.say('tiếng việt');
    expect(textOf(c.last)).toContain('Bạn làm thẻ căn cước cho ai?');
  });

  it('says help once outside a flow, and repeats the question inside one', () => {
    const outside = converse(content, ['!start', 'help']);
    expect(outside.last.replies).toHaveLength(1);
    expect(outside.last.replies[0]!.text).toBe(content.t('vi', 'help.body'));
    const inside = converse(content, ['lam can cuoc', 'help']);
    expect(inside.last.replies.map((r) => r.text)).toEqual([content.t('vi', 'help.body'), 'Bạn làm thẻ căn cước cho ai?']);
  });
});
