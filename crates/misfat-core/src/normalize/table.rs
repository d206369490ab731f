//! Per-character rules, compiled once per set of options into a two-level lookup table.
//!
//! Everything that depends on a single character is resolved here at build time
//! (presentation form → letters → folds → deletions), so the kernel does one lookup
//! per character. What depends on neighbours (space runs, squeezing, ZWJ inside emoji,
//! composing a combining hamza onto its carrier, CR LF) is left to the kernel.

use super::options::Options;
use unicode_normalization::UnicodeNormalization;

/// What the kernel does with one input character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Keep,
    Delete,
    Map(char),
    /// Index into [`Table::strings`]: one character becoming several (ligatures).
    Expand(u16),
    /// ZWJ: kept only between two emoji.
    Zwj,
    /// CR: dropped before LF, otherwise a line break.
    Cr,
    /// U+0653–0655: composed onto the previous letter when it is a carrier.
    Combine,
}

/// Fast-path entries for code points below U+0800: what happens to the character
/// (`kind`) and, for what is written, the character and its context class.
pub(crate) mod fast {
    pub const ATTENTION: u32 = 0;
    pub const DELETE: u32 = 1;
    pub const KEEP: u32 = 2;
    pub const MAP: u32 = 3;

    /// Written as is.
    pub const PLAIN: u32 = 0;
    /// A space that may collapse into its predecessor.
    pub const SPACE: u32 = 1;
    /// A line break that trims a trailing space.
    pub const NEWLINE: u32 = 2;
    /// An Arabic letter that may be squeezed.
    pub const LETTER: u32 = 3;

    #[inline(always)]
    pub fn pack(kind: u32, class: u32, out: char) -> u32 {
        kind << 24 | class << 21 | out as u32
    }

    #[inline(always)]
    pub fn kind(e: u32) -> u32 {
        e >> 24
    }

    #[inline(always)]
    pub fn class(e: u32) -> u32 {
        (e >> 21) & 7
    }

    #[inline(always)]
    pub fn out(e: u32) -> u32 {
        e & 0x1F_FFFF
    }
}

pub(crate) struct Table {
    pages: Box<[u16; 256]>,
    blocks: Vec<[Action; 256]>,
    pub(crate) strings: Vec<Box<str>>,
    /// Fast-path entry of every code point below U+0800 (ASCII and two-byte UTF-8).
    pub(crate) fast: Box<[u32; 0x800]>,
    /// One bit per byte pair `(b[j], b[j + 1])`: must the character starting at `j` go
    /// through the per-character path? Continuation bytes never start one.
    attention: Box<[u64; 1024]>,
}

