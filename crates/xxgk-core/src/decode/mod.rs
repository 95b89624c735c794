//! Bytes → text: BOM, declared charset, a UTF-8 check, then charset detection on a bounded prefix.
//! Detection is the slowest step on GBK/Big5, so it only runs when nothing cheaper decides.

mod mojibake;

use crate::model::Decoded;
use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

pub use mojibake::repair_misaligned_gbk;

/// How many bytes charset detection looks at (a longer prefix buys little accuracy, costs linear time).
const DETECT_PREFIX: usize = 64 * 1024;
/// The prefix ends sooner once it holds this many non-ASCII bytes (~340 CJK characters, far
/// more than GBK and Big5 need to tell apart): detection was a fifth of the cost of a text
/// document. ASCII does not count, so a page of Latin boilerplate still reaches the text.
const DETECT_NON_ASCII: usize = 1024;
/// How far into an HTML file a `<meta charset>` is looked for.
const META_SCAN: usize = 4096;
/// Lines of multi-byte UTF-8 (with this many non-ASCII characters each) that make a file
/// that is not UTF-8 as a whole a mixture rather than a legacy encoding.
const MIXED_MIN_LINES: usize = 3;
const MIXED_MIN_CHARS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("decode: file is empty")]
    Empty,
    #[error("decode: binary content ({nul} NUL bytes in the first {scanned}), not a text document")]
    Binary { nul: usize, scanned: usize },
}

/// Decodes a document. `is_html` enables the `<meta charset>` look-up.
pub fn decode(bytes: &[u8], is_html: bool) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut warnings = Vec::new();
    let (encoding, body, how) = choose_encoding(bytes, is_html, &mut warnings)?;
    if how == How::Detected && encoding != UTF_16LE && encoding != UTF_16BE {
        if let Some(mixed) = decode_mixed(body, &mut warnings) {
            return Ok(mixed);
        }
    }
    // Valid UTF-8 was checked already by std's fast validator; encoding_rs need not decode it.
    let valid = if how == How::Valid { std::str::from_utf8(body).ok() } else { None };
    let (text, had_errors) = match valid {
        Some(v) => (std::borrow::Cow::Borrowed(v), false),
        None => encoding.decode_without_bom_handling(body),
    };
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        warnings.push(format!("decode: {bad} malformed byte sequences for {} replaced with U+FFFD", encoding.name()));
    }
    let name = canonical_name(encoding, body, how);
    let mut text = text.into_owned();
    let mut repaired = false;
    if encoding != UTF_16LE && encoding != UTF_16BE {
        if let Some((fixed, notes)) = repair_misaligned_gbk(&text) {
            text = fixed;
            repaired = true;
            warnings.extend(notes);
        }
    }
    Ok(Decoded { text, encoding: name, mojibake_repaired: repaired, warnings })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum How {
    Bom,
    Declared,
    Valid,
    Detected,
}

fn choose_encoding<'a>(
    bytes: &'a [u8],
    is_html: bool,
    warnings: &mut Vec<String>,
) -> Result<(&'static Encoding, &'a [u8], How), DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return Ok((enc, &bytes[bom_len..], How::Bom));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        warnings.push(format!("decode: no BOM, {} guessed from NUL byte positions", enc.name()));
        return Ok((enc, bytes, How::Detected));
    }
    reject_binary(bytes)?;
    if is_html {
        if let Some(enc) = declared_charset(bytes) {
            return Ok((enc, bytes, How::Declared));
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => return Ok((UTF_8, bytes, How::Valid)),
        // A download cut short ends inside a character; the rest is still UTF-8.
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            warnings.push(format!(
                "decode: file ends inside a UTF-8 character ({} bytes dropped)",
                bytes.len() - e.valid_up_to()
            ));
            return Ok((UTF_8, &bytes[..e.valid_up_to()], How::Valid));
        }
        Err(_) => {}
    }
    let enc = if is_html {
        let (text, complete) = outside_tags(bytes, DETECT_PREFIX);
        guess(&text, complete, bytes)
    } else {
        detect(bytes)
    };
    Ok((enc, bytes, How::Detected))
}

