//! A 32-byte-at-a-time pre-filter for the kernel's scan (x86-64 with AVX2, detected at
//! run time). It says of a block whether every character in it stays as it is, whether
//! the only changes are two-byte letters mapped to two-byte letters (patched in place),
//! or whether the block needs the byte-by-byte scan. It is conservative by construction:
//! each table below is derived from the exact per-pair table, and anything it cannot
//! judge exactly is sent to the byte-by-byte scan, which decides.

use super::options::Options;
use super::table::{fast, Table};

/// What a block of 32 bytes needs.
pub(crate) enum Block {
    Clean,
    /// Bit `i` set: a same-length letter map starts at byte `i` of the block.
    Patches(u32),
    Hard,
}

pub(crate) struct Filter {
    /// ASCII bytes that change alone: bit `hi` of entry `lo` for byte `hi << 4 | lo`.
    ascii: [u8; 16],
    /// Arabic block U+0600–06FF, a bit per code point: needs the byte scan.
    arabic_hard: [u8; 32],
    /// Arabic block: a same-length map.
    arabic_patch: [u8; 32],
    /// Other two-byte lead bytes C0–CF / D0–DF (0xFF: some character needs the scan).
    lead_c: [u8; 16],
    lead_d: [u8; 16],
    spaces: bool,
    squeeze: bool,
}

impl Filter {
    /// The filter for `table`, if this CPU has AVX2.
    pub(crate) fn new(table: &Table, o: &Options) -> Option<Self> {
        if !available() {
            return None;
        }
        let mut f = Filter {
            ascii: [0; 16],
            arabic_hard: [0; 32],
            arabic_patch: [0; 32],
            lead_c: [0; 16],
            lead_d: [0; 16],
            spaces: o.spaces,
            squeeze: o.squeeze,
        };
        for a in 0..0x80u8 {
            if fast::kind(table.fast[a as usize]) != fast::KEEP {
                f.ascii[(a & 15) as usize] |= 1 << (a >> 4);
            }
        }
        for lead in 0xC0..0xE0u8 {
            for cont in 0x80..0xC0u8 {
                let hard = table.needs_attention(lead, cont);
                if (0xD8..0xDC).contains(&lead) {
                    let i = ((lead as usize & 3) << 6) | (cont as usize & 0x3F);
                    if table.same_length_map(lead, cont).is_some() {
                        f.arabic_patch[i >> 3] |= 1 << (i & 7);
                    } else if hard {
                        f.arabic_hard[i >> 3] |= 1 << (i & 7);
                    }
                } else if hard {
                    let leads = if lead < 0xD0 {
                        &mut f.lead_c
                    } else {
                        &mut f.lead_d
                    };
                    leads[(lead & 15) as usize] = 0xFF;
                }
            }
        }
        Some(f)
    }

    /// Judges the 32 characters starting at bytes `p..p + 32` of `b`.
    ///
    /// # Safety
    /// The CPU must have AVX2 (guaranteed when [`Filter::new`] returned a filter), and
    /// `4 <= p` and `p + 33 <= b.len()` (bytes `p - 4 .. p + 33` are read).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn check(&self, b: &[u8], p: usize) -> Block {
        use std::arch::x86_64::*;
        debug_assert!(p >= 4 && p + 33 <= b.len());
        // SAFETY: the loads below start at `p - 4 ..= p + 1` and read 32 bytes each, so
        // they stay inside `b` by the contract above; unaligned loads need no alignment.
        let load = |at: usize| unsafe { _mm256_loadu_si256(b.as_ptr().add(at).cast()) };
        let table16 = |t: &[u8]| {
            // A shorter table panics here instead of over-reading.
            let t = &t[..16];
            // SAFETY: `t` is 16 bytes, exactly what the unaligned 128-bit load reads.
            unsafe { _mm256_broadcastsi128_si256(_mm_loadu_si128(t.as_ptr().cast())) }
        };
        let splat = |x: u8| _mm256_set1_epi8(x as i8);
        let eq = |a, b| _mm256_cmpeq_epi8(a, b);
        let (and, or) = (|a, b| _mm256_and_si256(a, b), |a, b| _mm256_or_si256(a, b));
        let zero = _mm256_setzero_si256();
        let nonzero = |a| _mm256_andnot_si256(_mm256_cmpeq_epi8(a, zero), splat(0xFF));

