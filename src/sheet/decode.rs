//! The text of an imported file: UTF-8 unless a byte-order mark (UTF-8,
//! UTF-16) or `--encoding NAME` says otherwise. A file that is not UTF-8
//! and names no encoding is refused with the line and column of the first
//! byte that is not, and the encoding it most likely is.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding};

/// The encoding `--encoding` names (any WHATWG label: `gbk`, `gb18030`,
/// `big5`, `windows-1251`, `koi8-r`, `shift_jis`, `utf-16le` …).
pub fn encoding(name: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(name.trim().as_bytes()).ok_or_else(|| {
        format!(
            "--encoding: `{name}` is not an encoding; give a WHATWG name such as utf-8, utf-16le, \
             gbk, gb18030, big5, shift_jis, euc-kr, windows-1251, koi8-r or windows-1252"
        )
    })
}

/// The file's text. A byte-order mark wins over `encoding`; without either
/// the text must be UTF-8. `vcard` only changes the advice in the error,
/// which names the line and column (`LINE:COL: …`).
pub fn decode<'a>(
    bytes: &'a [u8],
    encoding: Option<&'static Encoding>,
    vcard: bool,
) -> Result<Cow<'a, str>, String> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((e, bom)) => (Some(e), &bytes[bom..]),
        None => (encoding, bytes),
    };
    match encoding {
        Some(e) if e != encoding_rs::UTF_8 => strict(e, body)
            .map(Cow::Owned)
            .map_err(|read| format!("{}: the file is not {}", position(&read), e.name())),
        _ => std::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| {
            let read = String::from_utf8_lossy(&body[..e.valid_up_to()]);
            not_utf8(&position(&read), body, vcard)
        }),
    }
}

/// Decodes without replacing anything; the error holds the text decoded
/// before the first malformed sequence.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let room = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut out = String::with_capacity(room);
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::Malformed(..) => return Err(out),
            DecoderResult::OutputFull => out.reserve(rest.len().saturating_mul(3).max(16)),
        }
    }
}

/// `LINE:COL` of the character after `read`, both counted from 1.
fn position(read: &str) -> String {
    let line = read.matches('\n').count() + 1;
    let column = read.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{line}:{column}")
}

fn not_utf8(at: &str, bytes: &[u8], vcard: bool) -> String {
    let save = if vcard {
        String::new()
    } else {
        ", or save it as \"CSV UTF-8\"".to_string()
    };
    match likely_encoding(bytes) {
        Some(e) => {
            let label = e.name().to_ascii_lowercase();
            format!(
                "{at}: the file is not UTF-8; it looks like {}: import it with --encoding {label}{save}",
                e.name()
            )
        }
        None => format!(
            "{at}: the file is not UTF-8; name its encoding with --encoding (e.g. gbk, big5, \
             shift_jis, windows-1251){save}"
        ),
    }
}