/// A file pasted together from UTF-8 and GBK/Big5 parts (CMS templates around an old body)
/// decodes line by line: a line that is valid multi-byte UTF-8 stays UTF-8, the others take
/// the encoding detected on them alone. None when the file is not such a mixture.
fn decode_mixed(bytes: &[u8], warnings: &mut Vec<String>) -> Option<Decoded> {
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    let is_utf8 =
        |l: &[u8]| std::str::from_utf8(l).is_ok_and(|s| s.chars().filter(|c| !c.is_ascii()).count() >= MIXED_MIN_CHARS);
    let utf8 = lines.iter().filter(|l| is_utf8(l)).count();
    let foreign: Vec<&[u8]> = lines.iter().copied().filter(|l| std::str::from_utf8(l).is_err()).collect();
    let foreign_lines = foreign.len();
    // A GBK line can pass as UTF-8 by chance, so one or two such lines prove nothing.
    if utf8 < MIXED_MIN_LINES || foreign_lines == 0 {
        return None;
    }
    let foreign_bytes = foreign.concat();
    let other = detect(&foreign_bytes);
    if other == UTF_8 || other.decode_without_bom_handling(&foreign_bytes).1 {
        // UTF-8 with damaged lines, not a mixture: the usual decode replaces the damage.
        return None;
    }
    let mut text = String::with_capacity(bytes.len());
    for line in &lines {
        match std::str::from_utf8(line) {
            Ok(s) => text.push_str(s),
            Err(_) => text.push_str(&other.decode_without_bom_handling(line).0),
        }
    }
    warnings.push(format!("decode: mixed encodings: {utf8} lines read as UTF-8, {foreign_lines} as {}", other.name()));
    let encoding = if foreign_lines > utf8 { other.name() } else { "UTF-8" }.to_string();
    Some(Decoded { text, encoding, mojibake_repaired: false, warnings: std::mem::take(warnings) })
}

/// UTF-16 text without a BOM shows NUL in every other byte of its ASCII parts.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(4096) & !1;
    if n < 16 {
        return None;
    }
    let even = bytes[..n].iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = bytes[1..n].iter().step_by(2).filter(|&&b| b == 0).count();
    let half = n / 2;
    if odd * 5 > half * 2 && even * 20 < half {
        Some(UTF_16LE)
    } else if even * 5 > half * 2 && odd * 20 < half {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn reject_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    let scanned = bytes.len().min(8192);
    let nul = bytes[..scanned].iter().filter(|&&b| b == 0).count();
    if nul > 0 {
        return Err(DecodeError::Binary { nul, scanned });
    }
    Ok(())
}

/// Finds `charset=` inside a `<meta>` tag near the top of an HTML file.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        if let Some(enc) = charset_in_tag(&lower[start..end]) {
            return Some(enc);
        }
        from = end;
    }
    None
}

fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let at = find(tag, b"charset")? + b"charset".len();
    let rest = &tag[at..];
    let rest = rest.iter().position(|&b| b != b' ' && b != b'=' && b != b'"' && b != b'\'').map(|i| &rest[i..])?;
    let len = rest.iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_')).unwrap_or(rest.len());
    let enc = Encoding::for_label(&rest[..len])?;
    // A page that says UTF-16 in a meta tag but reached here has no BOM and no NULs: it is not UTF-16.
    (enc != UTF_16LE && enc != UTF_16BE).then_some(enc)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The bytes of a page outside its tags, up to `limit` of them or `DETECT_NON_ASCII`
