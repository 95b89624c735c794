//! The bytes say what the expected JSON says: declared charsets match the
//! encoding, traditional documents are traditional, and printed integers
//! are really in the text.

use serde_json::Value;
use xxgk_synth::encode::decode;
use xxgk_synth::spec::Encoding;
use xxgk_synth::{generate, Generated, Options};

fn encoding(g: &Generated) -> Encoding {
    let layout = g.expected_json["report"]["layout"].as_str().unwrap();
    let tag = layout.split("; ").filter_map(|t| t.strip_prefix("enc:")).last().unwrap();
    Encoding::from_tag(tag).unwrap_or_else(|| panic!("{}: {tag}", g.file_name))
}

fn docs() -> Vec<Generated> {
    generate(400, 3, &Options::default())
}

#[test]
fn declared_charset_matches_bytes_and_boms() {
    for g in docs() {
        let enc = encoding(&g);
        let text = decode(&g.bytes, enc);
        let bom = match enc {
            Encoding::Utf8Bom => &[0xEF, 0xBB, 0xBF][..],
            Encoding::Utf16Le => &[0xFF, 0xFE][..],
            Encoding::Utf16Be => &[0xFE, 0xFF][..],
            _ => &[][..],
        };
        assert!(g.bytes.starts_with(bom), "{}", g.file_name);
        assert!(!text.contains('\u{FFFD}'), "{}: undecodable bytes", g.file_name);
        if let Some(at) = text.find("charset=").or_else(|| text.find("charset=\"")) {
            let label: String = text[at + 8..]
                .trim_start_matches('"')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let ok = match enc {
                Encoding::Utf8 | Encoding::Utf8Bom => label.eq_ignore_ascii_case("utf-8"),
                Encoding::Gbk => label == "gbk" || label == "gb2312",
                Encoding::Gb18030 => label == "gb18030",
                Encoding::Big5 => label == "big5",
                _ => false,
            };
            assert!(ok, "{}: declares {label} but is {enc:?}", g.file_name);
        }
    }
}

#[test]
fn script_matches_text() {
    for g in docs() {
        let text = decode(&g.bytes, encoding(&g));
        let traditional = g.expected_json["report"]["script"] == "traditional";
        assert_eq!(
            text.contains("資訊") || text.contains("訊息") || text.contains("政府信息公開"),
            traditional,
            "{}",
            g.file_name
        );
    }
}

#[test]
fn printed_integers_are_in_the_text() {
    for g in docs() {
        let text = decode(&g.bytes, encoding(&g)).replace(',', "");
        for f in g.expected_json["facts"].as_array().unwrap() {
            if let Some(v) = f[3].as_i64().filter(|v| *v >= 10) {
                assert!(
                    text.contains(&v.to_string()) || text.contains(&format!("{}元", v * 10_000)),
                    "{}: {f} not printed",
                    g.file_name
                );
            }
        }
    }
}

#[test]
fn non_reports_carry_a_status_and_no_facts() {
    for g in docs() {
        if let Some(status) = g.expected_json.get("expected_status").and_then(Value::as_str) {
            assert!(status == "not_a_report" || status == "no_tables");
            assert!(g.expected_json["facts"].as_array().unwrap().is_empty());
        }
    }
}
