/** The conversation engine: `step(content, session, input, now)` on the real content. */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_STACK } from '../../src/engine/flow-walk';
import { newSession, step } from '../../src/engine/step';
import type { Content, Session } from '../../src/engine/types';
import { converse, inputOf, labelsOf, optionId, realContent, T0, textOf } from './real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent();
});

describe('numbered input', () => {
  it('picks the numbered option of the current question', () => {
    const c = converse(content, ['lam can cuoc', '2']);
    expect(c.session.flow?.node).toBe('child-where');
    const d = converse(content, ['lam can cuoc', ' 1. ']);
    expect(d.session.flow?.node).toBe('case');
  });

  it('picks command options by number too', () => {
    const c = converse(content, ['lam can cuoc', '2', 'hac thanh']);
    expect(c.session.flow?.done).toBe(true);
    expect(labelsOf(c.last).at(1)).toBe(content.t('vi', 'after.menu'));
    c.say('2');
    expect(c.session.flow).toBeUndefined();
    expect(c.session.pending?.kind).toBe('menu');
  });

  it('does not pick anything with a number no option has', () => {
    const c = converse(content, ['lam can cuoc', '7']);
    expect(c.session.flow?.node).toBe('who');
    expect(c.last.events).toContainEqual({ type: 'unmatched', query: '7', flow: 'can-cuoc', node: 'who' });
  });
});

describe('idle return', () => {
  const idle = () => content.settings.idle_minutes;

  it('tells a citizen back after the idle time where they were, and offers to go on or start over', () => {
    const c = converse(content, ['lam can cuoc', '1']);
    c.say('lần đầu', idle() + 15);
    expect(textOf(c.last)).toBe(`${content.t('vi', 'resume.welcome_back')}\nBạn đang ở bước 2/4 của thủ tục "Thẻ căn cước (CCCD)". Bạn muốn tiếp tục hay bắt đầu lại?`);
    expect(labelsOf(c.last)).toEqual([content.t('vi', 'resume.continue'), content.t('vi', 'resume.restart'), content.t('vi', 'after.menu')]);
    expect(c.session.flow?.node).toBe('case');
    c.say('2');
    expect(c.session.flow?.node).toBe('who');
    expect(c.last.events).toContainEqual({ type: 'flow_started', flow: 'can-cuoc' });
  });

  it('says it in English for an English session', () => {
    const c = converse(content, ['id card', '1'], 'en');
    c.say('first', idle() + 1);
    expect(textOf(c.last)).toContain('step 2/4');
  });

  it('answers normally before the idle time is up', () => {
    const c = converse(content, ['lam can cuoc', '1']);
    c.say('lần đầu', idle() - 1);
    expect(c.session.flow?.node).toBe('first-where');
  });

  it('does not interrupt a citizen whose flow already reached its answer', () => {
    const c = converse(content, ['lam can cuoc', '2', 'hac thanh']);
    c.say('menu', idle() * 10);
    expect(c.session.pending?.kind).toBe('menu');
  });
});

describe('stale choices', () => {
  it('refuses a button of an earlier question and asks the current one again', () => {
    const c = converse(content, ['lam can cuoc']);
    const old = optionId(c.last, 'Cho con dưới 14 tuổi');
    c.say('1');
    const r = c.say(`#${old}`);
    expect(r.events).toContainEqual({ type: 'stale_choice', choice: old });
    expect(r.replies[0]!.text).toBe(content.t('vi', 'stale.choice'));
    expect(c.session.flow?.node).toBe('case');
    // The repeated question has fresh ids, and they work.
    c.say(`#${optionId(r, 'Cấp lại (bị mất, hư hỏng)')}`);
    expect(c.session.flow?.node).toBe('lost-where');
  });

  it('treats an unknown command id from a client as stale, not as a crash', () => {
    const c = converse(content, ['lam can cuoc']);
    const r = c.say('#cmd:drop_tables');
    expect(r.events).toEqual(expect.arrayContaining([{ type: 'stale_choice', choice: 'cmd:drop_tables' }]));
    expect(c.session.flow?.node).toBe('who');
  });
});

describe('answers that look like commands', () => {
  it('takes an exact answer to the current question over a global command with the same words', async () => {
    const { contentWith } = await import('./real-content');
    const withFlow = await contentWith(
      {
        'flows/the.yaml': ['id: the', 'title: Thẻ thử', 'match: [thẻ thử nghiệm]', 'start: case', 'nodes:', '  case:', '    ask: Bạn cần gì?', '    options:', '      - { label: Cấp mới, next: new }', '      - { label: Cấp lại thẻ bị mất, next: lost, match: [làm lại, mất thẻ] }', '  new: { say: Cấp mới. }', '  lost: { say: Cấp lại. }', ''].join('\n'),
      },
      { onlyTheseFlows: true },
    );
    expect(withFlow.intents.match('làm lại')).toBe('restart');
    const c = converse(withFlow, ['thẻ thử nghiệm', 'làm lại']);
    expect(c.session.flow?.node).toBe('lost');
    // Where no option answers to it, "làm lại" is still the restart command.
    c.say('làm lại');
    expect(c.session.flow?.node).toBe('case');
    expect(c.last.events).toContainEqual({ type: 'flow_started', flow: 'the' });
  });
});