/// The encoding a file that is not UTF-8 most likely is: UTF-16 when every
/// other byte is zero, else whichever legacy encoding decodes it without an
/// error into the most text of its own script (common Chinese characters,
/// kana, Hangul, lower-case Cyrillic, accented Latin letters), per byte.
pub fn likely_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if let Some(e) = utf16_without_bom(sample) {
        return Some(e);
    }
    let high = sample.iter().filter(|b| **b >= 0x80).count();
    if high == 0 {
        return None;
    }
    let candidates: [(&'static Encoding, Score); 7] = [
        (encoding_rs::GBK, |c| chinese(c, COMMON_SIMPLIFIED)),
        (encoding_rs::BIG5, |c| chinese(c, COMMON_TRADITIONAL)),
        (encoding_rs::SHIFT_JIS, |c| {
            f64::from(u8::from(matches!(c, '\u{3040}'..='\u{30ff}'))) * 2.0
        }),
        (encoding_rs::EUC_KR, korean),
        (encoding_rs::WINDOWS_1251, cyrillic_lower),
        (encoding_rs::KOI8_R, cyrillic_lower),
        (encoding_rs::WINDOWS_1252, |c| {
            f64::from(u8::from(matches!(c, 'À'..='ÿ') && c.is_alphabetic())) * 0.5
        }),
    ];
    let mut best: Option<(&'static Encoding, f64)> = None;
    for (encoding, score) in candidates {
        // A sample cut inside a character is not malformed as a whole.
        let Ok(text) = strict(encoding, sample).or_else(|read| {
            if bytes.len() > sample.len() && sample.len() - read.len() < 4 {
                Ok(read)
            } else {
                Err(read)
            }
        }) else {
            continue;
        };
        let points: f64 = text.chars().map(score).sum::<f64>() / high as f64;
        if best.is_none_or(|(_, b)| points > b) {
            best = Some((encoding, points));
        }
    }
    best.filter(|(_, points)| *points > 0.2).map(|(e, _)| e)
}

/// Points for one decoded character: how much it looks like text of the
/// encoding's script.
type Score = fn(char) -> f64;

fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    if sample.len() < 4 {
        return None;
    }
    let zeros_at = |odd: usize| {
        sample
            .iter()
            .skip(odd)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = sample.len() / 2;
    if zeros_at(1) * 10 > half * 3 && zeros_at(0) == 0 {
        Some(encoding_rs::UTF_16LE)
    } else if zeros_at(0) * 10 > half * 3 && zeros_at(1) == 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Two points (two bytes) for a character among the most common of Chinese
/// text, so that Cyrillic or Big5 bytes read as GBK, which decode into rare
/// characters, score low.
fn chinese(c: char, common: &str) -> f64 {
    if common.contains(c) { 2.0 } else { 0.0 }
}

/// Two points for a Hangul syllable of the common set (KS X 1001), which
/// other encodings' bytes rarely decode into.
fn korean(c: char) -> f64 {
    if !matches!(c, '\u{ac00}'..='\u{d7a3}') {
        return 0.0;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(c.encode_utf8(&mut buf));
    match bytes[..] {
        [lead, trail] if (0xB0..=0xC8).contains(&lead) && trail >= 0xA1 => 2.0,
        _ => 0.0,
    }
}

fn cyrillic_lower(c: char) -> f64 {
    f64::from(u8::from(matches!(c, 'а'..='я' | 'ё')))
}

const COMMON_SIMPLIFIED: &str = "的一是不了人在有我他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明社因司限责任集团贸易科技电子商务市省区路号店厂业工程建设银行产品服务有网信息北京上海广州深圳杭州南西东新华金华王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂";

const COMMON_TRADITIONAL: &str = "的一是不了人在有我他這中大來上個國到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明社因司限責任集團貿易科技電子商務市省區路號店廠業工程建設銀行產品服務網資訊台北臺灣香港新王李張劉陳楊趙黃周吳徐孫胡朱林何郭馬羅梁宋鄭謝韓唐馮董蕭程曹袁鄧許傅沈曾彭呂蘇盧蔣蔡賈丁魏薛葉余潘杜戴夏鍾汪田任姜范方石姚譚廖鄒熊金陸郝孔白崔康毛邱秦江史顧侯邵孟龍萬段雷錢湯尹黎易常武喬賀賴龔文偉芳娜秀英敏靜麗強磊軍洋勇豔傑娟濤明超霞平剛桂";

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(text: &str, e: &'static Encoding) -> Vec<u8> {
        e.encode(text).0.into_owned()
    }

    #[test]
    fn byte_order_marks_and_names() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "id,name\n1,张伟\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        assert_eq!(decode(&utf16, None, false).unwrap(), "id,name\n1,张伟\n");
        assert_eq!(decode(b"\xEF\xBB\xBFa,b\n", None, false).unwrap(), "a,b\n");
        let gbk = encoded("name\n杭州星河贸易有限公司\n", encoding_rs::GBK);
        let e = encoding("GBK").unwrap();
        assert_eq!(
            decode(&gbk, Some(e), false).unwrap(),
            "name\n杭州星河贸易有限公司\n"
        );
        assert!(encoding("nonsense").is_err());
        assert_eq!(encoding("cp1251").unwrap(), encoding_rs::WINDOWS_1251);
    }

    #[test]
    fn a_file_that_is_not_utf8_is_named_with_its_likely_encoding() {
        let gbk = encoded("name,city\n张伟,杭州\n王小明,上海\n", encoding_rs::GBK);
        let e = decode(&gbk, None, false).unwrap_err();
        assert_eq!(
            e,
            "2:1: the file is not UTF-8; it looks like GBK: import it with --encoding gbk, \
             or save it as \"CSV UTF-8\""
        );
        let cyrillic = encoded(
            "name\nИванов Пётр Сергеевич\nОбщество с ограниченной ответственностью\n",
            encoding_rs::WINDOWS_1251,
        );
        assert!(
            decode(&cyrillic, None, true)
                .unwrap_err()
                .ends_with("it looks like windows-1251: import it with --encoding windows-1251")
        );
        let koi8 = encoded("name\nИванов Пётр Сергеевич\n", encoding_rs::KOI8_R);
        assert_eq!(likely_encoding(&koi8), Some(encoding_rs::KOI8_R));
        let sjis = encoded("名前\nやまだ たろう\n", encoding_rs::SHIFT_JIS);
        assert_eq!(likely_encoding(&sjis), Some(encoding_rs::SHIFT_JIS));
        let korean = encoded("이름\n김민수\n", encoding_rs::EUC_KR);
        assert_eq!(likely_encoding(&korean), Some(encoding_rs::EUC_KR));
        let big5 = encoded("名稱\n台北貿易有限公司\n", encoding_rs::BIG5);
        assert_eq!(likely_encoding(&big5), Some(encoding_rs::BIG5));
        let utf16: Vec<u8> = "a,b\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(likely_encoding(&utf16), Some(encoding_rs::UTF_16LE));
    }

    #[test]
    fn a_malformed_byte_in_a_named_encoding_is_placed() {
        let e = decode(b"a,b\nc,\xFF\xFF\n", Some(encoding_rs::SHIFT_JIS), false).unwrap_err();
        assert_eq!(e, "2:3: the file is not Shift_JIS");
    }
}