/// non-ASCII ones, and whether that is all of them: what chardetng learns from is the text,
/// and Word-exported markup is most of a page (detection was 29 % of HTML cost).
fn outside_tags(bytes: &[u8], limit: usize) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(limit.min(bytes.len()));
    let (mut in_tag, mut non_ascii) = (false, 0);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => in_tag = true,
            b'>' if in_tag => {
                in_tag = false;
                out.push(b' ');
            }
            _ if !in_tag => {
                out.push(b);
                non_ascii += usize::from(b >= 0x80);
            }
            _ => {}
        }
        if out.len() >= limit || non_ascii >= DETECT_NON_ASCII {
            return (out, i + 1 == bytes.len());
        }
    }
    (out, true)
}

/// How much of `bytes` detection reads: up to `DETECT_PREFIX` bytes, or fewer once
/// `DETECT_NON_ASCII` of them are non-ASCII.
fn detect_len(bytes: &[u8]) -> usize {
    let head = &bytes[..bytes.len().min(DETECT_PREFIX)];
    let mut non_ascii = 0;
    for (i, &b) in head.iter().enumerate() {
        non_ascii += usize::from(b >= 0x80);
        if non_ascii >= DETECT_NON_ASCII {
            return i + 1;
        }
    }
    head.len()
}

/// chardetng over a bounded prefix; `last=false` because the prefix usually cuts a character.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let prefix = &bytes[..detect_len(bytes)];
    guess(prefix, prefix.len() == bytes.len(), bytes)
}

/// chardetng's guess from `sample` (`complete`: the whole document), limited to what Chinese
/// reports are written in.
fn guess(sample: &[u8], complete: bool, bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(sample, complete);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    // Chinese reports: a single-byte guess on non-UTF-8 bytes is almost always a misread GBK prefix.
    if enc == BIG5 || enc == GBK || enc == UTF_8 {
        enc
    } else if bytes.iter().any(|&b| b >= 0x80) {
        GBK
    } else {
        UTF_8
    }
}

fn canonical_name(enc: &'static Encoding, body: &[u8], how: How) -> String {
    if enc == GBK || enc == GB18030 {
        let four_byte = has_gb18030_four_byte(body);
        return if enc == GB18030 && how == How::Declared || four_byte { "GB18030" } else { "GBK" }.to_string();
    }
    enc.name().to_string()
}

