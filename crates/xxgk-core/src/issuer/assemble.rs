//! Turning the best candidate into the output columns: division, names, warnings.

use super::context::Evidence;
use super::divisions::{Division, Divisions, Level};
use super::names::NameEntry;
use super::org::{OrgKind, OrgName};
use super::resolve::{resolve_chain, Resolution};
use super::sources::{Candidate, Source};
use super::IssuerInfo;

/// Build the issuer columns from the candidates (most reliable first).
pub(crate) fn assemble(divs: &Divisions, cands: &[Candidate], year: Option<i32>, ev: &Evidence) -> IssuerInfo {
    let mut info = IssuerInfo::default();
    let Some(best) = cands.first() else {
        info.warnings.push(
            "no issuer found in the title, opening sentence, page furniture or body; issuer columns left null".into(),
        );
        return info;
    };
    let org = &best.org;
    let (res, prefix) = locate(divs, best, cands, year, ev);
    info.warnings.extend(res.warnings);
    let row = res.row.map(|r| divs.row(r));
    if let Some(d) = row {
        fill_division(&mut info, divs, d, year);
    }
    info.issuer_kind = Some(match org.kind {
        OrgKind::Government => "government".to_string(),
        OrgKind::Department => "department".to_string(),
    });
    info.issuer = issuer_name(best, prefix.as_deref(), &mut info.warnings);
    if let Some(w) = info.issuer.as_deref().and_then(|i| best.source.warning(i)) {
        info.warnings.push(w);
    }
    if let Some(w) = disagreement(divs, best, cands) {
        info.warnings.push(w);
    }
    info
}

/// The issuer as the dataset prints it, built on `prefix` (the printed or resolved division).
fn issuer_name(best: &Candidate, prefix: Option<&str>, warnings: &mut Vec<String>) -> Option<String> {
    let org = &best.org;
    let office_reports = org.office && matches!(best.source, Source::Title | Source::TitleLine);
    match (&org.town, prefix) {
        (Some(_), _) => Some(org.issuer(&org.chain_text)),
        // The title names the general office itself: keep it as printed, so that its
        // report and the government's stay apart.
        (None, Some(p)) if office_reports => {
            warnings.push(format!("the title names the general office {p}{}; kind government", org.unit));
            Some(format!("{p}{}", org.unit))
        }
        (None, Some(p)) => Some(org.issuer(p)),
        (None, None) => {
            warnings.push(format!("issuer printed only as {}; issuer left null", org.printed()));
            None
        }
    }
}

/// Resolve the candidate's division; returns it with the prefix its issuer name is built on.
fn locate(
    divs: &Divisions,
    best: &Candidate,
    cands: &[Candidate],
    year: Option<i32>,
    ev: &Evidence,
) -> (Resolution, Option<String>) {
    let org = &best.org;
    if !org.chain.is_empty() {
        let mut res = resolve_chain(divs, &org.chain, year, ev);
        if let Some(town) = &org.town {
            res.warnings.push(format!("town-level issuer {town}: division is the one it belongs to"));
        }
        return (res, Some(org.chain_text.clone()));
    }
    let fits = level_test(org);
    let mut res = from_other_source(divs, best, cands, &fits, year, ev)
        .or_else(|| from_dominant_place(divs, org, &fits, year, ev))
        .unwrap_or_else(|| Resolution {
            row: None,
            warnings: vec![format!(
                "issuer {} names no division and the text names none clearly; division left null",
                org.printed()
            )],
        });
    if org.town.is_some() {
        res.warnings.push(format!("town-level issuer {}: division is the one it belongs to", org.printed()));
    }
    let prefix = res.row.map(|r| divs.row(r).name.clone());
    (res, prefix)
}

/// Which names an abbreviated division (市, 区, 县…), a bare town or a bare
/// department may stand for.
fn level_test(org: &OrgName) -> impl Fn(&NameEntry, &Divisions) -> bool + '_ {
    move |e: &NameEntry, divs: &Divisions| {
        let level = |l: Level| e.full.iter().any(|&r| divs.row(r).level == l);
        match (org.abbrev, org.town.is_some()) {
            (Some('市'), _) => e.text.ends_with('市'),
            (Some('省'), _) => e.text.ends_with('省'),
            (Some(c @ ('州' | '盟')), _) => e.text.ends_with(c) && level(Level::Prefecture),
            (Some(c), _) => e.text.ends_with(c) && level(Level::County),
            (None, true) => level(Level::County),
            (None, false) => true,
        }
    }
}

/// The division printed in full by another source (opening sentence, furniture, body).
fn from_other_source(
    divs: &Divisions,
    best: &Candidate,
    cands: &[Candidate],
    fits: &impl Fn(&NameEntry, &Divisions) -> bool,
    year: Option<i32>,
    ev: &Evidence,
) -> Option<Resolution> {
    let other = cands.iter().skip(1).find(|c| c.org.chain.last().is_some_and(|&e| fits(divs.names.entry(e), divs)))?;
    let mut res = resolve_chain(divs, &other.org.chain, year, ev);
    res.row?;
    let msg = format!(
        "issuer printed as {}: division taken from {} ({})",
        best.org.printed(),
        other.source.label(),
        other.org.chain_text
    );
    res.warnings.insert(0, msg);
    Some(res)
}

/// The place of the right level the text names most often.
fn from_dominant_place(
    divs: &Divisions,
    org: &OrgName,
    fits: &impl Fn(&NameEntry, &Divisions) -> bool,
    year: Option<i32>,
    ev: &Evidence,
) -> Option<Resolution> {
    let (entry, n) = ev.dominant(divs, |e| fits(e, divs))?;
    let mut res = resolve_chain(divs, &[entry], year, ev);
    res.row?;
    let name = &divs.names.entry(entry).text;
    res.warnings.insert(
        0,
        format!(
            "issuer printed as {}: division guessed as {name}, the place the text names most ({n} times)",
            org.printed()
        ),
    );
    Some(res)
}

fn fill_division(info: &mut IssuerInfo, divs: &Divisions, d: &Division, year: Option<i32>) {
    for a in divs.ancestry(d, year) {
        let slot = match a.level {
            Level::Province => &mut info.province,
            Level::Prefecture => &mut info.city,
            Level::County => &mut info.county,
        };
        *slot = Some(a.name.clone());
    }
    info.division_code = Some(d.code.clone());
}

/// A warning when a reliable source names a place unrelated to the chosen one.
fn disagreement(divs: &Divisions, best: &Candidate, cands: &[Candidate]) -> Option<String> {
    let &a = best.org.chain.last()?;
    let related = |x: usize, y: usize| {
        let (ex, ey) = (divs.names.entry(x), divs.names.entry(y));
        x == y
            || ex.full.iter().any(|&r| {
                ey.full.iter().any(|&s| divs.row(r).contains(divs.row(s)) || divs.row(s).contains(divs.row(r)))
            })
    };
    let reliable = |s: &Source| matches!(s, Source::Title | Source::TitleLine | Source::Opening | Source::Furniture);
    let other = cands
        .iter()
        .skip(1)
        .filter(|c| reliable(&c.source))
        .find(|c| c.org.chain.last().is_some_and(|&b| !related(a, b)))?;
    Some(format!(
        "sources disagree: {} names {}, {} names {}",
        best.source.label(),
        best.org.printed(),
        other.source.label(),
        other.org.printed()
    ))
}
