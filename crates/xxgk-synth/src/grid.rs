//! The physical table every renderer reads: rows of cells with row/column
//! spans (as an HTML table has them), each cell tagged with its role and the
//! facts it prints.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Block caption spanning the table (第二十条第（一）项).
    Caption,
    Header,
    /// A label cell spanning several rows (三、本年度办理结果).
    Group,
    Label,
    Unit,
    /// A printed value that is a fact.
    Value,
    /// A printed value that is not a fact (小计 column, subtotal rows).
    Extra,
}

#[derive(Clone, Debug)]
pub struct GCell {
    /// Text; `\n` marks where a PDF or Word layout broke the label.
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
    pub role: Role,
    /// `(row_key, col_key)` of the facts printed in this cell (several for a
    /// run-together row).
    pub facts: Vec<(String, &'static str)>,
}

impl GCell {
    pub fn new(role: Role, text: impl Into<String>) -> Self {
        GCell { text: text.into(), rowspan: 1, colspan: 1, role, facts: Vec::new() }
    }

    pub fn span(mut self, rowspan: usize, colspan: usize) -> Self {
        self.rowspan = rowspan;
        self.colspan = colspan;
        self
    }

    pub fn fact(text: impl Into<String>, row: &str, col: &'static str) -> Self {
        let mut c = GCell::new(Role::Value, text);
        c.facts.push((row.to_string(), col));
        c
    }

    pub fn is_value(&self) -> bool {
        matches!(self.role, Role::Value | Role::Extra)
    }

    /// Text on one line (PDF converters and pipe tables join broken labels).
    pub fn flat(&self, joiner: &str) -> String {
        self.text.replace('\n', joiner)
    }
}

#[derive(Clone, Debug)]
pub struct Grid {
    /// Table the facts belong to.
    pub table: &'static str,
    /// Printed above the table (统计表 title, the split table 四 titles).
    pub title: Option<String>,
    pub ncols: usize,
    pub rows: Vec<Vec<GCell>>,
    /// Leading rows that a page break may repeat.
    pub header_rows: usize,
}

/// Which cell covers a position: `(row, index in row)`.
pub type Slot = Option<(usize, usize)>;

impl Grid {
    pub fn new(table: &'static str, ncols: usize) -> Self {
        Grid { table, title: None, ncols, rows: Vec::new(), header_rows: 0 }
    }

    /// Position map as an HTML table engine lays the cells out.
    pub fn occupancy(&self) -> Vec<Vec<Slot>> {
        let mut m: Vec<Vec<Slot>> = vec![vec![None; self.ncols]; self.rows.len()];
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0;
            for (i, cell) in row.iter().enumerate() {
                while c < self.ncols && m[r][c].is_some() {
                    c += 1;
                }
                for covered in m.iter_mut().skip(r).take(cell.rowspan) {
                    for slot in covered.iter_mut().skip(c).take(cell.colspan) {
                        *slot = Some((r, i));
                    }
                }
                c += cell.colspan;
            }
        }
        m
    }

    /// Positions of row `r` that the row's own cells do not start: spans
    /// from the left and from rows above. Pipe converters print one `|` each.
    pub fn extras(&self, r: usize, occ: &[Vec<Slot>]) -> usize {
        let own = self.rows[r].len();
        let filled = occ[r].iter().filter(|s| s.is_some()).count();
        filled.saturating_sub(own)
    }

    /// Every fact the grid prints.
    pub fn fact_refs(&self) -> Vec<(String, &'static str)> {
        self.rows.iter().flatten().flat_map(|c| c.facts.iter().cloned()).collect()
    }

    /// Word's export of a header cell merged downwards: the span becomes a
    /// single cell and each covered position gets an empty `<td>`.
    pub fn expand_header_rowspans(&mut self) {
        let occ = self.occupancy();
        let mut inserts: Vec<(usize, usize, usize, usize)> = Vec::new(); // row, index, start col, colspan
        for r in 0..self.header_rows.min(self.rows.len()) {
            for i in 0..self.rows[r].len() {
                let cell = &self.rows[r][i];
                if cell.rowspan < 2 {
                    continue;
                }
                let c0 = occ[r].iter().position(|s| *s == Some((r, i))).expect("cell is laid out");
                for (rr, occ_row) in occ.iter().enumerate().skip(r + 1).take(cell.rowspan - 1) {
                    // index = own cells of row rr that start left of the span
                    let mut own: Vec<usize> = occ_row[..c0]
                        .iter()
                        .filter_map(|s| match s {
                            Some((sr, j)) if *sr == rr => Some(*j),
                            _ => None,
                        })
                        .collect();
                    own.dedup();
                    inserts.push((rr, own.len(), c0, cell.colspan));
                }
            }
        }
        for row in self.rows.iter_mut().take(self.header_rows) {
            for cell in row {
                cell.rowspan = 1;
            }
        }
        // right-most first, so earlier indices stay valid
        inserts.sort_by_key(|&(row, idx, c0, _)| (row, std::cmp::Reverse(idx), std::cmp::Reverse(c0)));
        for (row, idx, _, colspan) in inserts {
            self.rows[row].insert(idx, GCell::new(Role::Header, "").span(1, colspan));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_laid_out_like_html() {
        let mut g = Grid::new("applications", 3);
        g.rows.push(vec![GCell::new(Role::Group, "g").span(2, 1), GCell::new(Role::Label, "a").span(1, 2)]);
        g.rows.push(vec![GCell::new(Role::Label, "b"), GCell::new(Role::Value, "1")]);
        let occ = g.occupancy();
        assert_eq!(occ[1], vec![Some((0, 0)), Some((1, 0)), Some((1, 1))]);
        assert_eq!(g.extras(0, &occ), 1);
        assert_eq!(g.extras(1, &occ), 1);
    }

    #[test]
    fn word_placeholders_fill_merged_header_positions() {
        let mut g = Grid::new("applications", 4);
        g.rows.push(vec![
            GCell::new(Role::Header, "n").span(2, 1),
            GCell::new(Role::Header, "org").span(1, 2),
            GCell::new(Role::Header, "t").span(2, 1),
        ]);
        g.rows.push(vec![GCell::new(Role::Header, "a"), GCell::new(Role::Header, "b")]);
        g.header_rows = 2;
        g.expand_header_rowspans();
        let texts: Vec<&str> = g.rows[1].iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["", "a", "b", ""]);
        assert!(g.occupancy().iter().all(|r| r.iter().all(Option::is_some)));
    }
}
