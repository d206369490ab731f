//! Furniture phrases common to many Arabic and English news sites.
//!
//! Every phrase is stored as the hash of its line key (see [`super::lines::make_key`]), so
//! spelling variants (`اقرأ أيضاً` / `اقرا ايضا`, `Share` / `SHARE`) match the same entry.
//! The lists describe site furniture in general (menus, share widgets, comment forms,
//! "related articles" tails, copyright footers, photo credits); they are deliberately not
//! taken from any evaluation page. They live as data in `lexicon/*.txt`, one phrase per
//! line, `#` starting a comment, each file headed by where its phrases come from.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::lines::{hash_key, KeyMaker};

/// The whole line is this phrase.
pub(crate) const EXACT: u16 = 1;
/// The line starts a tail of other articles or comments (when article text precedes it).
pub(crate) const ANCHOR_STRONG: u16 = 1 << 1;
/// "Read also": the next headline is a link, the article may continue after it.
pub(crate) const ANCHOR_WEAK: u16 = 1 << 2;
/// A short line that starts with this phrase is furniture.
pub(crate) const PREFIX: u16 = 1 << 3;
/// A short line that starts with this phrase and carries a date is a byline.
pub(crate) const BYLINE_DATED: u16 = 1 << 4;
/// A very short line that starts with this phrase is a byline (`By ...`, `بقلم ...`).
pub(crate) const BYLINE_MARKER: u16 = 1 << 5;
/// A short line that starts with this phrase is a photo caption or credit.
pub(crate) const CAPTION_PREFIX: u16 = 1 << 6;
/// A word that may appear in a date/time-only line.
pub(crate) const DATE_WORD: u16 = 1 << 7;
/// The first word of a `Label: ...` caption.
pub(crate) const CAPTION_LABEL: u16 = 1 << 8;
/// A very short line `Label: name` with this label is a byline.
pub(crate) const BYLINE_LABEL: u16 = 1 << 9;
/// A very short unpunctuated line starting with this credits a republished piece.
pub(crate) const CREDIT_PREFIX: u16 = 1 << 10;

/// Whole-line furniture: navigation labels, widgets, buttons, empty-widget notices.
const EXACT_PHRASES: &str = include_str!("lexicon/exact.txt");

/// Lines after which the rest of the page is other articles or comments. A bare
/// "Comments" label is not among them: it can also be an article's subheading.
const STRONG_ANCHORS: &str = include_str!("lexicon/strong_anchors.txt");

/// "Read also" links: the line itself and the headline after it are furniture.
const WEAK_ANCHORS: &str = include_str!("lexicon/weak_anchors.txt");

/// Short lines starting with these are furniture.
const PREFIXES: &str = include_str!("lexicon/prefixes.txt");

/// Phrases that mark a short line as furniture wherever they occur in it.
pub(crate) const CONTAINS: &str = include_str!("lexicon/contains.txt");

/// A short line starting with these and carrying a date is a "published on" byline.
const BYLINE_DATED_PREFIXES: &str = include_str!("lexicon/byline_dated_prefixes.txt");

/// A very short, unpunctuated line starting with these is a byline.
const BYLINE_MARKERS: &str = include_str!("lexicon/byline_markers.txt");

/// The same, only when a colon follows (`تحرير` is also "liberation", `كتب` "books").
const BYLINE_LABELS: &str = include_str!("lexicon/byline_labels.txt");

/// Short unpunctuated lines starting with these are photo captions or credits.
const CAPTION_PREFIXES: &str = include_str!("lexicon/caption_prefixes.txt");

/// A very short unpunctuated line starting with these credits a republished piece.
const CREDIT_PREFIXES: &str = include_str!("lexicon/credit_prefixes.txt");

/// `Label: ...` captions.
const CAPTION_LABELS: &str = include_str!("lexicon/caption_labels.txt");

/// Words of date/time-only lines (months, days, clock words, "ago").
const DATE_WORDS: &str = include_str!("lexicon/date_words.txt");

/// Agency and photo credits, as letters only (`أ.ف.ب` → `افب`).
const CREDITS: &str = include_str!("lexicon/credits.txt");