/// GB18030's four-byte form: lead 0x81–0xFE then an ASCII digit; GBK never has it.
fn has_gb18030_four_byte(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i + 1 < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if (0x81..=0xFE).contains(&b) && bytes[i + 1].is_ascii_digit() {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_plain_utf8() {
        let d = decode("\u{FEFF}政府信息公开".as_bytes(), false).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("政府信息公开", "UTF-8"));
        assert_eq!(decode("政府".as_bytes(), false).unwrap().encoding, "UTF-8");
    }

    #[test]
    fn the_sample_ends_after_enough_non_ascii_bytes_however_much_ascii_precedes_them() {
        let mut bytes = b"Home | About | Contact ".repeat(900);
        let ascii = bytes.len();
        bytes.extend(std::iter::repeat_n(0xB0u8, 3 * DETECT_NON_ASCII));
        assert_eq!(detect_len(&bytes), ascii + DETECT_NON_ASCII);
        assert_eq!(detect_len(&bytes[..ascii + 10]), ascii + 10, "a short file is read whole");
        let trad = "政府資訊公開工作年度報告，本年新收政府資訊公開申請數量三百四十七件。".repeat(40);
        let (big5, _, _) = BIG5.encode(&trad);
        let mut page = b"Home | About | Contact ".repeat(900);
        page.extend_from_slice(&big5);
        let d = decode(&page, false).unwrap();
        assert_eq!(d.encoding, "Big5", "Latin boilerplate does not use up the sample");
        assert!(d.text.ends_with(&trad));
    }

    #[test]
    fn gbk_and_big5_are_detected() {
        let text = "政府信息公开工作年度报告，本年新收政府信息公开申请数量三百四十七件。".repeat(4);
        let (gbk, _, _) = GBK.encode(&text);
        let d = decode(&gbk, false).unwrap();
        assert_eq!((d.encoding.as_str(), d.text.as_str()), ("GBK", text.as_str()));
        let trad = "政府資訊公開工作年度報告，本年新收政府資訊公開申請數量三百四十七件。".repeat(4);
        let (big5, _, _) = BIG5.encode(&trad);
        let d = decode(&big5, false).unwrap();
        assert_eq!((d.encoding.as_str(), d.text.as_str()), ("Big5", trad.as_str()));
    }

    #[test]
    fn undeclared_html_is_detected_from_its_text_not_its_markup() {
        let cell = |t: &str| {
            format!(
                "<td class=\"MsoNormal\" style=\"mso-border-alt:solid windowtext .5pt\"><p><span>{t}</span></p></td>"
            )
        };
        let page = |t: &str| format!("<html><body><table>{}</table></body></html>", cell(t).repeat(40));
        let (simplified, traditional) = (page("本年新收政府信息公开申请数量"), page("本年新收政府資訊公開申請數量"));
        assert_eq!(decode(&GBK.encode(&simplified).0, true).unwrap().encoding, "GBK");
        assert_eq!(decode(&BIG5.encode(&traditional).0, true).unwrap().encoding, "Big5");
        assert_eq!(outside_tags(b"<p a=\"x\">ab</p>c", 100), (b" ab c".to_vec(), true));
        assert_eq!(outside_tags(b"<p>abcdef</p>", 3), (b" ab".to_vec(), false));
    }

    #[test]
    fn html_meta_charset_wins_over_detection() {
        let mut bytes =
            b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>"
                .to_vec();
        bytes.extend_from_slice(&GBK.encode("报告").0);
        let d = decode(&bytes, true).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.ends_with("报告"));
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "年度报告 2020 annual report";
        let mut le: Vec<u8> = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le, false).unwrap().text, s);
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let d = decode(&be, false).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), (s, "UTF-16BE"));
    }

    #[test]
    fn truncated_utf8_keeps_its_text() {
        let mut bytes = "政府信息公开工作年度报告".as_bytes().to_vec();
        bytes.extend_from_slice(&"报".as_bytes()[..2]);
        let d = decode(&bytes, false).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("政府信息公开工作年度报告", "UTF-8"));
        assert!(
            d.warnings.iter().any(|w| w.contains("ends inside a UTF-8 character (2 bytes dropped)")),
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn mixed_utf8_and_gbk_lines_are_each_read_in_their_encoding() {
        let utf8 = "一、总体情况：本机关主动公开政府信息。\n".repeat(3);
        let gbk_text = "二、主动公开政府信息情况，本年新收政府信息公开申请数量三百四十七件。\n".repeat(3);
        let mut bytes = utf8.as_bytes().to_vec();
        bytes.extend_from_slice(&GBK.encode(&gbk_text).0);
        let d = decode(&bytes, false).unwrap();
        assert_eq!(d.text, format!("{utf8}{gbk_text}"));
        assert!(
            d.warnings.iter().any(|w| w.contains("mixed encodings: 3 lines read as UTF-8, 3 as GBK")),
            "{:?}",
            d.warnings
        );
        let (pure_gbk, _, _) = GBK.encode(&gbk_text);
        assert_eq!(decode(&pure_gbk, false).unwrap().encoding, "GBK", "a GBK file is not a mixture");
        let mut damaged = utf8.into_bytes();
        damaged.extend_from_slice(b"\xFF\xFE\n");
        let d = decode(&damaged, false).unwrap();
        assert!(d.warnings.iter().all(|w| !w.contains("mixed")), "{:?}", d.warnings);
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert!(matches!(decode(b"", false), Err(DecodeError::Empty)));
        assert!(matches!(decode(b"\x7fELF\x02\x01\x00\x00\x00", true), Err(DecodeError::Binary { .. })));
    }
}