impl Table {
    pub(crate) fn build(o: &Options) -> Self {
        let mut pages = Box::new([0u16; 256]);
        let mut blocks = vec![[Action::Keep; 256]];
        let mut strings: Vec<Box<str>> = Vec::new();
        for page in 0..256u32 {
            let mut block = [Action::Keep; 256];
            let mut changed = false;
            for low in 0..256u32 {
                let Some(c) = char::from_u32(page << 8 | low) else {
                    continue;
                };
                let action = match special(o, c) {
                    Some(a) => a,
                    None => {
                        let out = resolve(o, c);
                        let mut it = out.chars();
                        match (it.next(), it.next()) {
                            (None, _) => Action::Delete,
                            (Some(x), None) if x == c => Action::Keep,
                            (Some(x), None) => Action::Map(x),
                            _ => {
                                strings.push(out.into_boxed_str());
                                Action::Expand((strings.len() - 1) as u16)
                            }
                        }
                    }
                };
                changed |= action != Action::Keep;
                block[low as usize] = action;
            }
            if changed {
                pages[page as usize] = blocks.len() as u16;
                blocks.push(block);
            }
        }
        let mut table = Table {
            pages,
            blocks,
            strings,
            fast: Box::new([0; 0x800]),
            attention: Box::new([0; 1024]),
        };
        for cp in 0..0x800u32 {
            let c = char::from_u32(cp).expect("below the surrogates");
            let class_of = |m: char| match m {
                ' ' if o.spaces => fast::SPACE,
                '\n' if o.spaces => fast::NEWLINE,
                m if o.squeeze && is_arabic_letter(m) => fast::LETTER,
                _ => fast::PLAIN,
            };
            table.fast[cp as usize] = match table.get(c) {
                Action::Keep => fast::pack(fast::KEEP, class_of(c), c),
                Action::Map(m) if (m as u32) < 0x800 => fast::pack(fast::MAP, class_of(m), m),
                Action::Delete => fast::pack(fast::DELETE, 0, '\0'),
                _ => fast::pack(fast::ATTENTION, 0, '\0'),
            };
        }
        for a in 0..256u32 {
            for b in 0..256u32 {
                let flag = match a {
                    0x80..=0xBF => false,
                    0xE0.. => true,
                    _ => {
                        let cp = if a < 0x80 {
                            a
                        } else {
                            ((a & 0x1F) << 6) | (b & 0x3F)
                        };
                        let e = table.fast[cp as usize];
                        let pair = (a as u8, b as u8);
                        fast::kind(e) != fast::KEEP
                            || (o.spaces
                                && matches!(pair, (b' ', b' ') | (b' ', b'\n') | (b'\n', b' ')))
                    }
                };
                if flag {
                    let idx = (a << 8 | b) as usize;
                    table.attention[idx >> 6] |= 1 << (idx & 63);
                }
            }
        }
        table
    }

    /// For a two-byte character mapped to another two-byte character that is neither
    /// a space nor a line break, the replacement bytes.
    #[inline(always)]
    pub(crate) fn same_length_map(&self, a: u8, b: u8) -> Option<[u8; 2]> {
        if !(0xC2..0xE0).contains(&a) {
            return None;
        }
        let cp = ((a as u32 & 0x1F) << 6) | (b as u32 & 0x3F);
        let e = self.fast[cp as usize];
        let m = fast::out(e);
        let fits = fast::kind(e) == fast::MAP
            && (0x80..0x800).contains(&m)
            && matches!(fast::class(e), fast::PLAIN | fast::LETTER);
        fits.then_some([0xC0 | (m >> 6) as u8, 0x80 | (m & 0x3F) as u8])
    }

    /// Whether the character starting with byte `a`, followed by `b`, needs the slow path.
    #[inline(always)]
    pub(crate) fn needs_attention(&self, a: u8, b: u8) -> bool {
        let idx = (a as usize) << 8 | b as usize;
        (self.attention[idx >> 6] >> (idx & 63)) & 1 != 0
    }

    #[inline(always)]
    pub(crate) fn get(&self, c: char) -> Action {
        let cp = c as u32;
        if cp > 0xFFFF {
            return Action::Keep;
        }
        self.blocks[self.pages[(cp >> 8) as usize] as usize][(cp & 0xFF) as usize]
    }
}

/// Characters whose fate depends on their neighbours.
fn special(o: &Options, c: char) -> Option<Action> {
    match c {
        '\u{200D}' if o.invisible => Some(Action::Zwj),
        '\r' if o.spaces => Some(Action::Cr),
        '\u{0653}'..='\u{0655}' if o.forms => Some(Action::Combine),
        _ => None,
    }
}

/// The text one character becomes, all single-character steps applied in order.
pub(crate) fn resolve(o: &Options, c: char) -> String {
    let mut out = String::new();
    if o.forms && is_presentation_form(c) {
        let decomposed: String = c.nfkc().collect();
        // Isolated forms of marks decompose to SPACE + mark; the space is an artefact.
        let body = match decomposed.strip_prefix(' ') {
            Some(rest) if rest.chars().next().is_some_and(is_arabic_mark) => rest,
            _ => decomposed.as_str(),
        };
        for d in body.chars() {
            fold(o, d, &mut out);
        }
    } else {
        fold(o, c, &mut out);
    }
    out
}

