/** The importer on small hand-written records: what each rule of compile-catalogue.ts does. */
import { describe, expect, it } from 'vitest';
import { compileCatalogue, provinceOf } from '../../src/catalogue/compile-catalogue';
import { encodeCatalogue, openCatalogue } from '../../src/catalogue/catalogue-file';

function line(code: string, detail: Record<string, unknown>, group = 'co-con-nho'): string {
  const base = { id: `id-${code}`, code, name: `Thủ tục ${code}`, updatedAt: Date.parse('2026-05-01T00:00:00Z') };
  return JSON.stringify({ group, path: 'x', raw: { id: `id-${code}`, code, name: `Thủ tục ${code}`, detail: { ...base, ...detail } } });
}

describe('compileCatalogue', () => {
  const jsonl = [
    line('1.000002', {
      executionCases: [
        { name: '* Giấy tờ phải nộp:', profileComponents: [{ name: '- Tờ khai\u200e  theo mẫu', originalQty: 1, copyQty: 0 }] },
        { name: '* Lưu ý:', profileComponents: [{ name: 'Không phải nộp bản sao.' }] },
      ],
      executionMethods: [
        { submissionMethod: 'ONLINE', processingTime: 1, processingTimeUnit: 'OTHER', description: '', fees: [{ type: 'FEE', value: 0, description: '' }] },
        { submissionMethod: 'DIRECT', processingTime: '- Không quá 10 ngày làm việc', processingTimeUnit: 'WORKING_DAY', description: '', fees: [{ type: 'FEE', value: 20000, description: 'Lệ phí' }] },
      ],
      cases: [{ name: 'a', processingDay: { qty: 3, type: 'WORKING_DAY' } }],
      isWard: true,
      procedureProposal: { proposalNumber: '1/QĐ-UBND', decisionDate: Date.parse('2026-02-01T00:00:00Z'), issuingAgency: { name: 'UBND tỉnh Thanh Hóa' } },
    }),
    'not json',
    line(' 1.000001', { isMinistry: true, departmentPromulgateName: 'Bộ Tư pháp' }),
    line('1.000001', { isMinistry: true, updatedAt: Date.parse('2026-06-01T00:00:00Z') }),
  ].join('\n');
  const { records, report } = compileCatalogue(jsonl);

  it('sorts by code, trims codes and keeps the later update of a duplicate', () => {
    expect(records.map((r) => r.code)).toEqual(['1.000001', '1.000002']);
    expect(records[0]!.updated).toBe('2026-06-01');
    expect(report.skipped.map((s) => s.reason)).toEqual(['not valid JSON', 'duplicate code 1.000001 (kept the later update)']);
  });

  it('groups documents under the portal headings, notes apart, text cleaned', () => {
    const r = records[1]!;
    expect(r.groups).toEqual([
      { heading: 'Giấy tờ phải nộp', items: [{ text: 'Tờ khai theo mẫu', original: 1 }] },
      { heading: 'Lưu ý', notes: true, items: [{ text: 'Không phải nộp bản sao.' }] },
    ]);
    expect(report.textsCleaned).toBeGreaterThan(0);
  });

  it('takes an OTHER unit from the cases and keeps a time given in words as words', () => {
    const [direct, online] = records[1]!.methods;
    expect(online).toMatchObject({ method: 'ONLINE', time: { qty: 3, unit: 'WORKING_DAY' } });
    expect(direct).toMatchObject({ method: 'DIRECT', timeText: '- Không quá 10 ngày làm việc', fees: [{ type: 'FEE', value: 20000, text: 'Lệ phí' }] });
  });

  it('tags a province\'s own record with its province and counts it apart', () => {
    expect(records[1]!.province).toBe('Thanh Hóa');
    expect(records[0]!.province).toBeUndefined();
    expect(report).toMatchObject({ records: 2, national: 1, local: 1, byProvince: { 'Thanh Hóa': 1 }, noDocuments: 1, noFee: 1 });
  });

  it('reads the province from the agencies that publish local records', () => {
    expect(provinceOf('UBND Thành phố Hà Nội')).toBe('Hà Nội');
    expect(provinceOf('Trung tâm phục vụ hành chính công Thành phố Hà Nội')).toBe('Hà Nội');
    expect(provinceOf('Sở Xây dựng - tỉnh Quảng Ngãi')).toBe('Quảng Ngãi');
    expect(provinceOf('Bộ Công an')).toBeUndefined();
    expect(provinceOf('Ngân hàng Nhà nước Việt Nam')).toBeUndefined();
  });

  it('encodes to a file that decodes to the same records', () => {
    const file = openCatalogue(encodeCatalogue({ source: { file: 'x', sha256: 'y' }, report, records }));
    expect(file.entries.map((e) => file.decode(e))).toEqual(records);
    expect(file.report).toEqual(report);
  });
});
