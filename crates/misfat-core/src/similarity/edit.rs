//! Indel (LCS-based) normalized similarity over Unicode code points, bit-parallel.
//!
//! `ratio(a, b) = 1 - (|a| + |b| - 2·LCS(a, b)) / (|a| + |b|)`, and 1 for two empty
//! strings: the same formula and float operations as RapidFuzz's
//! `Indel.normalized_similarity` (= `fuzz.ratio / 100`, = `Levenshtein.ratio`).
//!
//! LCS uses Hyyrö's bit-vector recurrence (after Allison–Dix): the query's characters
//! become bit masks (one 64-bit word per 64 query characters), built once in a
//! [`Pattern`] and reused for every choice it is compared with.

/// A query prepared for repeated LCS computations.
#[derive(Debug, Clone)]
pub struct Pattern {
    len: usize,
    words: usize,
    /// `words` masks per byte-range character (code point < 256).
    ascii: Vec<u64>,
    /// Open-addressing table for the other code points: keys and their mask rows.
    keys: Vec<u32>,
    slots: Vec<u32>,
    rows: Vec<u64>,
    zero: Vec<u64>,
}

const EMPTY: u32 = u32::MAX;

impl Pattern {
    pub fn new(query: &[u32]) -> Self {
        let len = query.len();
        let words = len.div_ceil(64).max(1);
        let mut ascii = vec![0u64; 256 * words];
        let distinct_high = {
            let mut hs: Vec<u32> = query.iter().copied().filter(|&c| c >= 256).collect();
            hs.sort_unstable();
            hs.dedup();
            hs.len()
        };
        let cap = (distinct_high * 2).next_power_of_two().max(8);
        let mut keys = vec![EMPTY; cap];
        let mut slots = vec![0u32; cap];
        let mut rows: Vec<u64> = Vec::with_capacity(distinct_high * words);
        for (i, &c) in query.iter().enumerate() {
            let (w, bit) = (i / 64, 1u64 << (i % 64));
            if c < 256 {
                ascii[c as usize * words + w] |= bit;
            } else {
                let mut j = slot_of(c, cap);
                loop {
                    if keys[j] == c {
                        break;
                    }
                    if keys[j] == EMPTY {
                        keys[j] = c;
                        slots[j] = (rows.len() / words) as u32;
                        rows.resize(rows.len() + words, 0);
                        break;
                    }
                    j = (j + 1) & (cap - 1);
                }
                rows[slots[j] as usize * words + w] |= bit;
            }
        }
        Pattern {
            len,
            words,
            ascii,
            keys,
            slots,
            rows,
            zero: vec![0; words],
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline(always)]
    fn masks(&self, c: u32) -> &[u64] {
        if c < 256 {
            let o = c as usize * self.words;
            return &self.ascii[o..o + self.words];
        }
        let cap = self.keys.len();
        let mut j = slot_of(c, cap);
        loop {
            let k = self.keys[j];
            if k == c {
                let o = self.slots[j] as usize * self.words;
                return &self.rows[o..o + self.words];
            }
            if k == EMPTY {
                return &self.zero;
            }
            j = (j + 1) & (cap - 1);
        }
    }

    #[inline(always)]
    fn mask1(&self, c: u32) -> u64 {
        if c < 256 {
            return self.ascii[c as usize];
        }
        let cap = self.keys.len();
        let mut j = slot_of(c, cap);
        loop {
            let k = self.keys[j];
            if k == c {
                return self.rows[self.slots[j] as usize];
            }
            if k == EMPTY {
                return 0;
            }
            j = (j + 1) & (cap - 1);
        }
    }

    /// Length of the longest common subsequence of the query and `other`.
    pub fn lcs(&self, other: &[u32]) -> usize {
        if self.len == 0 || other.is_empty() {
            return 0;
        }
        if self.words == 1 {
            let mut s = !0u64;
            for &c in other {
                let m = self.mask1(c);
                let u = s & m;
                s = s.wrapping_add(u) | (s - u);
            }
            let valid = if self.len == 64 {
                !0u64
            } else {
                (1u64 << self.len) - 1
            };
            return (!s & valid).count_ones() as usize;
        }
        let mut s = vec![!0u64; self.words];
        for &c in other {
            let m = self.masks(c);
            let mut carry = 0u64;
            for (sw, &mw) in s.iter_mut().zip(m) {
                let u = *sw & mw;
                let (x, c1) = sw.overflowing_add(u);
                let (x, c2) = x.overflowing_add(carry);
                carry = (c1 | c2) as u64;
                *sw = x | (*sw - u);
            }
        }
        let mut count = 0usize;
        let last = self.words - 1;
        for (i, &w) in s.iter().enumerate() {
            let valid = if i < last || self.len.is_multiple_of(64) {
                !0u64
            } else {
                (1u64 << (self.len % 64)) - 1
            };
            count += (!w & valid).count_ones() as usize;
        }
        count
    }

    /// Indel normalized similarity of the query and `other`.
    pub fn ratio(&self, other: &[u32]) -> f64 {
        ratio_from_lcs(self.len, other.len(), self.lcs(other))
    }
}

/// Queries compared side by side with one choice: each of up to [`LANES`] queries of at
/// most 64 characters owns one 64-bit lane, and one table lookup per choice character
/// gives the masks of every lane (the layout RapidFuzz uses for short strings in `cdist`).
#[derive(Debug, Clone)]
pub struct MultiPattern {
    lens: [usize; LANES],
    ascii: Vec<[u64; LANES]>,
    keys: Vec<u32>,
    slots: Vec<u32>,
    rows: Vec<[u64; LANES]>,
}

pub const LANES: usize = 8;

impl MultiPattern {
    /// `queries`: at most [`LANES`], each at most 64 code points.
    pub fn new(queries: &[&[u32]]) -> Self {
        assert!(queries.len() <= LANES && queries.iter().all(|q| q.len() <= 64));
        let mut lens = [0usize; LANES];
        let mut high: Vec<u32> = Vec::new();
        for (l, q) in queries.iter().enumerate() {
            lens[l] = q.len();
            high.extend(q.iter().copied().filter(|&c| c >= 256));
        }
        high.sort_unstable();
        high.dedup();
        let cap = (high.len() * 2).next_power_of_two().max(8);
        let mut keys = vec![EMPTY; cap];
        let mut slots = vec![0u32; cap];
        let mut rows: Vec<[u64; LANES]> = Vec::with_capacity(high.len());
        let mut ascii = vec![[0u64; LANES]; 256];
        for (l, q) in queries.iter().enumerate() {
            for (i, &c) in q.iter().enumerate() {
                let bit = 1u64 << i;
                if c < 256 {
                    ascii[c as usize][l] |= bit;
                    continue;
                }
                let mut j = slot_of(c, cap);
                loop {
                    if keys[j] == c {
                        break;
                    }
                    if keys[j] == EMPTY {
                        keys[j] = c;
                        slots[j] = rows.len() as u32;
                        rows.push([0; LANES]);
                        break;
                    }
                    j = (j + 1) & (cap - 1);
                }
                rows[slots[j] as usize][l] |= bit;
            }
        }
        MultiPattern {
            lens,
            ascii,
            keys,
            slots,
            rows,
        }
    }