/// The phrases of one lexicon file: its lines without comments and blanks.
pub(crate) fn phrases(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

pub(crate) struct Lexicon {
    flags: HashMap<u64, u16>,
    credits: HashSet<String>,
    credit_words: HashSet<String>,
    /// `CONTAINS` phrases (as keys) by the hash of their first word.
    contains: HashMap<u64, Vec<String>>,
}

impl Lexicon {
    fn build() -> Self {
        let mut km = KeyMaker::new();
        let mut flags: HashMap<u64, u16> = HashMap::new();
        let mut add = |file: &'static str, flag: u16, km: &mut KeyMaker| {
            for p in phrases(file) {
                let h = hash_key(km.key(p));
                *flags.entry(h).or_insert(0) |= flag;
            }
        };
        add(EXACT_PHRASES, EXACT, &mut km);
        add(STRONG_ANCHORS, EXACT | ANCHOR_STRONG, &mut km);
        add(WEAK_ANCHORS, EXACT | ANCHOR_WEAK, &mut km);
        add(PREFIXES, PREFIX, &mut km);
        add(BYLINE_DATED_PREFIXES, BYLINE_DATED, &mut km);
        add(BYLINE_MARKERS, BYLINE_MARKER, &mut km);
        add(BYLINE_LABELS, BYLINE_LABEL, &mut km);
        add(CREDIT_PREFIXES, CREDIT_PREFIX, &mut km);
        add(CAPTION_PREFIXES, CAPTION_PREFIX, &mut km);
        add(CAPTION_LABELS, CAPTION_LABEL, &mut km);
        add(DATE_WORDS, DATE_WORD, &mut km);
        let credits: HashSet<String> = phrases(CREDITS).map(|c| km.compact(c)).collect();
        let credit_words = phrases(CREDITS)
            .filter(|c| c.is_ascii() && c.len() >= 3 && !c.contains(' '))
            .map(|c| km.compact(c))
            .collect();
        let mut contains: HashMap<u64, Vec<String>> = HashMap::new();
        for p in phrases(CONTAINS) {
            let k = km.key(p).to_owned();
            let first = hash_key(k.split(' ').next().unwrap_or(""));
            contains.entry(first).or_default().push(k);
        }
        Lexicon {
            flags,
            credits,
            credit_words,
            contains,
        }
    }

    /// The flags of a key (a whole line key or a word-boundary prefix of one).
    #[inline]
    pub(crate) fn flags(&self, key: &str) -> u16 {
        if key.is_empty() {
            return 0;
        }
        self.flags.get(&hash_key(key)).copied().unwrap_or(0)
    }

    /// Whether a `CONTAINS` phrase occurs in `key` (at a word start).
    pub(crate) fn contains_phrase(&self, key: &str) -> bool {
        let mut start = 0;
        for word in key.split(' ') {
            if let Some(phrases) = self.contains.get(&hash_key(word)) {
                let rest = &key[start..];
                if phrases.iter().any(|p| rest.starts_with(p.as_str())) {
                    return true;
                }
            }
            start += word.len() + 1;
        }
        false
    }

    /// Whether the letters-only text inside a trailing parenthesis is a credit.
    pub(crate) fn is_credit(&self, compact: &str, first_word: &str) -> bool {
        self.credits.contains(compact) || self.credit_words.contains(first_word)
    }
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(Lexicon::build)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: [&str; 13] = [
        EXACT_PHRASES,
        STRONG_ANCHORS,
        WEAK_ANCHORS,
        PREFIXES,
        CONTAINS,
        BYLINE_DATED_PREFIXES,
        BYLINE_MARKERS,
        BYLINE_LABELS,
        CAPTION_PREFIXES,
        CREDIT_PREFIXES,
        CAPTION_LABELS,
        DATE_WORDS,
        CREDITS,
    ];

    #[test]
    fn every_file_says_where_its_phrases_come_from() {
        for file in FILES {
            assert!(
                file.contains("# Source:"),
                "{}",
                &file[..80.min(file.len())]
            );
            assert!(phrases(file).count() > 0);
        }
    }

    #[test]
    fn comments_are_not_phrases() {
        let (lex, mut km) = (lexicon(), KeyMaker::new());
        assert_ne!(lex.flags(km.key("اقرأ أيضاً")), 0);
        let all: Vec<&str> = FILES.iter().flat_map(|f| phrases(f)).collect();
        assert!(all.iter().all(|p| !p.contains('#')));
        // A comment line of exact.txt is not a phrase.
        assert_eq!(lex.flags(km.key("skip links, menus, search")), 0);
    }
}
