//! Tab-separated OCR output of a scanned report (seed 002): every grid
//! position is a field, merged labels are cut into fragments across the rows
//! they cover, headers come out one character per line with stray glyphs.

use crate::doc::{Block, Doc};
use crate::grid::{Grid, Role};
use crate::model::Tags;
use crate::rng::Rng;

/// Characters OCR confuses in labels (never digits).
const CONFUSIONS: &[(char, char)] =
    &[('本', '木'), ('申', '中'), ('予', '子'), ('政', '攻'), ('请', '清'), ('理', '埋')];

/// Junk a scan leaves between header and values (seed 002's stray 14).
const JUNK: &[&str] = &["14", "Ш.", "木", "扫", "_", "·", "1"];

struct Ocr<'a> {
    rng: &'a mut Rng,
    tags: &'a mut Tags,
    garbles_left: usize,
}

impl Ocr<'_> {
    fn label(&mut self, s: &str) -> String {
        let mut text = s.replace('\n', " ");
        if self.garbles_left > 0 && self.rng.chance(0.08) {
            if let Some((a, b)) = CONFUSIONS.iter().find(|(a, _)| text.contains(*a)) {
                text = text.replacen(*a, &b.to_string(), 1);
                self.garbles_left -= 1;
                self.tags.add("ocr:garbled-label-characters");
            }
        }
        if self.rng.chance(0.1) && text.chars().count() > 6 {
            let chars: Vec<char> = text.chars().collect();
            let at = self.rng.int(3, chars.len() as i64 - 2) as usize;
            text = format!("{} {}", chars[..at].iter().collect::<String>(), chars[at..].iter().collect::<String>());
            self.tags.add("ocr:spaces-inside-labels");
        }
        text
    }

    /// Header rows: each line holds the k-th fragment of every header cell.
    fn header(&mut self, g: &Grid, r: usize, occ: &[Vec<crate::grid::Slot>]) -> Vec<String> {
        let frags: Vec<Vec<String>> = (0..g.ncols)
            .map(|c| match occ[r][c] {
                Some((sr, i)) if sr == r && (c == 0 || occ[r][c - 1] != occ[r][c]) => {
                    let t = &g.rows[sr][i].text;
                    if g.ncols == 15 && t.chars().count() == 4 {
                        t.chars().map(String::from).collect() // 结/果/维/持, one per line
                    } else {
                        t.split('\n').map(String::from).collect()
                    }
                }
                _ => Vec::new(),
            })
            .collect();
        let height = frags.iter().map(Vec::len).max().unwrap_or(1);
        (0..height)
            .map(|k| frags.iter().map(|f| f.get(k).cloned().unwrap_or_default()).collect::<Vec<_>>().join("\t"))
            .collect()
    }

    fn table(&mut self, g: &Grid, out: &mut Vec<String>) {
        out.extend(g.title.iter().cloned());
        let occ = g.occupancy();
        for r in 0..g.rows.len() {
            if r < g.header_rows {
                out.extend(self.header(g, r, &occ));
                if r + 1 == g.header_rows && g.header_rows >= 2 && self.rng.chance(0.5) {
                    self.tags.add("ocr:junk-digits-in-header");
                    let junk: Vec<&str> = (0..g.ncols.min(6)).map(|_| JUNK[self.rng.below(JUNK.len())]).collect();
                    out.push(junk.join("\t"));
                }
                continue;
            }
            let fields: Vec<String> = (0..g.ncols).map(|c| self.field(g, &occ, r, c)).collect();
            out.push(format!("{}\t", fields.join("\t")));
        }
    }

    /// The text OCR reads at one position: a cell's own text where it starts,
    /// a fragment of a merged label in the rows it covers.
    fn field(&mut self, g: &Grid, occ: &[Vec<crate::grid::Slot>], r: usize, c: usize) -> String {
        let Some((sr, i)) = occ[r][c] else {
            return String::new();
        };
        let cell = &g.rows[sr][i];
        if c > 0 && occ[r][c - 1] == occ[r][c] {
            return String::new();
        }
        if cell.role == Role::Group {
            let chars: Vec<char> = cell.flat("").chars().collect();
            let n = cell.rowspan.min(chars.len()).max(1);
            let k = r - sr;
            let (lo, hi) = (k * chars.len() / n, ((k + 1) * chars.len() / n).min(chars.len()));
            return if k < n { chars[lo..hi].iter().collect() } else { String::new() };
        }
        if sr != r {
            return String::new();
        }
        match cell.role {
            Role::Label => self.label(&cell.text),
            _ => cell.flat(" "),
        }
    }
}

pub fn ocr_tab(doc: &Doc, rng: &mut Rng, tags: &mut Tags) -> String {
    let md_headings = rng.chance(0.5);
    let mut ocr = Ocr { rng, tags, garbles_left: 2 };
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Table(g) => {
                ocr.table(g, &mut out);
                out.push(String::new());
            }
            Block::Heading(s) if md_headings => {
                out.push(format!("## {s}"));
                out.push(String::new());
            }
            Block::Furniture(s) | Block::Title(s) | Block::Heading(s) | Block::Para(s) => {
                out.push(s.clone());
                out.push(String::new());
            }
            Block::Image(_) => {}
            Block::Signature(lines) => out.extend(lines.iter().cloned()),
        }
    }
    out.join("\n") + "\n"
}