    #[inline(always)]
    fn masks(&self, c: u32) -> [u64; LANES] {
        if c < 256 {
            return self.ascii[c as usize];
        }
        let cap = self.keys.len();
        let mut j = slot_of(c, cap);
        loop {
            let k = self.keys[j];
            if k == c {
                return self.rows[self.slots[j] as usize];
            }
            if k == EMPTY {
                return [0; LANES];
            }
            j = (j + 1) & (cap - 1);
        }
    }

    #[inline(always)]
    fn lcs_generic(&self, other: &[u32]) -> [usize; LANES] {
        let mut s = [!0u64; LANES];
        for &c in other {
            let m = self.masks(c);
            for l in 0..LANES {
                let u = s[l] & m[l];
                s[l] = s[l].wrapping_add(u) | s[l].wrapping_sub(u);
            }
        }
        let mut out = [0usize; LANES];
        for l in 0..LANES {
            let valid = if self.lens[l] == 64 {
                !0u64
            } else {
                (1u64 << self.lens[l]) - 1
            };
            out[l] = (!s[l] & valid).count_ones() as usize;
        }
        out
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn lcs_avx2(&self, other: &[u32]) -> [usize; LANES] {
        self.lcs_generic(other)
    }

    /// LCS length of every lane's query with `other` (0 for unused lanes).
    pub fn lcs(&self, other: &[u32]) -> [usize; LANES] {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2 (checked just above).
                return unsafe { self.lcs_avx2(other) };
            }
        }
        self.lcs_generic(other)
    }

