//! Word-exported pages spend ~40 % of their bytes on attributes (`style`, `class`, `lang`)
//! that the layout never reads, and html5ever tokenises every one of them char by char into
//! heap strings. This pass removes them before html5ever sees the page, keeping the two the
//! layout does read (`rowspan`, `colspan`).
//!
//! It follows the tokenizer states of the HTML standard closely enough to know where a start
//! tag's attributes are, and drops bytes only there: comments, doctypes, end tags, raw-text
//! element contents and a tag cut off by the end of the file are copied as they are. What it
//! cannot follow without the tree builder's state it leaves alone:
//! - pages with `<svg>`, `<math>`, `<select>` or `<frameset>` (raw text and CDATA work
//!   differently there), and scripts that could enter the double-escaped state, are returned
//!   whole;
//! - tags whose attributes steer the tree builder keep them: formatting elements (the
//!   "Noah's Ark" clause compares their attributes), `<input>` (`type=hidden` in tables) and
//!   `<template>`.
//!
//! It also unwraps `<span>` and Word's `<o:p>` where they hold nothing but text: a quarter of
//! the tags of a Word page, and ordinary inline elements, so the text sits where it did. Only
//! text-only ones, because an end tag that closes a misnested `<p>` inside would move what
//! follows; not before a newline, which `<pre>` and `<textarea>` drop after their start tag;
//! not around whitespace alone, which a table keeps but a span would carry out of it; and
//! only between tags, so its text joins no other.

use memchr::{memchr, memmem};
use std::borrow::Cow;

/// The attributes the layout reads (see `html::spans`).
const KEEP: [&[u8]; 2] = [b"rowspan", b"colspan"];
/// Elements whose content the tokenizer reads as text, not markup.
const RAW_TEXT: [&[u8]; 9] =
    [b"script", b"style", b"xmp", b"iframe", b"noembed", b"noframes", b"noscript", b"textarea", b"title"];

/// Elements after which the page is returned whole (see the module comment).
const GIVE_UP: [&[u8]; 4] = [b"svg", b"math", b"select", b"frameset"];
/// Elements whose attributes the tree builder reads.
const KEEP_ALL: [&[u8]; 16] = [
    b"a",
    b"b",
    b"big",
    b"code",
    b"em",
    b"font",
    b"i",
    b"nobr",
    b"s",
    b"small",
    b"strike",
    b"strong",
    b"tt",
    b"u",
    b"input",
    b"template",
];

/// Inline elements unwrapped when they hold only text (see the module comment).
const UNWRAP: [&[u8]; 2] = [b"span", b"o:p"];

/// Markup this pass does not follow; the page is parsed as it came.
struct GiveUp;

/// The page without the attributes the layout does not read; the same layout either way.
pub fn slim(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(at) = memchr(b'<', &b[i..]) {
        let lt = i + at;
        out.extend_from_slice(&b[i..lt]);
        match markup(b, lt, &mut out) {
            Ok(next) => i = next,
            Err(GiveUp) => return Cow::Borrowed(html),
        }
    }
    out.extend_from_slice(&b[i..]);
    // Every cut is next to an ASCII delimiter, so the bytes kept are whole UTF-8 sequences.
    String::from_utf8(out).map_or(Cow::Borrowed(html), Cow::Owned)
}

/// Handles the markup at `lt` (a `<`); returns where scanning resumes.
fn markup(b: &[u8], lt: usize, out: &mut Vec<u8>) -> Result<usize, GiveUp> {
    let rest = &b[lt..];
    let end = match rest.get(1) {
        Some(c) if c.is_ascii_alphabetic() => return start_tag(b, lt, out),
        Some(b'!') if rest.starts_with(b"<!--") => comment_end(b, lt + 4),
        Some(b'!' | b'?') => through_gt(b, lt + 2),
        Some(b'/') => match rest.get(2) {
            Some(c) if c.is_ascii_alphabetic() => scan_tag(b, name_end(b, lt + 2)).map_or(b.len(), |t| t.end),
            Some(_) => through_gt(b, lt + 2),
            None => b.len(),
        },
        // A `<` that opens nothing is text.
        _ => lt + 1,
    };
    out.extend_from_slice(&b[lt..end]);
    Ok(end)
}

