//! Layout tags for label variants (recorded only where the label is printed)
//! and the list of tags a large corpus must contain, for the coverage test.

use crate::labels::Paren;
use crate::model::Tags;
use crate::spec::{DocKind, ProcUnit, Spec, Template};

fn numbering(spec: &Spec, tags: &mut Tags) {
    let l = &spec.labels;
    tags.add(format!("num:item-1{}", l.item_sep));
    let paren = match l.paren {
        Paren::Full => "（一）",
        Paren::Half => "(一)",
        Paren::Dun if spec.template == Template::Legacy => "（一）",
        Paren::Dun => "一、",
    };
    tags.add(format!("num:group-{paren}"));
    if l.half_punct {
        tags.add("punct:half-width");
    }
}

/// Adds the label tags that apply to this document's printed tables.
pub fn label_tags(spec: &Spec, tags: &mut Tags) {
    if spec.kind != DocKind::Report {
        return;
    }
    numbering(spec, tags);
    if spec.template == Template::Legacy {
        return;
    }
    let l = &spec.labels;
    let flags = [
        (l.typo_weiji, "label:危机-for-危及"),
        (l.typo_shoudao, "label:本年新收到"),
        (l.typo_anjuan, "label:行政法案卷"),
        (l.other_org_label == "其他组织", "label:其他组织-for-其他"),
        (l.total_label == "合计", "label:合计-for-总计"),
        (l.carried_over_short, "label:上年结转政府信息公开数量"),
        (l.truncated_partial, "label:truncated-（二）部分公开"),
        (l.caption_space, "label:第二十条-space-第（一）项"),
        (l.carried_forward != "结转下年度继续办理", "label:结转下一年(度)继续办理"),
    ];
    for (on, tag) in flags {
        if on {
            tags.add(tag);
        }
    }
    tags.add(format!("label:quotes-{}{}", l.quotes.0, l.quotes.1));
    if spec.template == Template::Y2021 {
        tags.add(if l.old_normative_label { "label:2021-规范性文件" } else { "label:2021-行政规范性文件" });
        if l.fee_header_short {
            tags.add("label:本年收费金额（万元）");
        }
        if l.comma_in_other && spec.tables.other_split {
            tags.add("label:（六）-comma-for-、");
        }
    } else if l.fee_header_short && spec.tables.proc_unit == ProcUnit::HeaderWan {
        tags.add("label:采购总金额（万元）");
    }
}

/// Tags (or tag prefixes ending in `*`) that 2,000 documents must contain
/// several times each.
pub const REQUIRED: &[&str] = &[
    "kind:report",
    "kind:no_tables",
    "kind:not_a_report",
    "template:legacy",
    "template:2019",
    "template:2021",
    "format:html-table",
    "format:html-word",
    "format:text-cell-per-line",
    "format:text-cell-pipe-suffix",
    "format:text-pipe-rows",
    "format:markdown-pipe-table",
    "format:pdf-text-rows",
    "format:pdf-text-label-then-numbers",
    "format:ocr-tab-rows",
    "enc:utf-8",
    "enc:utf-8-bom",
    "enc:gbk",
    "enc:gb18030",
    "enc:big5",
    "enc:utf-16le-bom",
    "enc:utf-16be-bom",
    "html:meta-charset",
    "html:no-charset-declaration",
    "html:quote-entities",
    "html-word:merged-header-cells-as-empty-td",
    "script:traditional",
    "script:simplified",
    "legacy:single-value-column",
    "legacy:aggregate-columns-各县区-各部门-全市",
    "legacy:blank-cells",
    "legacy:note-on-its-own-row",
    "legacy:六七-merged-empty-cells",
    "legacy:local-unlisted-rows",
    "legacy:row-absent(政务微信)",
    "2021:（六）-split-into-3-rows",
    "2021:（六）-printed-undivided(other)",
    "t2:5-column-grid-header-data-misaligned",
    "t3:total-column-blank-except-一二七四",
    "t3:法人或其他组织小计-column",
    "t3:group-subtotal-rows",
    "t3:cells-run-together",
    "t4:one-row-of-15",
    "t4:split-into-three-tables",
    "val:amount-in-元-for-万元-key",
    "val:万元-written-in-cell",
    "val:万元-decimals",
    "val:thousands-separator",
    "val:signed-delta",
    "val:note-inside-cell",
    "val:placeholder-in-table-二",
    "md:header-words-broken-across-rows",
    "md:header-repeated-after-page-break",
    "page-footers",
    "pdf:vertical-label-one-char-per-line",
    "pdf:wrapped-labels",
    "pdf:header-repeated-after-page-break",
    "ocr:junk-digits-in-header",
    "ocr:garbled-label-characters",
    "ocr:spaces-inside-labels",
    "label:危机-for-危及",
    "label:本年新收到",
    "label:行政法案卷",
    "label:其他组织-for-其他",
    "label:合计-for-总计",
    "label:上年结转政府信息公开数量",
    "label:truncated-（二）部分公开",
    "label:第二十条-space-第（一）项",
    "label:结转下一年(度)继续办理",
    "label:quotes-“”",
    "label:quotes-\"\"",
    "label:quotes-''",
    "label:2021-规范性文件",
    "label:2021-行政规范性文件",
    "label:本年收费金额（万元）",
    "label:采购总金额（万元）",
    "label:（六）-comma-for-、",
    "num:item-1.",
    "num:item-1．",
    "num:item-1、",
    "num:group-（一）",
    "num:group-(一)",
    "num:group-一、",
    "punct:half-width",
    "published-date:page-furniture",
    "published-date:signature-line",
    "furniture:source-line",
    "furniture:publisher",
    "furniture:editor",
    "furniture:site-footer",
    "narrative:numbers-differ-from-table",
    "news:mentions-annual-reports",
    "news:unrelated-table",
    "t3:zeros-left-blank",
    "t3:zeros-as-placeholder",
    "t3:run-together-row-needs-column-identities",
    "val:empty-cell",
    "val:placeholder-—",
    "val:placeholder--",
    "val:placeholder-/",
    "val:placeholder-无",
    "corrupt:increased",
    "corrupt:decreased",
    "corrupt:zeroed",
    "corrupt:digits-swapped",
    "corrupt-cell:*",
];