    pub fn lens(&self) -> &[usize; LANES] {
        &self.lens
    }
}

#[inline(always)]
fn slot_of(c: u32, cap: usize) -> usize {
    (c.wrapping_mul(0x9E37_79B1) >> 7) as usize & (cap - 1)
}

/// RapidFuzz's arithmetic: `1 - dist / (len1 + len2)`, 1 when both are empty.
#[inline]
pub fn ratio_from_lcs(len1: usize, len2: usize, lcs: usize) -> f64 {
    let maximum = len1 + len2;
    if maximum == 0 {
        return 1.0;
    }
    let dist = maximum - 2 * lcs;
    1.0 - dist as f64 / maximum as f64
}

/// The code points of `s`.
pub fn code_points(s: &str) -> Vec<u32> {
    s.chars().map(|c| c as u32).collect()
}

/// Indel normalized similarity of two code point sequences (common prefix and suffix
/// are stripped first; the shorter string becomes the pattern).
pub fn ratio(a: &[u32], b: &[u32]) -> f64 {
    let (len1, len2) = (a.len(), b.len());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    let suffix = ra
        .iter()
        .rev()
        .zip(rb.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (&ra[..ra.len() - suffix], &rb[..rb.len() - suffix]);
    let (short, long) = if ra.len() <= rb.len() {
        (ra, rb)
    } else {
        (rb, ra)
    };
    let inner = if short.is_empty() {
        0
    } else {
        Pattern::new(short).lcs(long)
    };
    ratio_from_lcs(len1, len2, prefix + suffix + inner)
}

/// Plain dynamic-programming LCS: the reference the bit-parallel kernel is tested against.
pub fn lcs_reference(a: &[u32], b: &[u32]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for &x in a {
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cp(s: &str) -> Vec<u32> {
        code_points(s)
    }

    #[test]
    fn known_values() {
        // fuzz.ratio("this is a test", "this is a test!") == 96.55172413793103
        assert_eq!(
            ratio(&cp("this is a test"), &cp("this is a test!")),
            1.0 - 1.0 / 29.0
        );
        assert_eq!(ratio(&cp(""), &cp("")), 1.0);
        assert_eq!(ratio(&cp("abc"), &cp("")), 0.0);
        assert_eq!(ratio(&cp("كتاب"), &cp("كتب")), 1.0 - 1.0 / 7.0);
    }

    fn arb_text() -> impl Strategy<Value = Vec<u32>> {
        // A small alphabet mixing ASCII and Arabic so matches are frequent.
        prop::collection::vec(
            prop::sample::select(vec![97u32, 98, 99, 32, 0x627, 0x628, 0x644, 0x645, 0x1F600]),
            0..300,
        )
    }

    proptest! {
        #[test]
        fn multi_lanes_equal_single(qs in prop::collection::vec(
            prop::collection::vec(prop::sample::select(vec![97u32, 98, 32, 0x627, 0x628, 0x1F600]), 0..65),
            1..=LANES), b in arb_text()) {
            let refs: Vec<&[u32]> = qs.iter().map(|q| q.as_slice()).collect();
            let got = MultiPattern::new(&refs).lcs(&b);
            for (l, q) in qs.iter().enumerate() {
                prop_assert_eq!(got[l], lcs_reference(q, &b));
            }
        }

        #[test]
        fn bit_parallel_equals_dp(a in arb_text(), b in arb_text()) {
            let want = lcs_reference(&a, &b);
            prop_assert_eq!(Pattern::new(&a).lcs(&b), want);
            prop_assert_eq!(Pattern::new(&b).lcs(&a), want);
            let r = ratio(&a, &b);
            prop_assert_eq!(r, ratio_from_lcs(a.len(), b.len(), want));
            prop_assert_eq!(r, ratio(&b, &a));
        }
    }
}
