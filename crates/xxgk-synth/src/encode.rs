//! Script and byte encoding of a finished document: simplified→traditional
//! (hanconv's OpenCC tables, Taiwan standard so that Big5 can hold it), then
//! UTF-8 (±BOM), GBK, GB18030, Big5 or UTF-16 with a BOM.

use crate::spec::Encoding;

/// Traditional text. Taiwan-standard forms (為, 著, 線) are the ones Big5 has.
pub fn to_traditional(s: &str) -> String {
    hanconv::s2tw(s)
}

/// The `<meta>` label a page would declare for this encoding; UTF-16 pages
/// rely on their BOM and declare nothing.
pub fn charset_label(enc: Encoding, alt: bool) -> Option<&'static str> {
    match enc {
        Encoding::Utf8 | Encoding::Utf8Bom => Some(if alt { "UTF-8" } else { "utf-8" }),
        // WHATWG maps gb2312 to GBK, so this label does not lie.
        Encoding::Gbk => Some(if alt { "gb2312" } else { "gbk" }),
        Encoding::Gb18030 => Some("gb18030"),
        Encoding::Big5 => Some("big5"),
        Encoding::Utf16Le | Encoding::Utf16Be => None,
    }
}

/// Bytes of `text`, or the first character the legacy encoding cannot hold.
pub fn encode(text: &str, enc: Encoding) -> Result<Vec<u8>, char> {
    let legacy = |e: &'static encoding_rs::Encoding| -> Result<Vec<u8>, char> {
        let (bytes, _, had_errors) = e.encode(text);
        if had_errors {
            let bad = text.chars().find(|c| e.encode(&c.to_string()).2).unwrap_or('?');
            return Err(bad);
        }
        Ok(bytes.into_owned())
    };
    match enc {
        Encoding::Utf8 => Ok(text.as_bytes().to_vec()),
        Encoding::Utf8Bom => Ok([&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat()),
        Encoding::Gbk => legacy(encoding_rs::GBK),
        Encoding::Gb18030 => legacy(encoding_rs::GB18030),
        Encoding::Big5 => legacy(encoding_rs::BIG5),
        Encoding::Utf16Le => {
            Ok([0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect())
        }
        Encoding::Utf16Be => {
            Ok([0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect())
        }
    }
}

/// Decodes bytes written by [`encode`] (tests and sanity checks).
pub fn decode(bytes: &[u8], enc: Encoding) -> String {
    let e = match enc {
        Encoding::Utf8 | Encoding::Utf8Bom => encoding_rs::UTF_8,
        Encoding::Gbk => encoding_rs::GBK,
        Encoding::Gb18030 => encoding_rs::GB18030,
        Encoding::Big5 => encoding_rs::BIG5,
        Encoding::Utf16Le => encoding_rs::UTF_16LE,
        Encoding::Utf16Be => encoding_rs::UTF_16BE,
    };
    e.decode_with_bom_removal(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let s = "三、收到和处理政府信息公开申请情况 危及“三安全一稳定” 3,194.752万元";
        for enc in
            [Encoding::Utf8, Encoding::Utf8Bom, Encoding::Gbk, Encoding::Gb18030, Encoding::Utf16Le, Encoding::Utf16Be]
        {
            assert_eq!(decode(&encode(s, enc).unwrap(), enc), s, "{enc:?}");
        }
        let t = to_traditional(s);
        assert!(t.contains("處理") && t.contains("穩定"), "{t}");
        assert_eq!(decode(&encode(&t, Encoding::Big5).unwrap(), Encoding::Big5), t);
        assert!(encode("政府信息公开", Encoding::Big5).is_err());
    }
}
