/**
 * What the bot says for the records the national data marks as not confirmed, with REGIONS=all,
 * through the pure engine and the real content.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../src/engine/types';
import { converse, labelsOf, realContent, textOf } from '../engine/real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent('all');
}, 60_000);

describe('not confirmed, said so (REGIONS=all)', () => {
  it('a doubtful old record names its own province’s resolution and does not state a link', () => {
    const c = converse(content, ['xã Nham Sơn, thành phố Bắc Giang cũ']);
    const text = textOf(c.last);
    expect(text).toContain('không được nêu trong Nghị quyết 1658/NQ-UBTVQH15');
    expect(text).not.toContain('Phường Bắc Giang');
  });

  it('a link only one source confirms is answered, with the warning', () => {
    const c = converse(content, ['xã Thạch Lâm, huyện Bảo Lâm, tỉnh Cao Bằng cũ giờ là xã nào']);
    const text = textOf(c.last);
    expect(text).toContain('nay thuộc xã Quảng Lâm, tỉnh Cao Bằng');
    expect(text).toContain('mới được một nguồn xác nhận');
  });

  it('a split old unit names every part and offers a person', () => {
    const c = converse(content, ['xã Văn Khê, huyện Mê Linh cũ']);
    expect(textOf(c.last)).toContain('đã được chia cho nhiều đơn vị mới');
    expect(textOf(c.last)).toContain('mới được một nguồn xác nhận');
    expect(labelsOf(c.last)).toEqual(expect.arrayContaining(['Xã Ô Diên', 'Xã Mê Linh', 'Tôi không rõ, hỏi cán bộ']));
  });
});
