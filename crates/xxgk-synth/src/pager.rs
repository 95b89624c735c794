//! Line output with page footers (`- 3 -`) every so many lines, as PDF text
//! extraction leaves them, including in the middle of tables.

use crate::rng::Rng;

pub struct Pager {
    pub lines: Vec<String>,
    page: u32,
    since: usize,
    every: usize,
    style: u8,
    on: bool,
    pub footers: usize,
}

impl Pager {
    pub fn new(on: bool, rng: &mut Rng) -> Self {
        let style = rng.int(0, 2) as u8;
        let mut p =
            Pager { lines: Vec::new(), page: 1, since: 0, every: rng.int(28, 46) as usize, style, on, footers: 0 };
        if on && rng.chance(0.3) {
            // real 001 opens with its page-1 footer
            p.lines.push(p.footer_text());
            p.page += 1;
        }
        p
    }

    fn footer_text(&self) -> String {
        match self.style {
            0 => format!("- {} -", self.page),
            1 => format!("-{}-", self.page),
            _ => format!("— {} —", self.page),
        }
    }

    /// Whether the next line starts a new page.
    pub fn due(&self) -> bool {
        self.on && self.since >= self.every
    }

    /// Writes the footer that ends the current page.
    pub fn break_page(&mut self) {
        self.lines.push(self.footer_text());
        self.page += 1;
        self.since = 0;
        self.footers += 1;
    }

    /// One line; breaks the page first when it is full.
    pub fn line(&mut self, s: impl Into<String>) {
        if self.due() {
            self.break_page();
        }
        self.raw(s);
    }

    /// One line without a page check (the caller handles breaks).
    pub fn raw(&mut self, s: impl Into<String>) {
        self.lines.push(s.into());
        self.since += 1;
    }

    pub fn blank(&mut self) {
        self.lines.push(String::new());
    }

    pub fn finish(self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }
}

/// Wraps text at `width` characters, as PDF lines do.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if width == 0 || chars.len() <= width {
        return vec![text.to_string()];
    }
    chars.chunks(width).map(|c| c.iter().collect()).collect()
}
