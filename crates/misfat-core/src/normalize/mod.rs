//! Arabic normalization: one pass over the text, one table lookup per character.
//!
//! ```
//! use misfat_core::normalize::{Normalizer, Options};
//! let n = Normalizer::new(Options::profile("search").unwrap());
//! assert_eq!(n.normalize("أَهْلاً  بِكُمْ"), "اهلا بكم");
//! ```

mod options;
mod table;

pub use options::{Options, PROFILES};
use table::{compose, is_arabic_letter, is_emoji, Action, Table};

/// A compiled normalizer: immutable, cheap to share between threads.
pub struct Normalizer {
    options: Options,
    table: Table,
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalizer")
            .field("options", &self.options)
            .finish()
    }
}

impl Normalizer {
    pub fn new(options: Options) -> Self {
        Normalizer {
            table: Table::build(&options),
            options,
        }
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.normalize_into(text, &mut out, None);
        out
    }

    /// Normalizes `text` and returns, for each output character, the index (in
    /// characters) of the input character it came from, followed by one final entry
    /// equal to the input's length in characters. Output span `a..b` came from input
    /// `offsets[a]..offsets[b - 1] + 1`.
    pub fn normalize_with_offsets(&self, text: &str) -> (String, Vec<u32>) {
        let mut out = String::with_capacity(text.len());
        let mut offsets = Vec::with_capacity(text.len());
        self.normalize_into(text, &mut out, Some(&mut offsets));
        (out, offsets)
    }

    /// Appends the normalized `text` to `out` (and the offsets to `offsets`, if given).
    pub fn normalize_into(&self, text: &str, out: &mut String, offsets: Option<&mut Vec<u32>>) {
        let mut w = Writer {
            out,
            start: 0,
            offsets,
            squeeze: self.options.squeeze,
            spaces: self.options.spaces,
            run_char: '\0',
            run_len: 0,
        };
        w.start = w.out.len();
        let mut chars = text.chars().peekable();
        let mut pos: u32 = 0;
        while let Some(c) = chars.next() {
            // ASCII that maps to itself and is not a space is by far the commonest case.
            match self.table.get(c) {
                Action::Keep => w.push(c, pos),
                Action::Delete => {}
                Action::Map(m) => w.push(m, pos),
                Action::Expand(i) => {
                    for m in self.table.strings[i as usize].chars() {
                        w.push(m, pos);
                    }
                }
                Action::Zwj => {
                    let next_is_emoji = chars.peek().is_some_and(|&n| is_emoji(n));
                    if next_is_emoji && w.last().is_some_and(is_emoji) {
                        w.push(c, pos);
                    }
                }
                Action::Cr => {
                    if chars.peek() != Some(&'\n') {
                        w.push('\n', pos);
                    }
                }
                Action::Combine => match w.last().and_then(|b| compose(b, c)) {
                    Some(composed) => {
                        let from = w.pop();
                        for m in table::resolve(&self.options, composed).chars() {
                            w.push(m, from);
                        }
                    }
                    None => w.push(c, pos),
                },
            }
            pos += 1;
        }
        w.finish(pos);
    }
}

/// The output side of the kernel: space collapsing and squeezing look at what was
/// written, not at the input, which is what makes normalization idempotent.
struct Writer<'a> {
    out: &'a mut String,
    start: usize,
    offsets: Option<&'a mut Vec<u32>>,
    squeeze: bool,
    spaces: bool,
    run_char: char,
    run_len: u32,
}

impl Writer<'_> {
    #[inline(always)]
    fn last(&self) -> Option<char> {
        self.out[self.start..].chars().next_back()
    }

    /// Removes the last character written and returns the input position it came from.
    fn pop(&mut self) -> u32 {
        if self.out.len() > self.start {
            self.out.pop();
        }
        self.run_char = '\0';
        self.run_len = 0;
        match self.offsets.as_deref_mut() {
            Some(o) => o.pop().unwrap_or(0),
            None => 0,
        }
    }

    #[inline(always)]
    fn write(&mut self, c: char, pos: u32) {
        self.out.push(c);
        if let Some(o) = self.offsets.as_deref_mut() {
            o.push(pos);
        }
    }

    #[inline(always)]
    fn push(&mut self, c: char, pos: u32) {
        if self.spaces {
            if c == ' ' {
                // No space at a line start or after another space.
                match self.last() {
                    None | Some(' ') | Some('\n') => return,
                    _ => {}
                }
            } else if c == '\n' && self.last() == Some(' ') {
                self.pop();
            }
        }
        if self.squeeze {
            if c == self.run_char {
                self.run_len += 1;
                match self.run_len {
                    // The third copy proves a run: keep one copy, drop the rest.
                    3 => {
                        self.pop();
                        self.run_char = c;
                        self.run_len = 3;
                        return;
                    }
                    n if n > 3 => return,
                    _ => {}
                }
            } else if is_arabic_letter(c) {
                self.run_char = c;
                self.run_len = 1;
            } else {
                self.run_char = '\0';
                self.run_len = 0;
            }
        }
        self.write(c, pos);
    }

    fn finish(&mut self, input_len: u32) {
        if self.spaces && self.last() == Some(' ') {
            self.pop();
        }
        if let Some(o) = self.offsets.as_deref_mut() {
            o.push(input_len);
        }
    }
}

#[cfg(test)]
mod tests;
