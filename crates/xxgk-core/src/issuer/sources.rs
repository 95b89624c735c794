//! Every place a document names its issuer, gathered in order of reliability.

use super::body::best_body_org;
use super::context::Evidence;
use super::names::NameIndex;
use super::opening::{from_furniture, from_opening};
use super::org::OrgName;
use super::title::{from_lines, from_title};

/// Where an issuer candidate was read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    /// The title handed in by the pipeline.
    Title,
    /// A title line (or the organisation line above it) in the text.
    TitleLine,
    /// 本报告由X编制 / X根据《条例》…
    Opening,
    /// 发布机构 / 来源 on the page.
    Furniture,
    /// Printed in the body this many times.
    Body(usize),
    /// 主办 / 承办 / 责任编辑 / 投稿: often the portal's host rather than the author.
    Host,
}

impl Source {
    /// The warning a candidate from this source carries, if its reading is a guess.
    pub fn warning(&self, issuer: &str) -> Option<String> {
        match self {
            Source::Title | Source::TitleLine | Source::Opening => None,
            Source::Furniture => Some(format!("issuer {issuer} taken from page furniture (发布机构/来源)")),
            Source::Body(n) => Some(format!("issuer {issuer} taken from the body text (printed {n}×)")),
            Source::Host => Some(format!(
                "issuer {issuer} taken from the site's host (主办/责任编辑), which may be the portal, not the author"
            )),
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Source::Title => "the title",
            Source::TitleLine => "the title line",
            Source::Opening => "the opening sentence",
            Source::Furniture => "page furniture",
            Source::Body(_) => "the body",
            Source::Host => "the site's host",
        }
    }
}

/// An organisation read from one source.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub org: OrgName,
    pub source: Source,
}

/// All candidates of a document, most reliable first. `compact` is the title and
/// text without whitespace, the text `ev` was gathered over.
pub(crate) fn candidates(
    names: &NameIndex,
    title: Option<&str>,
    text: &str,
    compact: &str,
    ev: &Evidence,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut push = |org: Option<OrgName>, source: Source| {
        if let Some(org) = org {
            out.push(Candidate { org, source });
        }
    };
    push(title.and_then(|t| from_title(names, t)), Source::Title);
    push(from_lines(names, text), Source::TitleLine);
    push(from_opening(names, text), Source::Opening);
    let (strong, host) = from_furniture(names, text);
    push(strong, Source::Furniture);
    let body = best_body_org(names, compact, &ev.mentions);
    // A name printed once, and that once in the host line, is the host, not body text.
    let host_issuer = host.as_ref().map(|h| h.issuer(&h.chain_text));
    let body = body.filter(|b| b.count > 1 || host_issuer.as_deref() != Some(b.issuer.as_str()));
    if let Some(b) = body {
        push(Some(b.org), Source::Body(b.count));
    }
    push(host, Source::Host);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuer::text::compact;
    use crate::issuer::Divisions;

    fn sources(title: Option<&str>, text: &str) -> Vec<Source> {
        let divs = Divisions::embedded();
        let c = compact(text);
        let ev = Evidence::gather(divs, &c);
        candidates(&divs.names, title, text, &c, &ev).into_iter().map(|c| c.source).collect()
    }

    #[test]
    fn order_of_reliability() {
        let text =
            "周口市2020年政府信息公开工作年度报告\n本报告由周口市人民政府办公室汇总编制。\n责任编辑:周口市人民政府";
        let s = sources(Some("周口市2020年政府信息公开工作年度报告"), text);
        assert_eq!(s[..3], [Source::Title, Source::TitleLine, Source::Opening]);
        assert_eq!(s.last(), Some(&Source::Host));
    }

    #[test]
    fn body_only() {
        let s = sources(None, "我局制定了《驻马店市水利局政府信息公开制度》。");
        assert_eq!(s, [Source::Body(1)]);
        assert!(Source::Body(1).warning("x").unwrap().contains("body"));
        assert!(Source::Title.warning("x").is_none());
    }
}
