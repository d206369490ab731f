//! Boilerplate stripping for text already extracted from news pages (one block per line).
//!
//! Each line is kept or removed with a [`Reason`]. A first pass decides what a line shows
//! by itself; a second looks at where it sits: the article is the stretch from its first to
//! its last paragraph (prose: a sentence of some length), and several rules only apply
//! above or below it. Rules:
//! - `blank`: empty or whitespace-only lines (dropped from the output, not counted);
//! - `nav`: a ticker (many headline-like segments separated by bullets or 3+ spaces)
//!   anywhere; a short menu-like line or a breadcrumb trail (`Home » News » ...`) only above
//!   or below the article (inside it, a list); above or below the article also runs of two
//!   or more short labels (1-3 words, no sentence punctuation; above it only when the title
//!   separates them from the first paragraph, the page's first line kept in a run of two)
//!   and consecutive lines equal up to their digits (pagers, counters);
//! - `url`: a bare URL, domain or e-mail address;
//! - `lexicon`: furniture phrases common across Arabic and English sites (skip links,
//!   share/follow/subscribe, comment forms, back to top, "read also"/"for more" links and
//!   the headlines after "read also" (the first, then up to five more of 5-20 words),
//!   copyright, cookie and image notices, disclaimers);
//! - `byline`: "published in X on DATE", "By ...", `بقلم`, `كتب: ...`, republication and
//!   agency credit lines; a date alone above or below the article (inside: a heading),
//!   recognised by its words or by its shape (clock times, numeric and written dates,
//!   Hijri years with `هـ`, `الموافق`, update stamps);
//! - `caption`: lines ending with an agency or photo credit such as `(أ.ف.ب)` `(رويترز)`
//!   (not an agency named in running text), `Photo: ...` labels, and an image's alt text
//!   printed next to its caption;
//! - `short_non_sentence`: fragments (`TT`, `***`), and one-word labels above or below the
//!   article (the line right above the first paragraph is the title and stays);
//! - `corpus_repeated`: lines a [`CorpusModel`] learned the site repeats on many pages; a
//!   repeated paragraph only when it sits outside the page's own paragraphs; never the
//!   page's own title (its first surviving line, and the headline right above its first
//!   paragraph) or its first paragraph;
//! - `tail_anchor`: everything after "مقالات ذات صلة", "الأكثر قراءة", "Related", comment
//!   forms ... when the page's largest prose block (a run of paragraphs) precedes the
//!   anchor and no larger one follows it; an anchor between two short labels is a menu
//!   item and removes only itself;
//! - `duplicate`: a later copy of a title, caption or paragraph (the first copy, e.g. the
//!   real title, stays; list items, dates, short labels and short sentences may repeat).
//!
//! The context rules run to a fixed point, so `strip(strip(x)) == strip(x)`.
//!
//! ```
//! use misfat_core::boilerplate::{Options, Stripper};
//! let page = "Skip to content\nA long enough sentence that reads like the article text.\nShare";
//! let (text, removed) = Stripper::new(Options::default()).strip(page, None, None);
//! assert_eq!(text, "A long enough sentence that reads like the article text.");
//! assert_eq!(removed, 2);
//! ```

mod lexicon;
mod lines;
mod model;
mod rules;

pub use model::{CorpusModel, ModelBuilder, ModelOptions};

use crate::error::{CoreError, Result};
use lines::{measure, KeyMaker};

/// Why a line was kept or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Content,
    Blank,
    Duplicate,
    Caption,
    Nav,
    TailAnchor,
    Lexicon,
    Url,
    Byline,
    CorpusRepeated,
    ShortNonSentence,
}

impl Reason {
    pub const ALL: [Reason; 11] = [
        Reason::Content,
        Reason::Blank,
        Reason::Duplicate,
        Reason::Caption,
        Reason::Nav,
        Reason::TailAnchor,
        Reason::Lexicon,
        Reason::Url,
        Reason::Byline,
        Reason::CorpusRepeated,
        Reason::ShortNonSentence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Content => "content",
            Reason::Blank => "blank",
            Reason::Duplicate => "duplicate",
            Reason::Caption => "caption",
            Reason::Nav => "nav",
            Reason::TailAnchor => "tail_anchor",
            Reason::Lexicon => "lexicon",
            Reason::Url => "url",
            Reason::Byline => "byline",
            Reason::CorpusRepeated => "corpus_repeated",
            Reason::ShortNonSentence => "short_non_sentence",
        }
    }
}

