/**
 * The pieces that understand a message, as pure functions and on the real content: chat
 * shorthand, which language a message is in, what a negation takes away, when a card is
 * allowed, ages answering the ID-card question, and handoff phrasings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isCorrection, withoutNegated } from '../../src/engine/confidence';
import { englishQuery, languageOf } from '../../src/engine/language';
import { fold } from '../../src/engine/normalize';
import { optionFromText } from '../../src/engine/nodes/ask';
import type { AskNode, Content } from '../../src/engine/types';
import { converse, labelsOf, realContent, textOf } from './real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent();
});

describe('chat shorthand', () => {
  it('spells out teencode the way it is meant', () => {
    expect(fold('mk muon lam cccd thi can j')).toBe('minh muon lam cccd thi can gi');
    expect(fold('đc ko ạ')).toBe('duoc khong a');
    expect(fold('lm ntn')).toBe('lam nhu the nao');
    expect(fold('bn oi')).toBe('ban oi');
    expect(fold('mat bn ngay')).toBe('mat bao nhieu ngay');
    expect(fold('gap ng that')).toBe('gap nguoi that');
  });

  it('leaves words alone that are also Vietnamese or place names', () => {
    expect(fold('bị hỏng')).toBe('bi hong');
    expect(fold('xã Ng Sơn')).toBe('xa ng son');
    expect(fold('cảm ơn ạ')).toBe('cam on a');
  });
});

describe('the language of a message', () => {
  it('tells English from Vietnamese with or without diacritics', () => {
    expect(languageOf('I lost my ID card')).toBe('en');
    expect(languageOf('how do I register a birth')).toBe('en');
    expect(languageOf('làm hộ chiếu')).toBe('vi');
    expect(languageOf('toi muon lam ho chieu o dau')).toBe('vi');
    expect(languageOf('lam the nao de doi can cuoc')).toBe('vi');
  });

  it('does not decide on a name, a number or one word', () => {
    expect(languageOf('Hac Thanh ward')).toBeUndefined();
    expect(languageOf('2')).toBeUndefined();
    expect(languageOf('passport')).toBeUndefined();
  });

  it('turns an English question into the Vietnamese words editors gave', () => {
    expect(englishQuery('I lost my ID card', content.settings.english_terms)).toBe('mất thẻ căn cước');
    expect(englishQuery('how do I register a birth', content.settings.english_terms)).toBe('đăng ký khai sinh');
    expect(englishQuery('my son is 10 years old', content.settings.english_terms)).toBe('con 10 tuổi');
  });
});

describe('negations and corrections', () => {
  it('takes away what the citizen says they do not mean, up to a comma', () => {
    expect(withoutNegated('không phải khai sinh, là khai tử')).toBe('la khai tu');
    expect(withoutNegated('cấp lại chứ không phải cấp đổi, cho tôi')).toBe('cap lai cho toi');
    expect(withoutNegated('đăng ký tạm trú thay vì thường trú')).toBe('dang ky tam tru');
    expect(withoutNegated('không phải, tôi muốn đăng ký hộ kinh doanh')).toBe('toi muon dang ky ho kinh doanh');
  });

  it('knows a correction when it sees one', () => {
    expect(isCorrection('ý tôi là cấp lại')).toBe(true);
    expect(isCorrection('nham, tam tru')).toBe(true);
    expect(isCorrection('làm căn cước')).toBe(false);
  });
});

describe('ages answer "for whom"', () => {
  const who: AskNode = {
    kind: 'ask',
    ask: { vi: 'Cho ai?' },
    options: [
      { label: { vi: 'Cho tôi (từ đủ 14 tuổi)' }, next: 'me', match: ['tôi', 'cho tôi'], ages: { min: 14 } },
      { label: { vi: 'Cho con dưới 14 tuổi' }, next: 'child', match: ['con', 'cho con', 'con tôi'], ages: { max: 13 } },
    ],
  };
  it('a 14-year-old child gets the card from 14, a 10-year-old the card under 14', () => {
    expect(optionFromText(who, fold('con tôi 14 tuổi làm căn cước'))?.next).toBe('me');
    expect(optionFromText(who, fold('lam can cuoc cho con 10 tuoi'))?.next).toBe('child');
    expect(optionFromText(who, fold('toi 30 tuoi'))?.next).toBe('me');
    expect(optionFromText(who, fold('làm căn cước'))).toBeUndefined();
  });
});

describe('confidence before a card', () => {
  it('never answers with a card because of one shared word', () => {
    const c = converse(content, ['học lái xe ô tô ở trung tâm nào tốt']);
    expect(c.last.events.some((e) => e.type === 'flow_started')).toBe(false);
    expect(textOf(c.last)).not.toContain('Giấy tờ cần chuẩn bị');
    expect(c.last.events).toContainEqual({ type: 'unmatched', query: 'học lái xe ô tô ở trung tâm nào tốt' });
  });

  it('does not offer driving licences for a construction permit because both say "giấy phép"', () => {
    const c = converse(content, ['xin giấy phép xây dựng nhà ở']);
    expect(c.last.events).not.toContainEqual({ type: 'flow_started', flow: 'giay-phep-lai-xe' });
    expect(labelsOf(c.last)).not.toContain('Giấy phép lái xe (đổi, cấp lại)');
  });

  it('asks which one when two procedures are asked for together', () => {
    const c = converse(content, ['mất căn cước và bằng lái']);
    expect(c.last.events.some((e) => e.type === 'flow_started')).toBe(false);
    expect(textOf(c.last)).toContain(content.t('vi', 'search.did_you_mean'));
    expect(labelsOf(c.last)).toEqual(expect.arrayContaining(['Thẻ căn cước (CCCD)', 'Giấy phép lái xe (đổi, cấp lại)']));
  });

  it('does not take ordinary words for a commune', () => {
    const c = converse(content, ['tôi ở gần chợ']);
    expect(c.last.events.some((e) => e.type === 'place_resolved')).toBe(false);
    expect(c.last.events).toContainEqual({ type: 'unmatched', query: 'tôi ở gần chợ' });
  });
});

describe('handoff phrasings', () => {
  const phrasings = ['cho mình hỏi trực tiếp cán bộ', 'chuyển người thật giúp', 'không muốn nói chuyện với máy', 'hotline', 'I want a human', 'cho mik gap can bo voi', 'gap ng that dc k'];
  it.each(phrasings)('"%s" hands the chat to a person', (q) => {
    const c = converse(content, [q]);
    expect(c.last.events.map((e) => e.type)).toContain('handoff_requested');
  });

  it('promises the person in English when asked in English', () => {
    const c = converse(content, ['I want a human']);
    expect(c.session.locale).toBe('en');
    expect(textOf(c.last)).toContain(content.t('en', 'handoff.opened'));
  });

  it('keeps a longer request that only mentions an office worker', () => {
    const c = converse(content, ['tôi là nhân viên văn phòng, muốn làm hộ chiếu đi công tác nước ngoài']);
    expect(c.last.events.map((e) => e.type)).not.toContain('handoff_requested');
  });
});
