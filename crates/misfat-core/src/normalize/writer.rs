//! The output side of the kernel, and the in-place patches of the fast path.

use super::table::is_arabic_letter;

/// How many same-length maps one copied run may carry.
pub(crate) const PATCHES: usize = 64;

pub(crate) struct Patches {
    pub(crate) list: [(u32, [u8; 2]); PATCHES],
    pub(crate) len: usize,
}

impl Default for Patches {
    fn default() -> Self {
        Patches {
            list: [(0, [0; 2]); PATCHES],
            len: 0,
        }
    }
}

/// The output side of the kernel: space collapsing and squeezing look at what was
/// written, not at the input, which is what makes normalization idempotent.
pub(crate) struct Writer<'a> {
    pub(crate) out: &'a mut Vec<u8>,
    /// Where this text's output starts in `out` (earlier rows may precede it).
    pub(crate) start: usize,
    pub(crate) offsets: Option<&'a mut Vec<u32>>,
    pub(crate) squeeze: bool,
    pub(crate) spaces: bool,
    /// The letter whose run was just squeezed: further copies are dropped.
    pub(crate) squeezing: Option<char>,
}

impl Writer<'_> {
    /// The character written that ends at byte `end` of this text's output, and where
    /// it starts.
    fn char_before(&self, end: usize) -> Option<(char, usize)> {
        let written = &self.out[self.start..];
        let mut s = end.checked_sub(1)?;
        while s > 0 && written[s] & 0xC0 == 0x80 {
            s -= 1;
        }
        let bytes = &written[s..end];
        let lead = bytes[0] as u32;
        let cp = bytes[1..]
            .iter()
            .fold(lead & (0x7F >> bytes.len().min(4)), |acc, &c| {
                acc << 6 | (c as u32 & 0x3F)
            });
        let cp = if bytes.len() == 1 { lead } else { cp };
        Some((char::from_u32(cp)?, s))
    }

    #[inline(always)]
    pub(crate) fn last_byte(&self) -> Option<u8> {
        (self.out.len() > self.start).then(|| self.out[self.out.len() - 1])
    }

    pub(crate) fn last(&self) -> Option<char> {
        self.char_before(self.out.len() - self.start)
            .map(|(c, _)| c)
    }

    /// Whether the last two characters written are both the two-byte letter `c`.
    #[inline(always)]
    pub(crate) fn ends_with_two(&self, c: [u8; 2]) -> bool {
        self.ends_with_two_after(&[], c)
    }

    /// Like `ends_with_two`, as if `pending` (bytes not yet copied) had been written.
    #[inline(always)]
    pub(crate) fn ends_with_two_after(&self, pending: &[u8], c: [u8; 2]) -> bool {
        // The last four bytes of written ++ pending, compared as integers.
        let written = &self.out[self.start..];
        let last = match pending {
            [.., y] => *y,
            [] => written.last().copied().unwrap_or(0),
        };
        if last != c[1] {
            return false; // the common case: the previous character differs
        }
        if written.len() + pending.len() < 4 {
            return false;
        }
        let mut tail = [0u8; 4];
        let from_pending = pending.len().min(4);
        let from_written = 4 - from_pending;
        tail[..from_written].copy_from_slice(&written[written.len() - from_written..]);
        tail[from_written..].copy_from_slice(&pending[pending.len() - from_pending..]);
        tail == [c[0], c[1], c[0], c[1]]
    }

    /// Removes the last character written and returns the input position it came from.
    pub(crate) fn pop(&mut self) -> u32 {
        if let Some((_, s)) = self.char_before(self.out.len() - self.start) {
            self.out.truncate(self.start + s);
        }
        match self.offsets.as_deref_mut() {
            Some(o) => o.pop().unwrap_or(0),
            None => 0,
        }
    }

    /// Writes `c` (from input position `pos`) through the space and squeeze rules;
    /// `hold` exempts it from squeezing.
    pub(crate) fn push(&mut self, c: char, pos: u32, hold: bool) {
        if self.spaces {
            if c == ' ' {
                // No space at a line start or after another space.
                if matches!(self.last_byte(), None | Some(b' ' | b'\n')) {
                    return;
                }
            } else if c == '\n' && self.last_byte() == Some(b' ') {
                self.pop();
            }
        }
        if self.squeeze && hold {
            if self.squeezing != Some(c) {
                self.squeezing = None;
            }
        } else if self.squeeze {
            if self.squeezing == Some(c) {
                return;
            }
            self.squeezing = None;
            let mut utf8 = [0u8; 4];
            let encoded = c.encode_utf8(&mut utf8).as_bytes();
            if is_arabic_letter(c) && self.ends_with_two([encoded[0], encoded[1]]) {
                // The third copy proves a run: keep one copy, drop the rest.
                self.pop();
                self.squeezing = Some(c);
                return;
            }
        }
        let mut utf8 = [0u8; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        if let Some(o) = self.offsets.as_deref_mut() {
            o.push(pos);
        }
    }

    pub(crate) fn finish(&mut self, input_len: u32) {
        if self.spaces && self.last_byte() == Some(b' ') {
            self.pop();
        }
        if let Some(o) = self.offsets.as_deref_mut() {
            o.push(input_len);
        }
    }
}
