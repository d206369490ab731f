//! Splitting a page into lines and measuring each line in one pass.
//!
//! A line *key* is the search-normalized line reduced to letters and digits (every other
//! run of characters becomes one space), so `اقرأ أيضاً:` and `اقرا ايضا` share a key, and
//! so do a title and its copy with different quotes or hamza. The corpus model hashes the
//! key with digits folded to `0` (dates and counters vary from page to page); within a page
//! digits count (`15 أكتوبر` is not a copy of `17 أكتوبر`).

use std::sync::OnceLock;

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::normalize::{Normalizer, Options};

/// Seed of every persisted or compared line hash. Changing it changes the model format.
pub(crate) const KEY_SEED: u64 = 0x6d69_7366_6174_4250; // "misfatBP"

#[inline]
pub(crate) fn hash_key(key: &str) -> u64 {
    xxh3_64_with_seed(key.as_bytes(), KEY_SEED)
}

fn normalizer() -> &'static Normalizer {
    static NORMALIZER: OnceLock<Normalizer> = OnceLock::new();
    NORMALIZER.get_or_init(|| {
        Normalizer::new(Options::profile("search").expect("the search profile exists"))
    })
}

/// Reusable buffers for computing line keys without allocating per line.
pub(crate) struct KeyMaker {
    norm: &'static Normalizer,
    tmp: String,
    out: String,
}

impl KeyMaker {
    pub(crate) fn new() -> Self {
        KeyMaker {
            norm: normalizer(),
            tmp: String::new(),
            out: String::new(),
        }
    }

    /// The key of `text` (valid until the next call).
    pub(crate) fn key(&mut self, text: &str) -> &str {
        self.tmp.clear();
        self.norm.normalize_into(text, &mut self.tmp, None);
        self.out.clear();
        let mut pending_space = false;
        let t = self.tmp.as_str();
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let x = b[i];
            // Byte length of the UTF-8 sequence starting here.
            let len = match x {
                0..=0x7F => 1,
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            let c = if len == 1 {
                x as char
            } else {
                t[i..].chars().next().unwrap_or(' ')
            };
            if alnum_class(c).is_some() {
                if pending_space && !self.out.is_empty() {
                    self.out.push(' ');
                }
                pending_space = false;
                self.out.push(c);
            } else {
                pending_space = true;
            }
            i += len;
        }
        &self.out
    }

    /// Letters and digits only, no spaces (`أ.ف.ب` → `افب`).
    pub(crate) fn compact(&mut self, text: &str) -> String {
        self.key(text).chars().filter(|c| *c != ' ').collect()
    }
}

/// Characters that close a sentence.
#[inline]
fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '؟' | '…' | '۔' | '։' | '。' | ':' | '؛' | ';'
    )
}

/// Closing quotes and brackets that may follow the terminal punctuation.
#[inline]
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '»' | '”' | '’' | '›' | ')' | ']' | '}' | '*' | '“' | '«'
    )
}

/// Separators of navigation segments (besides runs of two or more spaces).
#[inline]
fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '·'
            | '|'
            | '●'
            | '■'
            | '◆'
            | '▪'
            | '►'
            | '▶'
            | '◄'
            | '¦'
            | '⋅'
            | '∙'
            | '○'
    )
}

#[inline]
pub(crate) fn is_space(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace();
    }
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        return false;
    }
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}')
}

/// Letter or digit class of a character: `Some(true)` letter, `Some(false)` digit, `None`
/// neither. ASCII and the Arabic block are decided without Unicode tables (the standard
/// library's `is_alphanumeric` is the slowest part of the kernel otherwise).
#[inline]
pub(crate) fn alnum_class(c: char) -> Option<bool> {
    let u = c as u32;
    if u < 0x80 {
        let b = u as u8;
        return if b.is_ascii_alphabetic() {
            Some(true)
        } else if b.is_ascii_digit() {
            Some(false)
        } else {
            None
        };
    }
    match u {
        0x0621..=0x063A | 0x0641..=0x064A | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5 => {
            Some(true)
        }
        0x0660..=0x0669 | 0x06F0..=0x06F9 => Some(false),
        0x0600..=0x06FF => None,
        _ if c.is_alphabetic() => Some(true),
        _ if c.is_numeric() => Some(false),
        _ => None,
    }
}

/// What one pass over a line measures.
#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    /// Byte range of the line (without its line break) in the page.
    pub start: usize,
    pub end: usize,
    /// The same range in characters.
    pub char_start: usize,
    pub char_end: usize,
    /// Byte range of the line with surrounding spaces trimmed.
    pub trim_start: usize,
    pub trim_end: usize,
    pub words: u32,
    pub letters: u32,
    pub alnum: u32,
    pub arabic_commas: u32,
    /// Ends with terminal punctuation (optionally followed by closing quotes).
    pub sentence: bool,
    pub has_copyright: bool,
    /// Navigation segments (split at bullets and at runs of three or more spaces): count,
    /// words in them, and how many end like a sentence.
    pub segments: u32,
    pub segment_words: u32,
    pub segments_terminated: u32,
    /// Segments holding a digit: tables and rankings flattened onto one line have them
    /// in nearly every segment, tickers of headlines rarely do.
    pub segments_with_digits: u32,
    /// Runs of two or more spaces between words (menus typed with double spaces).
    pub double_gaps: u32,
    /// Range of the line key in the page's key arena, and its hash.
    pub key_start: u32,
    pub key_end: u32,
    pub key_hash: u64,
    /// Hash of the key with digits folded to `0`: what the corpus model counts.
    pub model_hash: u64,
}

