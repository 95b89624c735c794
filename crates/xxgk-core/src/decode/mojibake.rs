//! Repairs GBK text that was decoded one byte out of step (`?。ㄒ唬┙∪M織` for `（一）健全組織`).
//!
//! A lost byte makes every pair straddle two characters, which lands in GBK's symbol rows
//! (kana, Greek, Cyrillic, pinyin, bopomofo, box drawing). Re-encoding the run and dropping its
//! first byte restores alignment up to the next ASCII byte, where the original decode
//! re-synchronised by itself. Pairs the first decoder could not map are gone for good; those
//! characters stay wrong, which later stages handle through fuzzy label matching.

use encoding_rs::GBK;

/// Returns the repaired text and one warning per repaired run, or None when nothing was repaired.
pub fn repair_misaligned_gbk(text: &str) -> Option<(String, Vec<String>)> {
    if !text.chars().any(is_symbol_row) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut notes = Vec::new();
    for (n, line) in text.split_inclusive('\n').enumerate() {
        out.push_str(&repair_line(line, n + 1, &mut notes));
    }
    (!notes.is_empty()).then_some((out, notes))
}

fn repair_line(line: &str, line_no: usize, notes: &mut Vec<String>) -> String {
    if !line.chars().any(is_symbol_row) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find(|c: char| !c.is_ascii()) {
        let len = rest[start..].find(|c: char| c.is_ascii()).unwrap_or(rest.len() - start);
        let run = &rest[start..start + len];
        let head = &rest[..start];
        let mut consumed = start + len;
        // A slip leaves a marker where the byte went missing ('?' or U+FFFD); without one, box
        // drawing and kana are more likely meant than misaligned. Tested before realigning:
        // re-encoding to GBK is the slowest step of decoding (encoding_rs searches its tables).
        let marked = head.ends_with('?') || head.ends_with('\u{FFFD}') || run.starts_with('\u{FFFD}');
        match marked.then(|| realign(run)).flatten() {
            Some((mut fixed, dangling)) => {
                // The '?' just before the run stands for the byte the misalignment swallowed.
                out.push_str(head.strip_suffix(['?', '\u{FFFD}']).unwrap_or(head));
                if let Some(c) = dangling.and_then(|lead| join_trail(lead, &rest[consumed..])) {
                    fixed.push(c);
                    consumed += 1;
                }
                notes.push(format!("decode: line {line_no}: re-decoded misaligned GBK run '{run}' as '{fixed}'"));
                out.push_str(&fixed);
            }
            None => {
                out.push_str(head);
                out.push_str(run);
            }
        }
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    out
}

/// The run's last lead byte pairs with the ASCII byte after it, as in the original encoding.
fn join_trail(lead: u8, after: &str) -> Option<char> {
    let trail = *after.as_bytes().first()?;
    if !(0x40..=0x7E).contains(&trail) {
        return None;
    }
    let pair = [lead, trail];
    let (text, bad) = GBK.decode_without_bom_handling(&pair);
    let c = text.chars().next()?;
    (!bad && text.chars().count() == 1 && is_ideograph(c)).then_some(c)
}

/// Re-decodes one non-ASCII run shifted by a byte, if that clearly reads better.
/// Also returns a trailing lead byte left without its partner.
fn realign(run: &str) -> Option<(String, Option<u8>)> {
    let before = run.chars().filter(|&c| is_symbol_row(c)).count();
    if before == 0 || run.chars().count() < 2 {
        return None;
    }
    let (bytes, _, unmappable) = GBK.encode(run);
    if unmappable || bytes.len() < 4 {
        return None;
    }
    let shifted = &bytes[1..];
    let dangling = (shifted.len() % 2 == 1 && is_lead_left_over(shifted)).then(|| shifted[shifted.len() - 1]);
    let body = if dangling.is_some() { &shifted[..shifted.len() - 1] } else { shifted };
    let (fixed, _) = GBK.decode_without_bom_handling(body);
    let after = fixed.chars().filter(|&c| is_symbol_row(c) || c == '\u{FFFD}').count();
    let readable = fixed.chars().any(|c| is_ideograph(c) || ('\u{FF01}'..='\u{FF5E}').contains(&c));
    (after == 0 && readable).then(|| (fixed.into_owned(), dangling))
}

/// Whether decoding pair by pair leaves the last byte as an unpaired lead byte.
fn is_lead_left_over(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
        } else if i + 1 == bytes.len() {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

fn is_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Characters of GBK rows A4–A9 that real report prose almost never contains.
fn is_symbol_row(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{30FF}'   // kana (rows A4, A5)
        | '\u{0391}'..='\u{03C9}' // Greek (A6)
        | '\u{0401}'..='\u{0451}' // Cyrillic (A7)
        | '\u{3105}'..='\u{312F}' // bopomofo (A8)
        | '\u{2500}'..='\u{257F}' // box drawing (A9)
        | 'ā' | 'á' | 'ǎ' | 'à' | 'ē' | 'é' | 'ě' | 'è' | 'ī' | 'í' | 'ǐ' | 'ì'
        | 'ō' | 'ó' | 'ǒ' | 'ò' | 'ū' | 'ú' | 'ǔ' | 'ù' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'ü' | 'ɑ' | 'ń' | 'ň' | 'ɡ')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds the misaligned form of `original` the way a one-byte slip produces it.
    fn misalign(original: &str) -> String {
        let (bytes, _, _) = GBK.encode(original);
        let mut shifted = vec![0xA1];
        shifted.extend_from_slice(&bytes);
        let (text, _) = GBK.decode_without_bom_handling(&shifted);
        format!("?{}", text.trim_end_matches('\u{FFFD}'))
    }

    #[test]
    fn repairs_a_shifted_run_and_drops_the_marker() {
        let garbled = misalign("（一）申請辦理情況");
        let (fixed, notes) = repair_misaligned_gbk(&format!("{garbled}\n下一行")).unwrap();
        assert!(fixed.starts_with("（一）申請辦理情"), "{fixed}");
        assert!(fixed.ends_with("\n下一行"));
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn repairs_the_seed_form_up_to_the_ascii_resync() {
        let (fixed, _) = repair_misaligned_gbk("?。ㄒ唬┥暾埱闆r").unwrap();
        assert_eq!(fixed, "（一）申請情況");
        let (fixed, _) = repair_misaligned_gbk("?。ǘ┥暾堔k結數 |").unwrap();
        assert!(fixed.ends_with("申請辦結數 |"), "{fixed}");
    }

    #[test]
    fn leaves_clean_text_and_box_art_alone() {
        assert!(repair_misaligned_gbk("（一）主动公开情况").is_none());
        assert!(repair_misaligned_gbk("┌──┬──┐\n│规章│ 1 │").is_none());
    }
}