fn fold(o: &Options, c: char, out: &mut String) {
    let mapped: Option<char> = match c {
        '\u{064E}'..='\u{0650}' if o.harakat => None,
        // U+0653–0655 reach here when they could not be composed onto a carrier.
        '\u{0653}'..='\u{065F}' if o.other_marks => None,
        '\u{064B}'..='\u{064D}' if o.tanwin => None,
        '\u{0651}' if o.shadda => None,
        '\u{0652}' if o.sukun => None,
        '\u{0670}' if o.dagger_alef => None,
        '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06ED}' if o.quranic => None,
        '\u{08D3}'..='\u{08FF}' if o.extended_marks => None,
        '\u{0640}' if o.tatweel => None,
        'أ' | 'إ' | 'آ' if o.alef => Some('ا'),
        'ٱ' if o.alef_wasla => Some('ا'),
        'ٲ' | 'ٳ' if o.alef_wavy => Some('ا'),
        'ؤ' if o.hamza => Some('و'),
        'ئ' if o.hamza => Some('ي'),
        'ۓ' if o.persian => return fold(o, 'ئ', out),
        'ک' if o.persian => Some('ك'),
        'ی' | 'ے' if o.persian => Some('ي'),
        'ۀ' | 'ہ' | 'ۂ' | 'ھ' if o.persian => return fold(o, 'ه', out),
        'ى' if o.yeh => Some('ي'),
        'ة' if o.teh => Some('ه'),
        '\u{0660}'..='\u{0669}' if o.digits => char::from_u32(c as u32 - 0x0660 + '0' as u32),
        '\u{06F0}'..='\u{06F9}' if o.digits => char::from_u32(c as u32 - 0x06F0 + '0' as u32),
        '،' if o.punctuation => Some(','),
        '؛' if o.punctuation => Some(';'),
        '؟' if o.punctuation => Some('?'),
        '«' | '»' | '“' | '”' | '„' | '‟' if o.quotes => Some('"'),
        c if o.invisible && is_invisible(c) => None,
        '\t' | '\u{000B}' | '\u{000C}' if o.spaces => Some(' '),
        '\u{0085}' | '\u{2028}' | '\u{2029}' if o.spaces => Some('\n'),
        c if o.spaces && c != ' ' && is_unicode_space(c) => Some(' '),
        c if o.lowercase && is_latin_upper(c) => {
            out.extend(c.to_lowercase());
            return;
        }
        c => Some(c),
    };
    out.extend(mapped);
}

pub(crate) fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

pub(crate) fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}' | '\u{08D3}'..='\u{08FF}')
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn is_latin_upper(c: char) -> bool {
    (c as u32) < 0x0250 && c.is_uppercase()
}

/// Arabic letters that squeezing applies to (not digits, marks or punctuation).
#[inline(always)]
pub(crate) fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{063F}' | '\u{0641}'..='\u{064A}' | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}' | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}')
}

/// Pictographs that a ZWJ may join into one emoji.
#[inline]
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c, '\u{2300}'..='\u{23FF}' | '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}'
        | '\u{FE0F}' | '\u{1F000}'..='\u{1FAFF}')
}

/// The letter a combining madda/hamza (U+0653–0655) forms with `base`, if any.
pub(crate) fn compose(base: char, mark: char) -> Option<char> {
    Some(match (base, mark) {
        ('ا', '\u{0653}') => 'آ',
        ('ا', '\u{0654}') => 'أ',
        ('ا', '\u{0655}') => 'إ',
        ('و', '\u{0654}') => 'ؤ',
        ('ي', '\u{0654}') => 'ئ',
        ('ە', '\u{0654}') => 'ۀ',
        ('ہ', '\u{0654}') => 'ۂ',
        ('ے', '\u{0654}') => 'ۓ',
        _ => return None,
    })
}