describe('another request at the place question', () => {
  it('offers what was asked for and keeps the place question open', () => {
    const c = converse(content, ['lam can cuoc', '1', 'lan dau']);
    expect(c.session.pending?.kind).toBe('place');
    c.say('khai sinhf');
    expect(c.last.events.map((e) => e.type)).not.toContain('unmatched');
    expect(labelsOf(c.last)).toEqual(expect.arrayContaining(['Đăng ký khai sinh', content.t('vi', 'search.keep_going')]));
    expect(c.session.flow).toMatchObject({ id: 'can-cuoc', node: 'first-where' });
    c.say(`#${optionId(c.last, content.t('vi', 'search.keep_going'))}`);
    expect(c.session.pending?.kind).toBe('place');
    c.say(`xã Đông Lĩnh cũ`);
    expect(c.session.flow).toMatchObject({ id: 'can-cuoc', node: 'first', done: true });
  });

  it('still says a place was not found when the text is no request either', () => {
    const c = converse(content, ['lam can cuoc', '1', 'lan dau', 'xã Không Có Thật']);
    expect(c.last.events).toContainEqual(expect.objectContaining({ type: 'unmatched' }));
    expect(textOf(c.last)).toContain(content.t('vi', 'place.not_found'));
  });
});

describe('greetings', () => {
  it('answers a greeting with the menu, also when the session already exists', () => {
    const c = converse(content, ['xin chào']);
    expect(c.session.pending?.kind).toBe('menu');
    expect(textOf(c.last)).toContain(content.t('vi', 'menu.greeting'));
    c.say('chào bạn');
    expect(c.session.pending?.kind).toBe('menu');
  });
});

describe('session size', () => {
  it('stays small and bounded over 500 turns of mixed use', () => {
    const script = ['lam can cuoc', '1', '2', 'quay lại', '3', 'phường Hạc Thành', 'quay lại', 'xã Đông Lĩnh cũ', 'khai sinh', '2', 'English', 'xyz', 'back', 'restart', 'tạm trú', '1', 'quay lại', 'menu', 'gặp cán bộ', 'quay lại bot'];
    let session: Session = newSession('vi', T0);
    let largest = 0;
    const sizes: number[] = [];
    for (let i = 0; i < 500; i++) {
      session = step(content, session, inputOf(script[i % script.length]!), T0 + i * 10_000).session;
      // Option ids carry the prompt counter, whose digits grow up to its wrap-around; not counted.
      const size = JSON.stringify(session).replace(/p\d+\./g, 'p.').replace(/"seq":\d+/, '"seq":0').length;
      sizes.push(size);
      largest = Math.max(largest, size);
      expect(session.flow?.stack.length ?? 0).toBeLessThanOrEqual(MAX_STACK);
    }
    expect(largest).toBeLessThan(3_000);
    // The same 20-turn cycle costs the same at the end as near the start: nothing accumulates.
    expect(sizes.slice(-20)).toEqual(sizes.slice(20, 40));
  });

  it('keeps the back stack bounded in a flow that loops', async () => {
    const { contentWith } = await import('./real-content');
    const looping = await contentWith({
      'flows/zz-loop.yaml': ['id: zz-loop', 'title: Vòng lặp thử', 'match: [vòng lặp thử]', 'start: a', 'nodes:', '  a:', '    ask: Tiếp?', '    options:', '      - { label: Lại, next: a }', '      - { label: Xong, next: done }', '  done: { say: Xong rồi }', ''].join('\n'),
    });
    let session: Session = step(looping, newSession('vi', T0), { kind: 'text', value: 'vòng lặp thử' }, T0).session;
    for (let i = 1; i <= 200; i++) session = step(looping, session, { kind: 'text', value: '1' }, T0 + i * 1000).session;
    expect(session.flow?.node).toBe('a');
    expect(session.flow?.stack).toHaveLength(MAX_STACK);
  });
});

describe('purity', () => {
  function deepFreeze<T>(o: T): T {
    if (o && typeof o === 'object') {
      for (const v of Object.values(o)) deepFreeze(v);
      Object.freeze(o);
    }
    return o;
  }

  it('gives the same result for the same content, session, input and time', () => {
    const { session } = converse(content, ['lam can cuoc', '1']);
    const a = step(content, session, { kind: 'text', value: 'lần đầu' }, T0 + 60_000);
    const b = step(content, session, { kind: 'text', value: 'lần đầu' }, T0 + 60_000);
    expect(b).toEqual(a);
  });

  it('never changes the session it was given', () => {
    const { session } = converse(content, ['lam can cuoc', '1']);
    const before = JSON.stringify(session);
    deepFreeze(session);
    for (const value of ['lần đầu', 'quay lại', 'làm lại', 'xyz', 'menu', 'gặp cán bộ', 'English']) {
      expect(() => step(content, session, { kind: 'text', value }, T0 + 60_000)).not.toThrow();
    }
    expect(() => step(content, session, { kind: 'choice', value: 'p1.1' }, T0 + 60 * 60_000)).not.toThrow();
    expect(JSON.stringify(session)).toBe(before);
  });

  it('starts a Vietnamese session when given none', () => {
    const r = step(content, undefined, { kind: 'start' }, T0);
    expect(r.session).toMatchObject({ version: 1, locale: 'vi', misses: 0, updatedAt: T0 });
    expect(r.session.pending?.kind).toBe('menu');
  });
});