/// How much to remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Aggressiveness {
    /// Only unambiguous furniture: whole-line lexicon phrases, long tickers, URLs, credit
    /// captions, duplicates, strong tail anchors. No bylines, no caption pairs, no labels.
    Low,
    /// The default: also bylines, caption pairs, "read also" links, one-word labels above
    /// and below the article.
    #[default]
    Normal,
    /// Also cuts the page at "read also" anchors and drops labels of up to four words below
    /// the article (two above it).
    High,
}

impl Aggressiveness {
    pub const NAMES: [&'static str; 3] = ["low", "normal", "high"];

    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "low" => Ok(Aggressiveness::Low),
            "normal" => Ok(Aggressiveness::Normal),
            "high" => Ok(Aggressiveness::High),
            _ => Err(CoreError::unknown("aggressiveness", name, &Self::NAMES)),
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Options of [`Stripper`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Keep titles and subheadings (short unpunctuated lines inside the article).
    /// Default `true`; `false` keeps only sentences and paragraphs.
    pub keep_titles: bool,
    /// Keep photo captions and credit lines. Default `false`.
    pub keep_captions: bool,
    /// Default [`Aggressiveness::Normal`].
    pub aggressiveness: Aggressiveness,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            keep_titles: true,
            keep_captions: false,
            aggressiveness: Aggressiveness::Normal,
        }
    }
}

/// One line of a page and its verdict. Offsets exclude the line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub index: usize,
    pub kept: bool,
    pub reason: Reason,
    /// Byte offsets in the page.
    pub start: usize,
    pub end: usize,
    /// Character (code point) offsets in the page.
    pub char_start: usize,
    pub char_end: usize,
}

/// A configured line classifier. Immutable and `Sync`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stripper {
    options: Options,
}

impl Stripper {
    pub fn new(options: Options) -> Self {
        Stripper { options }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Classifies every line of `text` (lines are separated by `\n`; a `\r` before it is not
    /// part of the line). `model` and `site` enable the `corpus_repeated` rule.
    pub fn classify(
        &self,
        text: &str,
        model: Option<&CorpusModel>,
        site: Option<&str>,
    ) -> Vec<Line> {
        let (feats, reasons) = self.run(text, model, site);
        feats
            .iter()
            .zip(reasons)
            .enumerate()
            .map(|(index, (f, r))| Line {
                index,
                kept: r.is_none(),
                reason: r.unwrap_or(Reason::Content),
                start: f.start,
                end: f.end,
                char_start: f.char_start,
                char_end: f.char_end,
            })
            .collect()
    }

    /// The kept lines joined by `\n`, and the number of removed non-blank lines.
    pub fn strip(
        &self,
        text: &str,
        model: Option<&CorpusModel>,
        site: Option<&str>,
    ) -> (String, usize) {
        let mut out = String::with_capacity(text.len());
        let removed = self.strip_into(text, model, site, &mut out);
        (out, removed)
    }

    /// Appends the kept lines of `text` to `out`; returns the number of removed lines.
    pub fn strip_into(
        &self,
        text: &str,
        model: Option<&CorpusModel>,
        site: Option<&str>,
        out: &mut String,
    ) -> usize {
        let (feats, reasons) = self.run(text, model, site);
        let mut removed = 0;
        let mut first = true;
        for (f, r) in feats.iter().zip(reasons) {
            match r {
                None => {
                    if !first {
                        out.push('\n');
                    }
                    first = false;
                    out.push_str(&text[f.start..f.end]);
                }
                Some(Reason::Blank) => {}
                Some(_) => removed += 1,
            }
        }
        removed
    }

    fn run(
        &self,
        text: &str,
        model: Option<&CorpusModel>,
        site: Option<&str>,
    ) -> (Vec<lines::Features>, Vec<Option<Reason>>) {
        let mut km = KeyMaker::new();
        let mut arena = String::with_capacity(text.len());
        let feats = measure(text, &mut km, &mut arena);
        let corpus = model.map(|m| (m, m.site_id(site)));
        let mut reasons = Vec::with_capacity(feats.len());
        let mut hints = Vec::with_capacity(feats.len());
        for f in &feats {
            let key = &arena[f.key_start as usize..f.key_end as usize];
            let (r, h) = rules::local(text, f, key, &self.options, &mut km, corpus);
            reasons.push(r);
            hints.push(h);
        }
        rules::context(text, &feats, &arena, &mut reasons, &hints, &self.options);
        (feats, reasons)
    }
}

#[cfg(test)]
mod tests;
