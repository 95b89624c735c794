//! A document before rendering: page furniture, title, headings, paragraphs
//! and tables in reading order. Renderers turn it into HTML or text.

use crate::grid::Grid;

#[derive(Clone, Debug)]
pub enum Block {
    /// Site chrome: 来源/时间 lines, 字体大小 打印 分享, 责任编辑, 主办.
    Furniture(String),
    Title(String),
    Heading(String),
    Para(String),
    Table(Grid),
    /// A picture where the table should be (no_tables documents).
    Image(String),
    /// Issuer and date lines closing a report.
    Signature(Vec<String>),
}

#[derive(Clone, Debug, Default)]
pub struct Doc {
    /// `<title>` of an HTML page.
    pub head_title: String,
    pub blocks: Vec<Block>,
}

impl Doc {
    pub fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    pub fn para(&mut self, s: impl Into<String>) {
        self.blocks.push(Block::Para(s.into()));
    }

    pub fn heading(&mut self, s: impl Into<String>) {
        self.blocks.push(Block::Heading(s.into()));
    }
}
