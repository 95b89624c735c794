//! Page furniture around a report (来源/时间 lines, 责任编辑, 主办, closing
//! signature) and the non-report pages (news items) that share a site with it.

use crate::doc::{Block, Doc};
use crate::grid::{GCell, Grid, Role};
use crate::model::Tags;
use crate::rng::Rng;
use crate::spec::{Date, Spec};

/// Where the publication date is printed, when the document has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePlace {
    Furniture,
    Signature,
}

pub fn date_place(spec: &Spec, rng: &mut Rng, tags: &mut Tags) -> Option<DatePlace> {
    spec.published?;
    let place = if rng.chance(0.65) { DatePlace::Furniture } else { DatePlace::Signature };
    tags.add(match place {
        DatePlace::Furniture => "published-date:page-furniture",
        DatePlace::Signature => "published-date:signature-line",
    });
    Some(place)
}

fn source(spec: &Spec, rng: &mut Rng) -> String {
    let i = spec.issuer;
    let paper = format!("{}日报", i.city.unwrap_or(i.province).trim_end_matches(['市', '省']));
    rng.pick(&[paper, i.office(), "本网".to_string(), format!("{}人民政府网", i.place())]).clone()
}

fn time_text(d: Date, rng: &mut Rng) -> String {
    match rng.int(0, 2) {
        0 => format!("{} {:02}:{:02}:{:02}", d.iso(), rng.int(8, 18), rng.int(0, 59), rng.int(0, 59)),
        1 => format!("{}年{:02}月{:02}日", d.y, d.m, d.d),
        _ => d.iso(),
    }
}

/// Lines above the title.
pub fn top(spec: &Spec, place: Option<DatePlace>, rng: &mut Rng, tags: &mut Tags) -> Vec<Block> {
    let mut out = Vec::new();
    if !rng.chance(0.75) && place != Some(DatePlace::Furniture) {
        return out;
    }
    tags.add("furniture:source-line");
    let src = source(spec, rng);
    let line = match (place, spec.published) {
        (Some(DatePlace::Furniture), Some(d)) => match rng.int(0, 2) {
            0 => format!("来源: {src} 时间: {} 访问量:{}", time_text(d, rng), rng.int(0, 9000)),
            1 => format!("发布时间：{}　　来源：{src}", time_text(d, rng)),
            _ => format!(
                "投稿:{} 来源:{src} 时间:{}",
                ["admin", "zwgk", "huoruiqi", "xxgk01"][rng.below(4)],
                time_text(d, rng)
            ),
        },
        _ => format!("来源：{src}　　浏览次数：{}", rng.int(0, 9000)),
    };
    out.push(Block::Furniture(line));
    if rng.chance(0.5) {
        out.push(Block::Furniture("字体大小[ 大 中 小 ] 打印 分享:".into()));
    }
    if rng.chance(0.35) {
        tags.add("furniture:publisher");
        out.push(Block::Furniture(format!("发布机构：{}", spec.issuer.office())));
    }
    out
}

/// Closing lines: signature (with the date when it lives there), editor,
/// site footer.
pub fn bottom(spec: &Spec, place: Option<DatePlace>, rng: &mut Rng, tags: &mut Tags) -> Vec<Block> {
    let mut out = Vec::new();
    match (place, spec.published) {
        (Some(DatePlace::Signature), Some(d)) => {
            out.push(Block::Signature(vec![spec.issuer.office(), format!("{}年{}月{}日", d.y, d.m, d.d)]));
        }
        _ if rng.chance(0.2) => out.push(Block::Signature(vec![spec.issuer.office()])),
        _ => {}
    }
    if rng.chance(0.4) {
        tags.add("furniture:editor");
        let editor = if rng.chance(0.5) {
            spec.issuer.office()
        } else {
            ["王琳", "李娜", "张伟", "刘洋"][rng.below(4)].to_string()
        };
        out.push(Block::Furniture(format!("责任编辑：{editor}")));
    }
    if rng.chance(0.4) {
        tags.add("furniture:site-footer");
        out.push(Block::Furniture(format!(
            "主办：{}　　网站标识码：{}{:04}　　ICP备{:08}号",
            spec.issuer.office(),
            spec.issuer.code,
            rng.int(1, 9999),
            rng.int(1_000_000, 99_999_999)
        )));
    }
    out
}

/// A news page from the same site: not a report, possibly with a table.
pub fn news_page(spec: &Spec, rng: &mut Rng, tags: &mut Tags) -> Doc {
    let i = spec.issuer;
    let y = spec.year;
    let mut doc = Doc::default();
    let about_reports = rng.chance(0.4);
    let title = if about_reports {
        tags.add("news:mentions-annual-reports");
        format!("关于公开{}{y}年度政府信息公开工作年度报告的公告", i.place())
    } else {
        format!("{}召开{y}年度政务公开工作推进会", i.place())
    };
    doc.head_title = title.clone();
    doc.push(Block::Furniture(format!("来源：{}　　浏览次数：{}", i.office(), rng.int(10, 5000))));
    doc.push(Block::Title(title));
    if about_reports {
        doc.para(format!(
            "根据《中华人民共和国政府信息公开条例》规定，现将{}所属各部门{y}年度政府信息公开工作年度报告予以公开，请登录各部门网站“政府信息公开”栏目查阅。",
            i.place()
        ));
    } else {
        let n = rng.int(20, 160);
        doc.para(format!(
            "{y}年{}月{}日，{}组织召开全{}政务公开工作推进会，各部门分管负责同志共{n}人参加会议。会议通报了上半年政务公开工作情况，部署了下一阶段重点任务。",
            rng.int(3, 11), rng.int(1, 28), i.office(), if i.county.is_some() { "区" } else { "市" }
        ));
        doc.para("会议强调，要进一步提高思想认识，压实工作责任，不断提升政务公开质量和实效。".to_string());
    }
    if !about_reports && rng.chance(0.6) {
        tags.add("news:unrelated-table");
        doc.push(Block::Table(schedule_table(rng)));
    }
    doc
}

/// A small table that is not a report table (a training schedule).
fn schedule_table(rng: &mut Rng) -> Grid {
    let mut g = Grid::new("none", 3);
    g.rows.push(["序号", "培训内容", "参训人数"].map(|h| GCell::new(Role::Header, h)).to_vec());
    for (n, topic) in ["政府信息公开条例解读", "依申请公开办理流程", "政务新媒体管理"].iter().enumerate()
    {
        g.rows.push(vec![
            GCell::new(Role::Label, (n + 1).to_string()),
            GCell::new(Role::Label, *topic),
            GCell::new(Role::Extra, rng.int(10, 200).to_string()),
        ]);
    }
    g.header_rows = 1;
    g
}
