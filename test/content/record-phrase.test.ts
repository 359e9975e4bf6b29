import { describe, expect, it } from 'vitest';
import { longestRun, namePhrase } from '../../src/content/record-phrase';
import { tokens } from '../../src/engine/normalize';

describe('namePhrase: a record name as a citizen says it', () => {
  it('drops the level in brackets, but keeps a bracket that says what the procedure is', () => {
    expect(namePhrase('Hưởng trợ cấp thất nghiệp (Cấp tỉnh)').join(' ')).toBe('huong tro cap that nghiep');
    expect(namePhrase('Cấp lại thẻ bảo hiểm y tế (thực hiện tại cấp trung ương)').join(' ')).toBe('cap lai the bao hiem y te');
    expect(namePhrase('Cấp Giấy chứng nhận xuất xứ hàng hoá (C/O) ưu đãi mẫu D').join(' ')).toContain('c o');
  });

  it('drops the office\'s opening words, and a leading "Cấp" unless it says which issue ("cấp lại", "cấp đổi")', () => {
    expect(namePhrase('Thủ tục đăng ký lại khai sinh').join(' ')).toBe('dang ky lai khai sinh');
    expect(namePhrase('Giải quyết hưởng chế độ tử tuất').join(' ')).toBe('huong che do tu tuat');
    expect(namePhrase('Cấp giấy phép lái xe quốc tế').join(' ')).toBe('giay phep lai xe quoc te');
    expect(namePhrase('Cấp lại Giấy chứng sinh').join(' ')).toBe('cap lai giay chung sinh');
  });

  it('keeps a short name whole rather than leave one or two words', () => {
    expect(namePhrase('Thủ tục cấp phép bay').join(' ')).toBe('cap phep bay');
    expect(namePhrase('Đề nghị khoanh nợ').join(' ')).toBe('de nghi khoanh no');
  });
});

describe('longestRun', () => {
  const run = (message: string, name: string) => longestRun(tokens(message), namePhrase(name));
  it('counts the words of the name said in a row, wherever they are in the message', () => {
    expect(run('tạm dừng hưởng trợ cấp thất nghiệp vì đã có việc làm', 'Tạm dừng hưởng trợ cấp thất nghiệp (Cấp tỉnh)')).toBe(7);
    expect(run('hưởng chế độ thai sản khi sinh con', 'Giải quyết hưởng chế độ thai sản')).toBe(5);
  });
  it('does not join words of the name the message says apart', () => {
    expect(run('trợ cấp cho người thất nghiệp', 'Hưởng trợ cấp thất nghiệp (Cấp tỉnh)')).toBe(2);
    expect(run('giá xăng hôm nay', 'Hưởng trợ cấp thất nghiệp')).toBe(0);
  });
});
