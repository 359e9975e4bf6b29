import { describe, expect, it } from 'vitest';
import { editDistance, fold, nearlyEqual, stripDiacritics, tokens, untelex } from '../../src/engine/normalize';
import { matchOption } from '../../src/engine/option-match';

describe('fold', () => {
  it('folds precomposed (NFC) and combining-mark (NFD) input to the same text', () => {
    const nfc = 'Làm căn cước ở đâu?'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(fold(nfc)).toBe('lam can cuoc o dau');
    expect(fold(nfd)).toBe('lam can cuoc o dau');
  });

  it('turns đ and Đ into d, in NFC and in NFD', () => {
    expect(fold('Đăng ký đất đai')).toBe('dang ky dat dai');
    expect(fold('ĐĂNG KÝ ĐẤT ĐAI'.normalize('NFD'))).toBe('dang ky dat dai');
    expect(stripDiacritics('Đđ')).toBe('dd');
  });

  it('ignores case, punctuation and extra spaces', () => {
    expect(fold('  LÀM   Căn-Cước!!! ')).toBe('lam can cuoc');
    expect(fold('khai sinh, kết hôn; khai tử…')).toBe('khai sinh ket hon khai tu');
  });

  it('undoes leftover Telex keystrokes', () => {
    expect(fold('khai sinhf')).toBe('khai sinh');
    expect(fold('caan cuowcs')).toBe('can cuoc');
    expect(fold('ddaang kys tajm truws')).toBe('dang ky tam tru');
    expect(fold('ddoor tuowir')).toBe('do tuoi');
    expect(fold('cuowsc')).toBe('cuoc'); // tone key typed before the final consonant
  });

  it('keeps words Telex undoing must not touch', () => {
    expect(untelex('xoong')).toBe('xoong');
    expect(fold('cccd gplx lltp hkd dkks')).toBe('cccd gplx lltp hkd dkks'); // no vowel: abbreviations
    expect(fold('số 14 tuổi')).toBe('so 14 tuoi');
  });

  it('splits into folded words in order', () => {
    expect(tokens('Thẻ Căn cước (CCCD)')).toEqual(['the', 'can', 'cuoc', 'cccd']);
    expect(tokens('')).toEqual([]);
  });
});

describe('typos', () => {
  it('measures edits and stops counting past the cap', () => {
    expect(editDistance('cuoc', 'cuoc')).toBe(0);
    expect(editDistance('cuoc', 'cuocc')).toBe(1);
    expect(editDistance('sinh', 'snih')).toBe(2);
    expect(editDistance('thuong', 'khac', 1)).toBe(2);
  });

  it('treats words of four or more letters one edit apart as the same word', () => {
    expect(nearlyEqual('sinh', 'sinhh')).toBe(true);
    expect(nearlyEqual('thuong', 'thuog')).toBe(true);
    expect(nearlyEqual('dau', 'dai')).toBe(false); // short words must match exactly
    expect(nearlyEqual('dong', 'hong')).toBe(false); // four-letter syllables one letter apart are other words
    expect(nearlyEqual('khai', 'khac')).toBe(false);
    expect(nearlyEqual('thuong', 'thoung')).toBe(false); // two edits
  });

  it('picks the option a one-letter typo was meant for, and none when two fit equally', () => {
    const options = [['Làm lần đầu'], ['Cấp đổi'], ['Cấp lại (bị mất, hư hỏng)']];
    expect(matchOption('lan dau', options, new Set())).toBe(0);
    expect(matchOption('bi hongg', options, new Set())).toBe(2);
    expect(matchOption('cap', [['Cấp đổi'], ['Cấp lại']], new Set())).toBeUndefined();
    expect(matchOption('xin chào', options, new Set())).toBeUndefined();
    const residence = [['Đăng ký thường trú'], ['Đăng ký tạm trú']];
    expect(matchOption('thuongg tru', residence, new Set())).toBe(0);
    // Three-letter syllables are too close to each other to forgive a typo ("dau"/"dai"/"dao").
    expect(matchOption('tamm truu', residence, new Set())).toBeUndefined();
  });
});