impl Features {
    pub(crate) fn blank(&self) -> bool {
        self.alnum == 0 && self.trim_start == self.trim_end
    }

    /// A paragraph of running text: a sentence of some length, or long enough to be one.
    pub(crate) fn prose(&self) -> bool {
        (self.sentence && self.words >= 8)
            || self.words >= 25
            || (self.words >= 12 && self.arabic_commas + u32::from(self.sentence) >= 1)
    }
}

/// Measures every line of `text`; keys go to `arena`.
pub(crate) fn measure(text: &str, km: &mut KeyMaker, arena: &mut String) -> Vec<Features> {
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let bytes = text.as_bytes();
    let mut start = 0usize;
    let mut char_pos = 0usize;
    loop {
        let nl = memchr_nl(&bytes[start..]).map(|i| start + i);
        let mut end = nl.unwrap_or(bytes.len());
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &text[start..end];
        let mut f = measure_line(line);
        let chars = count_chars(line.as_bytes());
        f.start = start;
        f.end = end;
        f.trim_start += start;
        f.trim_end += start;
        f.char_start = char_pos;
        f.char_end = char_pos + chars;
        if !f.blank() {
            let key = km.key(line);
            f.key_start = arena.len() as u32;
            arena.push_str(key);
            f.key_end = arena.len() as u32;
            f.key_hash = hash_key(key);
            f.model_hash = if key.bytes().any(|b| b.is_ascii_digit()) {
                let folded: String = key
                    .chars()
                    .map(|c| if c.is_ascii_digit() { '0' } else { c })
                    .collect();
                hash_key(&folded)
            } else {
                f.key_hash
            };
        }
        out.push(f);
        match nl {
            Some(i) => {
                char_pos += count_chars(&bytes[start..=i]);
                start = i + 1;
            }
            None => break,
        }
    }
    out
}

#[inline]
fn memchr_nl(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

#[inline]
fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c as i8) >= -0x40).count()
}

/// The features of one line that need no context (offsets and key are filled by the caller).
fn measure_line(line: &str) -> Features {
    let mut f = Features::default();
    let trimmed_start = line.len() - line.trim_start_matches(is_space).len();
    let trimmed = line.trim_matches(is_space);
    f.trim_start = trimmed_start;
    f.trim_end = trimmed_start + trimmed.len();

    let mut in_word = false;
    let mut space_run = 0u32;
    let mut seg = Segment::default();
    let mut last_non_closer = '\0';
    let mut last_significant = '\0';
    for c in trimmed.chars() {
        // Fast path: Arabic letters and ASCII letters/digits, the bulk of any page.
        if matches!(c as u32, 0x0621..=0x063A | 0x0641..=0x064A) || c.is_ascii_alphanumeric() {
            if space_run >= 2 {
                f.double_gaps += 1;
                if space_run >= 3 {
                    seg.close(&mut f, last_significant);
                }
            }
            space_run = 0;
            if !in_word {
                in_word = true;
                f.words += 1;
                seg.words += 1;
            }
            seg.has_text = true;
            seg.has_digit |= c.is_ascii_digit();
            f.alnum += 1;
            f.letters += u32::from(!c.is_ascii_digit());
            last_non_closer = c;
            last_significant = c;
            continue;
        }
        if is_space(c) {
            in_word = false;
            space_run += 1;
            continue;
        }
        if space_run >= 2 {
            f.double_gaps += 1;
            if space_run >= 3 {
                seg.close(&mut f, last_significant);
            }
        }
        space_run = 0;
        if is_bullet(c) {
            seg.close(&mut f, last_significant);
            in_word = false;
            continue;
        }
        if !in_word {
            in_word = true;
            f.words += 1;
            seg.words += 1;
        }
        seg.has_text = true;
        if let Some(letter) = alnum_class(c) {
            f.alnum += 1;
            f.letters += u32::from(letter);
            seg.has_digit |= !letter;
        } else if c == '،' {
            f.arabic_commas += 1;
        } else if c == '©' {
            f.has_copyright = true;
        }
        if !is_closer(c) {
            last_non_closer = c;
            last_significant = c;
        }
    }
    seg.close(&mut f, last_significant);
    f.sentence = is_terminal(last_non_closer);
    f
}

/// The navigation segment being read: its words, and whether it holds text and digits.
#[derive(Default)]
struct Segment {
    words: u32,
    has_text: bool,
    has_digit: bool,
}

impl Segment {
    /// Counts the segment into `f` (if it held text) and starts the next one.
    fn close(&mut self, f: &mut Features, last: char) {
        if self.has_text {
            f.segments += 1;
            f.segment_words += self.words;
            f.segments_with_digits += u32::from(self.has_digit);
            if is_terminal(last) {
                f.segments_terminated += 1;
            }
        }
        *self = Segment::default();
    }
}
