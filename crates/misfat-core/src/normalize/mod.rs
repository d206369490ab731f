//! Arabic normalization: one pass over the text, one table lookup per character.
//!
//! ```
//! use misfat_core::normalize::{Normalizer, Options};
//! let n = Normalizer::new(Options::profile("search").unwrap());
//! assert_eq!(n.normalize("أَهْلاً  بِكُمْ"), "اهلا بكم");
//! ```

mod options;
mod simd;
mod table;
mod writer;

pub use options::{Options, PROFILES};
use table::{compose, is_emoji, Action, Table};
use writer::{Patches, Writer, PATCHES};

/// A compiled normalizer: immutable, cheap to share between threads.
pub struct Normalizer {
    options: Options,
    table: Table,
    /// The block pre-filter, when the CPU supports it.
    filter: Option<simd::Filter>,
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
        let table = Table::build(&options);
        Normalizer {
            filter: simd::Filter::new(&table, &options),
            table,
            options,
        }
    }

    /// The same normalizer without the block pre-filter (to test both scans).
    #[cfg(test)]
    fn without_filter(options: Options) -> Self {
        Normalizer {
            filter: None,
            ..Normalizer::new(options)
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
        // The writer works on the bytes; `out` holds them again only once they are checked
        // (if it panics, `out` is left empty, never holding invalid UTF-8).
        let mut buf = std::mem::take(out).into_bytes();
        buf.reserve(text.len());
        let start = buf.len();
        let mut w = Writer {
            start,
            out: &mut buf,
            offsets,
            squeeze: self.options.squeeze,
            spaces: self.options.spaces,
            squeezing: None,
        };
        if w.offsets.is_some() {
            // Offsets need a position per character: the per-character path only.
            let mut pos = 0u32;
            let mut i = 0;
            while i < text.len() {
                i = self.step(text, i, pos, &mut w);
                pos += 1;
            }
            w.finish(pos);
        } else {
            let mut i = 0;
            while i < text.len() {
                i = self.copy_run(text.as_bytes(), i, &mut w);
                if i < text.len() {
                    i = self.step(text, i, 0, &mut w);
                }
            }
            w.finish(0);
        }
        debug_assert!(std::str::from_utf8(&buf[start..]).is_ok());
        // SAFETY: the writer only appends whole UTF-8 sequences (copied from `text` at
        // character boundaries, or encoded from `char`s) and only pops whole characters,
        // to bytes that were a `String`.
        *out = unsafe { String::from_utf8_unchecked(buf) };
    }

    /// The fast path: copies, from byte `run` on, every character that stays as it is,
    /// and returns where the per-character path is needed. Each byte position is judged
    /// on its own (a bit per byte pair, no decoding), so the loop pipelines; context
    /// (space runs, squeezing) is judged against what was written for the first bytes
    /// of the run and against the copied input bytes after that.
    fn copy_run(&self, b: &[u8], mut run: usize, w: &mut Writer<'_>) -> usize {
        let mut patches = Patches::default();
        loop {
            let at = self.find_attention(b, run, w, &mut patches);
            let base = w.out.len();
            self.flush(b, run, at, w);
            for &(offset, bytes) in &patches.list[..patches.len] {
                let o = base + offset as usize;
                w.out[o..o + 2].copy_from_slice(&bytes);
            }
            patches.len = 0;
            if at >= b.len() {
                return at;
            }
            // Deletions and one-for-one maps are done here; anything subtler goes to
            // the per-character path.
            match self.inline_step(b, at, w) {
                Some(next) => run = next,
                None => return at,
            }
        }
    }

    /// The first byte at or after `run` where a character needs more than a copy.
    /// Two-byte letters mapped to two-byte letters (أ → ا, ة → ه, ...) are recorded in
    /// `patches` (offsets from `run`) and the scan goes on: the run is copied and
    /// patched in place.
    #[inline(always)]
    fn find_attention(&self, b: &[u8], run: usize, w: &Writer<'_>, patches: &mut Patches) -> usize {
        let n = b.len();
        let head = (run + 4).min(n);
        for j in run..head {
            if b[j] & 0xC0 != 0x80 && self.head_needs_attention(b, run, j, w) {
                return j;
            }
        }
        if head + 1 >= n {
            return if head < n && self.table.needs_attention(b[head], 0) {
                head
            } else {
                n
            };
        }
        let mut last_patch = usize::MAX;
        let mut k = run + 4;
        while k + 1 < n {
            if let Some(filter) = self.filter.as_ref().filter(|_| k + 33 <= n) {
                // SAFETY: the filter exists only on CPUs with AVX2; k >= 4, k + 33 <= n.
                match unsafe { filter.check(b, k) } {
                    simd::Block::Clean => {
                        k += 32;
                        continue;
                    }
                    simd::Block::Patches(mask) => {
                        if self.take_patches(b, run, k, mask, &mut last_patch, patches) {
                            k += 32;
                            continue;
                        }
                    }
                    simd::Block::Hard => {}
                }
                for _ in 0..32 {
                    if let Some(stop) = self.scan_byte(b, run, k, &mut last_patch, patches) {
                        return stop;
                    }
                    k += 1;
                }
                continue;
            }
            if let Some(stop) = self.scan_byte(b, run, k, &mut last_patch, patches) {
                return stop;
            }
            k += 1;
        }
        if self.table.needs_attention(b[n - 1], 0) {
            n - 1
        } else {
            n
        }
    }

    /// The byte scan at `k` (with `run + 4 <= k` and `k + 1 < b.len()`): `Some(k)` if the
    /// character starting there needs more than a copy or a patch.
    #[inline(always)]
    fn scan_byte(
        &self,
        b: &[u8],
        run: usize,
        k: usize,
        last_patch: &mut usize,
        patches: &mut Patches,
    ) -> Option<usize> {
        let (x, y) = (b[k], b[k + 1]);
        if self.table.needs_attention(x, y) {
            let Some(m) = self.table.same_length_map(x, y) else {
                return Some(k);
            };
            if !self.patch_fits(b, k, m, *last_patch, patches.len) {
                return Some(k);
            }
            patches.list[patches.len] = ((k - run) as u32, m);
            patches.len += 1;
            *last_patch = k;
            return None;
        }
        // A third copy of the same two-byte Arabic letter goes to the slow path; the
        // cheap two-byte comparison first keeps this branch predictable.
        let third = self.options.squeeze
            && b[k - 2..k] == b[k..k + 2]
            && b[k - 4..k - 2] == b[k..k + 2]
            && x & 0xFC == 0xD8;
        third.then_some(k)
    }

    /// Whether the map to `m` at `k` can be patched in place: squeezing is judged on
    /// input bytes in the scan, so a map next to the letter it becomes (or next to
    /// another map) takes the careful path.
    #[inline(always)]
    fn patch_fits(&self, b: &[u8], k: usize, m: [u8; 2], last_patch: usize, count: usize) -> bool {
        let next = b.get(k + 2..k + 4);
        count < PATCHES
            && last_patch != k.wrapping_sub(2)
            && !(self.options.squeeze && (b[k - 2..k] == m || next == Some(&m[..])))
    }

    /// Records the patches of a block the filter found to need nothing else; `false`
    /// (and nothing recorded) if one of them does not fit.
    fn take_patches(
        &self,
        b: &[u8],
        run: usize,
        p: usize,
        mask: u32,
        last_patch: &mut usize,
        patches: &mut Patches,
    ) -> bool {
        let mut added = 0;
        let mut last = *last_patch;
        let mut bits = mask;
        while bits != 0 {
            let k = p + bits.trailing_zeros() as usize;
            let Some(m) = self.table.same_length_map(b[k], b[k + 1]) else {
                patches.len -= added;
                return false;
            };
            if !self.patch_fits(b, k, m, last, patches.len) {
                patches.len -= added;
                return false;
            }
            patches.list[patches.len] = ((k - run) as u32, m);
            patches.len += 1;
            added += 1;
            last = k;
            bits &= bits - 1;
        }
        *last_patch = last;
        true
    }

    /// Applies a deletion or a one-for-one map at `at` when no context rule is
    /// involved; returns the next byte, or `None` for the per-character path.
    #[inline(always)]
    fn inline_step(&self, b: &[u8], at: usize, w: &mut Writer<'_>) -> Option<usize> {
        use table::fast::*;
        let x = b[at] as u32;
        let (cp, len) = match x {
            0..0x80 => (x, 1),
            0xC2..0xE0 => (((x & 0x1F) << 6) | (b[at + 1] as u32 & 0x3F), 2),
            _ => return None,
        };
        let e = self.table.fast[cp as usize];
        match kind(e) {
            DELETE => Some(at + len),
            MAP => {
                let m = char::from_u32(out(e))?;
                let mut utf8 = [0u8; 4];
                let bytes = m.encode_utf8(&mut utf8).as_bytes();
                match class(e) {
                    PLAIN => {}
                    LETTER if w.squeezing != Some(m) && !w.ends_with_two([bytes[0], bytes[1]]) => {}
                    _ => return None,
                }
                w.out.extend_from_slice(bytes);
                w.squeezing = None;
                Some(at + len)
            }
            _ => None,
        }
    }

    /// Context check for a character at `j` near the start of a run, where the bytes
    /// before it were not all copied from the input.
    #[inline(always)]
    fn head_needs_attention(&self, b: &[u8], run: usize, j: usize, w: &Writer<'_>) -> bool {
        use table::fast::*;
        if self
            .table
            .needs_attention(b[j], b.get(j + 1).copied().unwrap_or(0))
        {
            return true;
        }
        let x = b[j] as u32;
        if x >= 0xE0 {
            return true;
        }
        let cp = if x < 0x80 {
            x
        } else {
            ((x & 0x1F) << 6) | (b[j + 1] as u32 & 0x3F)
        };
        let prev = if j > run {
            Some(b[j - 1])
        } else {
            w.last_byte()
        };
        match class(self.table.fast[cp as usize]) {
            SPACE => matches!(prev, None | Some(b' ' | b'\n')),
            NEWLINE => prev == Some(b' '),
            LETTER => {
                w.squeezing.is_some_and(|c| c as u32 == cp)
                    || w.ends_with_two_after(&b[run..j], [b[j], b[j + 1]])
            }
            _ => false,
        }
    }

    /// Copies `b[run..end]` as is and returns `end`.
    #[inline(always)]
    fn flush(&self, b: &[u8], run: usize, end: usize, w: &mut Writer<'_>) -> usize {
        if end > run {
            w.out.extend_from_slice(&b[run..end]);
            w.squeezing = None;
        }
        end
    }

    /// The slow path: one character at byte `i` (input position `pos`); returns the
    /// byte index of the next character.
    fn step(&self, text: &str, i: usize, pos: u32, w: &mut Writer<'_>) -> usize {
        let c = text[i..].chars().next().expect("i is a character boundary");
        let next = i + c.len_utf8();
        // A letter about to take a combining madda/hamza is written even inside a
        // squeezed run: composition comes first, as in NFC, and the composed letter then
        // goes through squeezing.
        let mark = text[next..].chars().next();
        let hold = |m: char| self.options.forms && mark.is_some_and(|x| compose(m, x).is_some());
        match self.table.get(c) {
            Action::Keep => w.push(c, pos, hold(c)),
            Action::Delete => {}
            Action::Map(m) => w.push(m, pos, hold(m)),
            Action::Expand(k) => {
                for m in self.table.strings[k as usize].chars() {
                    w.push(m, pos, false);
                }
            }
            Action::Zwj => {
                // Kept only inside an emoji sequence: both input neighbours are emoji.
                let prev_is_emoji = text[..i].chars().next_back().is_some_and(is_emoji);
                let next_is_emoji = text[next..].chars().next().is_some_and(is_emoji);
                if prev_is_emoji && next_is_emoji {
                    w.push(c, pos, false);
                }
            }
            Action::Cr => {
                if text.as_bytes().get(next) != Some(&b'\n') {
                    w.push('\n', pos, false);
                }
            }
            // Composed onto the letter written last (after folds and deletions, which
            // keeps normalization idempotent); otherwise the mark is a diacritic.
            Action::Combine => match w.last().and_then(|b| compose(b, c)) {
                Some(composed) => {
                    let from = w.pop();
                    for m in table::resolve(&self.options, composed).chars() {
                        w.push(m, from, false);
                    }
                }
                None => {
                    for m in table::resolve(&self.options, c).chars() {
                        w.push(m, pos, false);
                    }
                }
            },
        }
        next
    }
}

/// Two-byte replacements to write over a run once it is copied: (offset, bytes).
#[cfg(test)]
mod tests;
