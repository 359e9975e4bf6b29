/**
 * How citizens really ask, against the real content and engine: each phrasing is typed as the
 * first message of a chat and must start the right flow, or offer it first. The phrasings were
 * written as people write in Zalo and web chats (no diacritics, typos, abbreviations, long
 * sentences with context) and are deliberately not copied from the `match:` lists — they test
 * whether those lists generalise. Editors: when a real question is missed, add a phrase to the
 * flow's `match:` (or an abbreviation to content/settings.yaml), never this sentence itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../src/engine/normalize';
import type { Content, StepResult } from '../../src/engine/types';
import { converse, realContent } from '../engine/real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent();
});

const PHRASINGS: Record<string, string[]> = {
  'can-cuoc': [
    'lam can cuoc o dau',
    'làm căn cước ở đâu',
    'mat the can cuoc thi lam sao',
    'tôi bị mất thẻ căn cước, làm lại thế nào',
    'thẻ căn cước của tôi bị gãy đôi',
    'đổi cmnd sang căn cước mất bao lâu',
    'căn cước hết hạn rồi phải làm sao ạ',
    'con tôi 10 tuổi có làm được căn cước không',
    'làm căn cước cho bé 5 tuổi',
    'đủ 25 tuổi có phải đổi căn cước không',
    'cccd bị sai ngày sinh',
    'làm cccd mất bao nhiêu tiền',
    'le phi cap doi can cuoc bao nhieu',
    'lam the can cuoc gan chip',
    'cấp lại cccd online được không',
    'đặt lịch làm căn cước trên vneid',
    'chung minh nhan dan het han',
    'cmt cũ còn dùng được không',
    'can cuoc cong dan bi rach',
    'muốn làm căn cước cho mẹ già 70 tuổi',
    'thủ tục cấp thẻ căn cước lần đầu',
    '14 tuoi lam can cuoc can gi',
    'cho hỏi làm căn cước có cần mang giấy tờ gì không',
    'căn cước bị mờ ảnh có đổi được không',
    'can cuoc het han nam 2026',
    'thay đổi địa chỉ trên căn cước sau sáp nhập',
    'lam lai cccd bi mat',
    'đi làm căn cước cho con cần mang gì',
    'CCCD hỏng chip',
    'căn cươc của tôi bị mất hôm qua',
    'where can I get an ID card',
    'cho em hỏi làm lại căn cước bị mất ở đâu ạ',
    'cccd của em bị hỏng chíp',
    'căn cước công dân gắn chíp hết hạn năm nay',
    'bé 3 tuổi làm căn cước được không',
    'đổi thẻ căn cước do thay đổi địa giới hành chính có mất tiền không',
    'thủ tục làm cccd lần đầu cho học sinh 14 tuổi',
    'cmnd 9 số còn dùng được không',
    'lam cccd bao lau thi co',
    'căn cước sai quê quán',
    'em muon lam the can cuoc',
  ],
  'dinh-danh-dien-tu': [
    'kích hoạt định danh điện tử mức 2 ở đâu',
    'lam dinh danh muc 2 o dau',
    'làm vneid mức 2',
    'đăng ký tài khoản định danh điện tử',
    'cách nâng cấp tài khoản vneid lên mức 2',
    'vneid muc 2 can giay to gi',
    'xác thực điện tử mức độ 2',
    'tai khoan dinh danh bi khoa',
    'định danh mức độ 2 cho người già',
    'ứng dụng vneid không đăng nhập được',
    'làm định danh điện tử mất mấy ngày',
    'vneid bị khóa làm sao mở',
    'kich hoat vneid tren dien thoai the nao',
    'đăng ký định danh điện tử cho con',
    'tài khoản định danh mức 2 làm ở công an xã được không',
  ],
  'giay-phep-lai-xe': [
    'đổi bằng lái xe máy ở đâu',
    'bang lai o to het han',
    'mất bằng lái xe thì làm lại thế nào',
    'gplx hết hạn',
    'cấp lại bằng lái B2',
    'doi bang lai xe het bao nhieu tien',
    'bằng lái xe bị rách có đổi được không',
    'đổi giấy phép lái xe quốc tế',
    'bằng lái a1 bị mất',
    'giay phep lai xe het han phai lam gi',
    'bằng lái xe máy bị mất',
    'đổi bằng lái xe ô tô hạng B2 ở Thanh Hóa',
    'thi bằng lái xe máy ở đâu',
    'giấy phép lái xe hết hạn 3 tháng',
  ],
  'ho-chieu': [
    'làm hộ chiếu ở thanh hóa',
    'lam ho chieu mat bao lau',
    'cấp hộ chiếu cho con',
    'passport het han',
    'muốn ra nước ngoài làm hộ chiếu thế nào',
    'làm passport ở đâu',
    'ho chieu bi mat',
    'làm hộ chiếu cho trẻ em',
    'hộ chiếu hết hạn làm lại ở đâu',
    'cấp passport online',
  ],
  'ly-lich-tu-phap': [
    'xin phieu ly lich tu phap o dau',
    'làm lý lịch tư pháp số 2',
    'lltp mất mấy ngày',
    'xin giấy xác nhận không có tiền án',
    'lý lịch tư pháp để đi xuất khẩu lao động',
    'ly lich tu phap nop online',
    'xin lý lịch tư pháp cho người nước ngoài',
    'phiếu LLTP số 1',
    'lam ly lich tu phap o so tu phap hay cong an',
    'xin lý lịch tư pháp online trên vneid',
    'lí lịch tư pháp',
    'phieu lltp so 2 lam o dau',
    'giấy chứng nhận không tiền án tiền sự',
  ],
  'khai-sinh': [
    'con toi moi sinh lam giay to gi',
    'đăng ký khai sinh cho con thứ hai',
    'làm giấy khai sinh cho bé',
    'khai sinh quá hạn',
    'sinh con xong cần làm gì',
    'khai sinh cho con ngoài giá thú',
    'vợ mới đẻ làm khai sinh thế nào',
    'làm khai sinh online trên vneid',
    'đăng ký khai sinh cho trẻ sinh ở bệnh viện',
    'bé nhà em được 1 tháng chưa làm giấy khai sinh',
    '4 trong 1 cho tre duoi 6 tuoi',
    'thẻ bảo hiểm y tế cho trẻ mới sinh',
    'khai sinh',
    'khai sing cho con',
    'đăng kí khai sinh',
    'birth certificate for my baby',
    'làm giấy khai sinh cho con mới đẻ',
    'đăng ký khai sinh quá hạn có bị phạt không',
    'khai sinh cho con khi bố mẹ chưa đăng ký kết hôn',
    'đăng ký khai sinh online',
    'bé sinh ở bệnh viện tỉnh thì khai sinh ở đâu',
  ],
  'ket-hon': [
    'đăng ký kết hôn cần giấy tờ gì',
    'dang ky ket hon o dau',
    'muốn làm giấy đăng ký kết hôn thì đi đâu',
    'chuẩn bị cưới thì đăng ký kết hôn thế nào',
    'kết hôn với người khác tỉnh đăng ký ở đâu',
    'cưới vợ cần làm thủ tục gì',
    'đăng kí kết hôn',
    'xin giay ket hon',
    'dang ki ket hon can gi',
    'hai đứa muốn đăng ký kết hôn online',
    'marriage registration',
    'thủ tục đăng ký kết hôn 2026',
    'hai vợ chồng muốn làm giấy kết hôn',
    'dkkh o xa nao',
  ],
  'khai-tu': [
    'bố tôi mới mất, làm giấy khai tử thế nào',
    'dang ky khai tu cho ba',
    'làm giấy chứng tử',
    'ông nội qua đời cần làm thủ tục gì',
    'khai tu',
    'mẹ em mất rồi cần báo tử ở đâu',
    'xin trích lục khai tử cho ông',
    'người nhà vừa mất cần giấy tờ gì',
    'thủ tục khai tử cho người già',
    'làm giấy báo tử',
    'cha mất cần làm gì với hộ khẩu',
    'đăng ký khai tử quá hạn',
  ],
  'xac-nhan-hon-nhan': [
    'xin giấy xác nhận tình trạng hôn nhân',
    'giấy xác nhận độc thân để mua nhà',
    'xin giay doc than',
    'giấy chứng nhận độc thân',
    'xác nhận tình trạng hôn nhân để vay ngân hàng',
    'xac nhan tinh trang hon nhan mat bao lau',
    'giấy độc thân làm ở đâu',
    'đăng ký kết hôn có cần giấy xác nhận độc thân không',
    'giấy xác nhận tình trạng hôn nhân để kết hôn với người nước ngoài',
    'xin xác nhận độc thân',
    'xác nhận chưa kết hôn',
  ],
  'cu-tru': [
    'đăng ký thường trú cần gì',
    'nhap ho khau cho vo',
    'chuyển hộ khẩu về nhà chồng',
    'đăng ký tạm trú cho người thuê trọ',
    'sinh viên ở trọ có phải đăng ký tạm trú không',
    'khai báo tạm trú online',
    'xin giấy xác nhận cư trú',
    'xác nhận nơi cư trú để đi học',
    'tách hộ khẩu ra ở riêng',
    'xóa đăng ký tạm trú khi chuyển đi',
    'dang ky tam tru mat bao nhieu tien',
    'chuyển khẩu cho con về ở với bà',
    'đăng ký tạm vắng',
    'muốn đổi tên chủ hộ trong hộ khẩu',
    'dang ky thuong tru cho con 8 tuoi',
    'nhập khẩu về nhà bố mẹ',
    'tạm trú tạm vắng',
    'thuê nhà có phải đăng ký tạm trú',
    'xin giay xac nhan thong tin ve cu tru de nop ho so',
    'đăng ký cư trú',
    'thủ tục nhập hộ khẩu cho con',
    'đăng ký thường trú online trên vneid',
    'mẫu CT01',
    'chuyển khẩu từ tỉnh khác về thanh hóa',
    'khai tạm trú cho công nhân',
    'giấy xác nhận cư trú ct07',
    'đăng ký thường trú vào nhà thuê',
    'tam tru',
    'ho khau',
  ],
  'ho-kinh-doanh': [
    'đăng ký hộ kinh doanh ở đâu',
    'muốn mở quán cà phê cần giấy phép gì',
    'lam giay phep kinh doanh',
    'mở tiệm tạp hóa có cần đăng ký không',
    'hkd cần giấy tờ gì',
    'đăng ký kinh doanh cá thể',
    'mở shop quần áo cần đăng ký gì',
    'dang ky ho kinh doanh mat bao lau',
    'xin giấy phép buôn bán nhỏ',
    'mo cua hang can thu tuc gi',
    'thủ tục mở quán ăn',
    'đăng ký kinh doanh hộ gia đình',
    'giấy phép kinh doanh tạp hóa',
  ],
  'dat-dai': [
    'sang tên sổ đỏ mất bao lâu',
    'thủ tục mua bán đất',
    'đất nhà mình chưa từng được cấp sổ, giờ làm lần đầu',
    'tách thửa đất cho con',
    'chuyển đất vườn lên thổ cư',
    'bố mẹ cho đất con thì sang tên thế nào',
    'thừa kế đất đai',
    'so do bi mat',
    'cap so do mat bao lau',
    'thuế khi bán nhà đất',
    'hop dong chuyen nhuong quyen su dung dat xong thi lam gi',
    'làm sổ hồng',
    'đất chưa có sổ đỏ thì làm sao',
    'sang ten so do cho con trai',
    'mua đất rồi làm sổ thế nào',
    'đăng ký biến động đất đai',
    'thủ tục tách sổ đỏ',
    'cấp đổi sổ đỏ',
    'sổ đỏ đứng tên bố đã mất',
    'chuyển mục đích sử dụng đất nông nghiệp',
    'muốn đăng ký đất đai lần đầu cho mảnh vườn',
    'làm bìa đỏ',
  ],
  'ban-sao-ho-tich': [
    'xin ban sao giay khai sinh o dau',
    'tôi làm mất giấy khai sinh bản chính, xin bản sao thế nào',
    'cấp bản sao trích lục kết hôn mất bao nhiêu tiền',
    'cần thêm bản sao giấy khai sinh cho con đi học',
    'trich luc ho tich ban sao',
    'giấy khai sinh bị mất xin cấp lại',
    'trích lục khai sinh bản sao',
    'giay khai sinh ban sao',
    'giấy kết hôn bị mất',
  ],
  'khai-sinh-nuoc-ngoai': [
    'chồng tôi là người Hàn, làm khai sinh cho con thế nào',
    'khai sinh cho con có bố là người nước ngoài',
    'con tôi sinh ở nước ngoài giờ về nước làm khai sinh',
    'thủ tục khai sinh cho em bé có mẹ người nước ngoài',
  ],
  'ket-hon-nuoc-ngoai': [
    'muốn kết hôn với người nước ngoài cần giấy tờ gì',
    'lay chong han quoc can thu tuc gi',
    'đăng ký kết hôn với chồng người nước ngoài',
    'ket hon voi nguoi nuoc ngoai o xa duoc khong',
  ],
  'giam-ho': [
    'làm người giám hộ cho cháu mồ côi',
    'dang ky giam ho cho em trai',
    'thủ tục giám hộ cho người bị tâm thần',
  ],
  'nhan-cha-me-con': [
    'bố muốn nhận con ngoài giá thú thì làm gì',
    'lam thu tuc nhan cha cho con',
    'thủ tục nhận con khi chưa cưới',
  ],
  'cai-chinh-ho-tich': [
    'muốn đổi tên cho con thì làm sao',
    'giấy khai sinh của tôi bị sai năm sinh',
    'cai chinh ho tich o dau',
    'xác định lại dân tộc cho con theo mẹ',
    'sửa họ tên trong giấy khai sinh',
  ],
  'tro-cap-xa-hoi': [
    'xin trợ cấp cho người khuyết tật nặng',
    'bà tôi 80 tuổi có được trợ cấp xã hội không',
    'tiền trợ cấp hàng tháng cho người già neo đơn',
    'làm hồ sơ hưởng trợ cấp bảo trợ xã hội',
  ],
  'mai-tang-phi': [
    'nhận tiền mai táng phí',
    'xin hỗ trợ mai táng cho ông',
    'bà mất được hỗ trợ tiền mai táng không',
  ],
  'the-bhyt': [
    'làm thẻ bảo hiểm y tế ở đâu',
    'the bhyt bi sai ten',
    'cap the bhyt cho me',
    'muốn tham gia bảo hiểm y tế hộ gia đình',
  ],
  'gia-han-tam-tru': [
    'tạm trú của tôi sắp hết hạn thì làm gì',
    'gia han tam tru o dau',
  ],
  'dang-ky-xe': [
    'mua xe máy mới đăng ký ở đâu',
    'sang ten xe may cu',
    'bấm biển số ô tô ở công an xã được không',
    'dang ky xe oto lan dau',
    'làm cà vẹt xe máy',
  ],
  'giay-phep-xay-dung': [
    'xây nhà ở nông thôn có cần giấy phép xây dựng không',
    'xin giay phep xay dung nha o',
    'thủ tục cấp phép xây nhà 3 tầng',
  ],
  'nghia-vu-quan-su': [
    'con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu',
    'dang ky nghia vu quan su o dau',
    'đăng ký nvqs online',
    'nhận giấy gọi đăng ký nghĩa vụ quân sự',
  ],
  'xac-nhan-khuyet-tat': [
    'con tôi bị bại não, xin giấy khuyết tật ở đâu',
    'muon xac dinh lai khuyet tat cho bo',
  ],
  'chung-thuc': [
    'chứng thực bản sao ở đâu',
    'muon sao y giay to',
    'công chứng bằng tốt nghiệp',
    'sao y bản chính hết bao nhiêu tiền',
    'chung thuc ban sao o phuong',
    'công chứng học bạ',
    'photo công chứng giấy tờ',
    'chứng thực bản sao mất bao lâu',
    'cong chung giay to o xa',
    'sao y căn cước',
    'chứng thực chữ ký',
    'công chứng bản sao ở ubnd xã',
    'photo sao y bản chính',
  ],
};

/** The flow the bot went into, or offered first, for this first message. */
function firstFlow(r: StepResult, session: { flow?: { id: string } | undefined; pending?: { kind: string; options: Array<{ action: { do: string; flow?: string } }> } | undefined }): string | undefined {
  const started = r.events.find((e) => e.type === 'flow_started');
  if (started && started.type === 'flow_started') return started.flow;
  const first = session.pending?.kind === 'search' ? session.pending.options[0]?.action : undefined;
  return first?.do === 'flow' ? first.flow : undefined;
}

describe('free-text questions find the right procedure', () => {
  const all = Object.entries(PHRASINGS).flatMap(([flow, qs]) => qs.map((q) => ({ flow, q })));

  it('has at least 150 phrasings and covers every shipped flow', () => {
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(Object.keys(PHRASINGS).sort()).toEqual([...content.flows.keys()].sort());
  });

  it('none of the phrasings is copied from a match list', () => {
    const listed = new Set([...[...content.flows.values()].flatMap((f) => f.match), ...[...content.procedures.values()].flatMap((p) => p.match)].map(fold));
    // One- and two-word questions ("khai tu", "cccd") are what people type; longer ones must be new.
    expect(all.filter(({ q }) => listed.has(fold(q)) && fold(q).split(' ').length > 2).map(({ q }) => q)).toEqual([]);
  });

  for (const [flow, qs] of Object.entries(PHRASINGS)) {
    it(`starts or offers first "${flow}"`, () => {
      const wrong = qs
        .map((q) => {
          const c = converse(content, [q]);
          return { q, got: firstFlow(c.last, c.session) };
        })
        .filter(({ got }) => got !== flow)
        .map(({ q, got }) => `${q} → ${got ?? 'nothing'}`);
      expect(wrong).toEqual([]);
    });
  }
});