fn one_of(name: &[u8], list: &[&[u8]]) -> bool {
    list.iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// Writes a start tag with only the kept attributes; copies a raw-text element's content.
fn start_tag(b: &[u8], lt: usize, out: &mut Vec<u8>) -> Result<usize, GiveUp> {
    let name_to = name_end(b, lt + 1);
    let name = &b[lt + 1..name_to];
    if one_of(name, &GIVE_UP) {
        return Err(GiveUp);
    }
    let Some(tag) = scan_tag(b, name_to) else {
        // Cut off by the end of the file: html5ever drops it; so does an unchanged copy.
        out.extend_from_slice(&b[lt..]);
        return Ok(b.len());
    };
    if one_of(name, &UNWRAP) && !tag.self_closing {
        if let Some(next) = unwrap_text_only(b, tag.end, name, out) {
            return Ok(next);
        }
    }
    if one_of(name, &KEEP_ALL) {
        out.extend_from_slice(&b[lt..tag.end]);
    } else {
        write_slim_tag(&b[lt..name_to], &tag, b, out);
    }
    if name.eq_ignore_ascii_case(b"plaintext") {
        out.extend_from_slice(&b[tag.end..]);
        return Ok(b.len());
    }
    if !one_of(name, &RAW_TEXT) {
        return Ok(tag.end);
    }
    let close = raw_text_end(b, tag.end, name);
    let content = &b[tag.end..close];
    if name.eq_ignore_ascii_case(b"script") && may_double_escape(content) {
        return Err(GiveUp);
    }
    out.extend_from_slice(content);
    Ok(close)
}

/// When the element whose start tag ends at `from` holds only text up to its `</name>`, that
/// text is written and the position after the end tag returned.
fn unwrap_text_only(b: &[u8], from: usize, name: &[u8], out: &mut Vec<u8>) -> Option<usize> {
    let lt = from + memchr(b'<', &b[from..])?;
    let text = &b[from..lt];
    // Whitespace alone is kept in a table where the span would have been moved out of it.
    let blank = !text.is_empty() && text.iter().all(|&c| is_space(c));
    if blank || matches!(text.first(), Some(b'\n' | b'\r')) || !b[lt + 1..].starts_with(b"/") {
        return None;
    }
    let name_to = name_end(b, lt + 2);
    if !b[lt + 2..name_to].eq_ignore_ascii_case(name) {
        return None;
    }
    let end = scan_tag(b, name_to)?.end;
    // Only between tags: text beside the span would join its text, and a `<` or `&` there
    // could become a tag or a character reference; a table moves a joined run out whole
    // when any of it is not whitespace, where alone the whitespace would have stayed.
    // An empty one (Word's `<o:p></o:p>`) joins nothing on its left.
    let joins_left = !text.is_empty() && out.last().is_some_and(|&c| c != b'>');
    if joins_left || b.get(end).is_some_and(|&c| c != b'<') {
        return None;
    }
    out.extend_from_slice(text);
    Some(end)
}

fn write_slim_tag(open: &[u8], tag: &Tag, b: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(open);
    for &(from, to) in &tag.kept {
        out.push(b' ');
        out.extend_from_slice(&b[from..to]);
    }
    // The space keeps an unquoted last value from swallowing the solidus.
    out.extend_from_slice(if tag.self_closing { b" />" } else { b">" });
}

/// A `<script` after a `<!--` inside a script puts the tokenizer in the double-escaped state,
/// where `</script>` does not end the script.
fn may_double_escape(content: &[u8]) -> bool {
    memmem::find(content, b"<!--")
        .is_some_and(|at| content[at..].windows(7).any(|w| w.eq_ignore_ascii_case(b"<script")))
}

struct Tag {
    /// Byte ranges of the kept attributes, name through value.
    kept: Vec<(usize, usize)>,
    self_closing: bool,
    /// Just past the closing `>`.
    end: usize,
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn name_end(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|&c| is_space(c) || c == b'/' || c == b'>').map_or(b.len(), |p| from + p)
}

/// The attribute list from `i` (just past the tag name) to the tag's `>`, following the
/// standard's attribute states; None when the file ends inside the tag.
fn scan_tag(b: &[u8], mut i: usize) -> Option<Tag> {
    let mut tag = Tag { kept: Vec::new(), self_closing: false, end: 0 };
    loop {
        // Before attribute name.
        while is_space(*b.get(i)?) {
            i += 1;
        }
        match b[i] {
            b'>' => {
                tag.end = i + 1;
                return Some(tag);
            }
            b'/' => {
                i += 1;
                if *b.get(i)? == b'>' {
                    (tag.self_closing, tag.end) = (true, i + 1);
                    return Some(tag);
                }
                continue;
            }
            _ => {}
        }
        let from = i;
        let to = attribute(b, &mut i)?;
        if KEEP.iter().any(|k| b[from..to.0].eq_ignore_ascii_case(k)) {
            tag.kept.push((from, to.1));
        }
    }
}

/// One attribute from its name at `i`; returns (end of name, end of value) and leaves `i`
/// at the byte after it.
fn attribute(b: &[u8], i: &mut usize) -> Option<(usize, usize)> {
    // A leading `=` belongs to the name.
    *i += 1;
    while !matches!(*b.get(*i)?, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ' | b'/' | b'>' | b'=') {
        *i += 1;
    }
    let name_to = *i;
    let mut j = *i;
    while is_space(*b.get(j)?) {
        j += 1;
    }
    if b[j] != b'=' {
        return Some((name_to, name_to));
    }
    j += 1;
    while is_space(*b.get(j)?) {
        j += 1;
    }
    let value_to = match b[j] {
        q @ (b'"' | b'\'') => j + 1 + memchr(q, &b[j + 1..])? + 1,
        // A missing value; the `>` ends the tag.
        b'>' => j,
        _ => b[j..].iter().position(|&c| is_space(c) || c == b'>').map_or(b.len(), |p| j + p),
    };
    if value_to >= b.len() {
        return None;
    }
    *i = value_to;
    Some((name_to, value_to))
}

/// Past the end of a comment whose text starts at `from`: `-->` or `--!>`, or at once for
/// `<!-->` and `<!--->`.
fn comment_end(b: &[u8], from: usize) -> usize {
    if b[from..].starts_with(b">") {
        return from + 1;
    }
    if b[from..].starts_with(b"->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(p) = memmem::find(&b[i..], b"--") {
        let at = i + p + 2;
        if b[at..].starts_with(b">") {
            return at + 1;
        }
        if b[at..].starts_with(b"!>") {
            return at + 2;
        }
        i = i + p + 1;
    }
    b.len()
}

/// Past the first `>` from `from` (doctypes and bogus comments end there, quotes or not).
fn through_gt(b: &[u8], from: usize) -> usize {
    memchr(b'>', &b[from..]).map_or(b.len(), |p| from + p + 1)
}

/// Where the content of raw-text element `name` ends: at `</name` followed by a space, `/`
/// or `>` (any case), or the end of the file.
fn raw_text_end(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = memchr(b'<', &b[i..]) {
        let at = i + p;
        let after = at + 2 + name.len();
        if b[at + 1..].starts_with(b"/")
            && b.len() > after
            && b[at + 2..after].eq_ignore_ascii_case(name)
            && (is_space(b[after]) || b[after] == b'/' || b[after] == b'>')
        {
            return at;
        }
        i = at + 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::slim;

    #[test]
    fn attributes_go_but_spans_stay() {
        let page = r#"<td class=xl65 style="border:none;mso-x:'>'" ROWSPAN=2 colspan="3">数</td>"#;
        assert_eq!(slim(page), r#"<td ROWSPAN=2 colspan="3">数</td>"#);
    }

    #[test]
    fn comments_doctypes_and_end_tags_are_copied() {
        let page = "<!DOCTYPE html><!-- <p style=x> --><p><!--><p a=1></p x='>'>";
        assert_eq!(slim(page), "<!DOCTYPE html><!-- <p style=x> --><p><!--><p></p x='>'>");
    }

    #[test]
    fn raw_text_content_is_copied() {
        let page = "<style type=t><p class=a></style ><script>if(a<b){}</script><p lang=zh>x";
        assert_eq!(slim(page), "<style><p class=a></style ><script>if(a<b){}</script><p>x");
    }

    #[test]
    fn what_the_tree_builder_reads_is_left_alone() {
        let page = r#"<font face="宋体" size=2><p class=a>x</p></font><input type=hidden>"#;
        assert_eq!(slim(page), r#"<font face="宋体" size=2><p>x</p></font><input type=hidden>"#);
        for page in
            ["<p class=a><svg><style>x</style></svg>", "<SELECT><p class=a>", "<script><!--<script>--></script>"]
        {
            assert_eq!(slim(page), page);
        }
    }

    #[test]
    fn a_solidus_after_an_unquoted_span_stays_apart() {
        assert_eq!(slim("<td rowspan=2/>"), "<td rowspan=2/>");
        assert_eq!(slim("<br class=a rowspan=2 />"), "<br rowspan=2 />");
        assert_eq!(slim("<td/rowspan=2 x>"), "<td rowspan=2>");
    }

    #[test]
    fn text_only_spans_are_unwrapped() {
        let page = "<p class=a><span lang=EN>数</span><SPAN>据<o:p></o:p></SPAN><o:p>&nbsp;</O:P></p>";
        assert_eq!(slim(page), "<p>数<SPAN>据</SPAN>&nbsp;</p>");
        // Not around markup, not before a newline, not when the end tag is another element's.
        for page in [
            "<span><p>x</span>y",
            "<pre><span>\nx</span></pre>",
            "<span>x</sp>",
            "<span>x",
            "<span> </span>",
            "a <span>b</span>",
            "<span>b</span> c",
            "<<o:p>a</o:p>",
            "&<span>amp;</span>",
        ] {
            assert_eq!(slim(page), page);
        }
        assert_eq!(slim("<span/>x</span>"), "<span />x</span>");
    }

    #[test]
    fn a_tag_cut_off_at_the_end_is_copied() {
        assert_eq!(slim("<p>a<td style=\"x"), "<p>a<td style=\"x");
        assert_eq!(slim("a < b <"), "a < b <");
    }
}