        let v0 = load(p);
        let v1 = load(p + 1);
        let lo = and(v0, splat(0x0F));
        let hi = and(_mm256_srli_epi16(v0, 4), splat(0x0F));
        let bits: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 0, 0, 0, 0, 0, 0, 0, 0];
        let bit_table = table16(&bits);

        let continuation = eq(and(v0, splat(0xC0)), splat(0x80));
        let three_or_four = eq(_mm256_max_epu8(v0, splat(0xE0)), v0);
        // ASCII: bytes 80–FF have hi >= 8, whose bit is 0.
        let ascii = nonzero(and(
            _mm256_shuffle_epi8(table16(&self.ascii), lo),
            _mm256_shuffle_epi8(bit_table, hi),
        ));
        // Arabic block: a 256-bit lookup on ((lead & 3) << 6 | cont & 0x3F).
        let arabic = eq(and(v0, splat(0xFC)), splat(0xD8));
        let byte_index = or(
            _mm256_slli_epi16(and(v0, splat(3)), 3),
            and(_mm256_srli_epi16(v1, 3), splat(7)),
        );
        let upper_half = eq(and(byte_index, splat(16)), splat(16));
        let bit = _mm256_shuffle_epi8(bit_table, and(v1, splat(7)));
        let lookup = |t: &[u8; 32]| {
            let low = _mm256_shuffle_epi8(table16(&t[..16]), byte_index);
            let high = _mm256_shuffle_epi8(table16(&t[16..]), byte_index);
            and(
                arabic,
                nonzero(and(_mm256_blendv_epi8(low, high, upper_half), bit)),
            )
        };
        let arabic_hard = lookup(&self.arabic_hard);
        let arabic_patch = lookup(&self.arabic_patch);
        // Other two-byte leads, judged by lead byte alone.
        let lead_c = and(
            eq(and(v0, splat(0xF0)), splat(0xC0)),
            _mm256_shuffle_epi8(table16(&self.lead_c), lo),
        );
        let lead_d = and(
            eq(and(v0, splat(0xF0)), splat(0xD0)),
            _mm256_shuffle_epi8(table16(&self.lead_d), lo),
        );

        let mut hard = or(
            or(three_or_four, ascii),
            or(arabic_hard, or(lead_c, lead_d)),
        );
        if self.spaces {
            let (sp, nl) = (splat(b' '), splat(b'\n'));
            let space_then = and(eq(v0, sp), or(eq(v1, sp), eq(v1, nl)));
            let newline_then_space = and(eq(v0, nl), eq(v1, sp));
            hard = or(hard, or(space_then, newline_then_space));
        }
        if self.squeeze {
            // The third copy of a two-byte letter.
            let third = and(
                and(arabic, and(eq(v0, load(p - 2)), eq(v1, load(p - 1)))),
                and(eq(v0, load(p - 4)), eq(v1, load(p - 3))),
            );
            hard = or(hard, third);
        }
        let hard = _mm256_andnot_si256(continuation, hard);
        if _mm256_movemask_epi8(hard) != 0 {
            return Block::Hard;
        }
        match _mm256_movemask_epi8(arabic_patch) as u32 {
            0 => Block::Clean,
            mask => Block::Patches(mask),
        }
    }

    /// Never called: [`Filter::new`] returns `None` off x86-64.
    #[cfg(not(target_arch = "x86_64"))]
    pub(crate) unsafe fn check(&self, _b: &[u8], _p: usize) -> Block {
        Block::Hard
    }
}

fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
