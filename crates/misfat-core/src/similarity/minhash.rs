//! MinHash signatures (Broder 1997) with a seeded, fixed hash family.
//!
//! Each shingle's 64-bit xxh3 hash is folded to 32 bits `x` and goes through `num_perm`
//! functions `h_i(x) = (a_i·x + b_i mod 2^64) >> 32` (Dietzfelbinger's multiply-add-shift,
//! a strongly universal family for 32-bit keys with 64-bit `a_i`, `b_i`), and the
//! signature keeps the minimum of each. The kernel computes `h_i` from 32-bit halves of
//! `a_i` so that it vectorizes (AVX-512, else AVX2, chosen at run time). `a_i`, `b_i` come
//! from a splitmix64 stream of the seed, so the same seed gives the same signatures in
//! every process, on every machine, in every version with the same `FORMAT`.

use super::tokens::{Shingler, Unit};
use crate::error::{CoreError, Result};

/// Version of the signature definition (hashing of shingles and of permutations).
pub const FORMAT: u32 = 1;

/// splitmix64: the deterministic stream the permutation parameters are drawn from.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Debug)]
pub struct MinHasher {
    pub num_perm: usize,
    pub seed: u64,
    shingler: Shingler,
    a_lo: Vec<u32>,
    a_hi: Vec<u32>,
    b: Vec<u64>,
    /// The whole multipliers `a_i`, for the AVX-512 kernel.
    a: Vec<u64>,
}

/// Permutations per block: the block's minima stay in registers over all shingles.
const BLOCK: usize = 16;

/// `h(x) = (a·x + b mod 2^64) >> 32` for 32-bit `x`, from `a`'s 32-bit halves:
/// `a·x + b = (a_lo·x + b) + (a_hi·x)·2^32`, and the second term only adds `a_hi·x`
/// (mod 2^32) to the high half.
#[inline(always)]
fn perm(a_lo: u32, a_hi: u32, b: u64, x: u32) -> u32 {
    let t = (a_lo as u64 * x as u64).wrapping_add(b);
    ((t >> 32) as u32).wrapping_add(a_hi.wrapping_mul(x))
}

#[inline(always)]
fn kernel(a_lo: &[u32], a_hi: &[u32], b: &[u64], xs: &[u32], mins: &mut [u32]) {
    let k = mins.len();
    let (a_lo, a_hi, b) = (&a_lo[..k], &a_hi[..k], &b[..k]);
    let mut start = 0;
    while start + BLOCK <= k {
        let al: &[u32; BLOCK] = a_lo[start..start + BLOCK].try_into().unwrap();
        let ah: &[u32; BLOCK] = a_hi[start..start + BLOCK].try_into().unwrap();
        let bb: &[u64; BLOCK] = b[start..start + BLOCK].try_into().unwrap();
        let mut m = [u32::MAX; BLOCK];
        for &x in xs {
            for j in 0..BLOCK {
                m[j] = m[j].min(perm(al[j], ah[j], bb[j], x));
            }
        }
        mins[start..start + BLOCK].copy_from_slice(&m);
        start += BLOCK;
    }
    for i in start..k {
        mins[i] = xs
            .iter()
            .fold(u32::MAX, |m, &x| m.min(perm(a_lo[i], a_hi[i], b[i], x)));
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn kernel_avx2(a_lo: &[u32], a_hi: &[u32], b: &[u64], xs: &[u32], mins: &mut [u32]) {
    kernel(a_lo, a_hi, b, xs, mins)
}

/// The AVX-512 kernel: a lane holds `t = a·x + b mod 2^64` (one `vpmullq`), and the
/// minimum of `t >> 32` is the high half of the unsigned minimum of `t`, so whole lanes
/// are compared. The block's parameters and minima stay in registers over all keys.
#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    const L5: usize = 8;
    const V5: usize = 8;

    /// AVX-512: `t = a·x + b` with one `vpmullq` per 8 permutations, `vpminuq` on whole
    /// lanes. Handles `mins.len() / 8 * 8` permutations; returns how many.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) unsafe fn kernel_avx512(
        a: &[u64],
        b: &[u64],
        xs: &[u32],
        mins: &mut [u32],
    ) -> usize {
        let k = mins.len() / L5 * L5;
        // The loads below read `a[..k]` and `b[..k]`: a real check, not a debug one.
        assert!(
            a.len() >= k && b.len() >= k,
            "kernel parameters shorter than mins"
        );
        let mut start = 0;
        while start < k {
            let nv = ((k - start) / L5).min(V5);
            let mut m = [_mm512_set1_epi64(-1); V5];
            let mut av = [_mm512_setzero_si512(); V5];
            let mut bv = [_mm512_setzero_si512(); V5];
            for j in 0..nv {
                // SAFETY: `start + j * L5 + 8 <= k <= a.len(), b.len()` (asserted above).
                av[j] = unsafe { _mm512_loadu_si512(a.as_ptr().add(start + j * L5).cast()) };
                // SAFETY: as above.
                bv[j] = unsafe { _mm512_loadu_si512(b.as_ptr().add(start + j * L5).cast()) };
            }
            if nv == V5 {
                for &x in xs {
                    let xv = _mm512_set1_epi64(x as i64);
                    for j in 0..V5 {
                        let t = _mm512_add_epi64(_mm512_mullo_epi64(av[j], xv), bv[j]);
                        m[j] = _mm512_min_epu64(m[j], t);
                    }
                }
            } else {
                for &x in xs {
                    let xv = _mm512_set1_epi64(x as i64);
                    for j in 0..nv {
                        let t = _mm512_add_epi64(_mm512_mullo_epi64(av[j], xv), bv[j]);
                        m[j] = _mm512_min_epu64(m[j], t);
                    }
                }
            }
            for (j, mj) in m.iter().enumerate().take(nv) {
                let mut lanes = [0u64; L5];
                // SAFETY: `lanes` is 64 bytes, the store's width.
                unsafe { _mm512_storeu_si512(lanes.as_mut_ptr().cast(), *mj) };
                for (i, l) in lanes.iter().enumerate() {
                    mins[start + j * L5 + i] = (l >> 32) as u32;
                }
            }
            start += nv * L5;
        }
        k
    }
}

/// Folds a 64-bit shingle hash to the 32-bit key of the permutations.
#[inline]
pub fn fold32(x: u64) -> u32 {
    (x ^ (x >> 32)) as u32
}

/// The most hash functions a signature may have (MinHasher, LSH index, band keys).
pub const MAX_NUM_PERM: usize = 8192;

impl MinHasher {
    pub fn new(
        num_perm: usize,
        unit: Unit,
        ngram: usize,
        seed: u64,
        profile: Option<&str>,
    ) -> Result<Self> {
        if num_perm == 0 || num_perm > MAX_NUM_PERM {
            return Err(CoreError::InvalidValue(format!(
                "num_perm must be between 1 and {MAX_NUM_PERM}, got {num_perm}"
            )));
        }
        let shingler = Shingler::new(unit, ngram, profile)?;
        let mut state = seed;
        let (mut a_lo, mut a_hi) = (Vec::with_capacity(num_perm), Vec::with_capacity(num_perm));
        let mut b = Vec::with_capacity(num_perm);
        for _ in 0..num_perm {
            let a = splitmix64(&mut state) | 1;
            a_lo.push(a as u32);
            a_hi.push((a >> 32) as u32);
            b.push(splitmix64(&mut state));
        }
        let a = a_lo
            .iter()
            .zip(&a_hi)
            .map(|(&lo, &hi)| (hi as u64) << 32 | lo as u64)
            .collect();
        Ok(MinHasher {
            num_perm,
            seed,
            shingler,
            a_lo,
            a_hi,
            b,
            a,
        })
    }

    pub fn shingler(&self) -> &Shingler {
        &self.shingler
    }

    /// Writes the signature of a set (or bag) of shingle hashes into `out`
    /// (`num_perm` values). An empty input gives all `u32::MAX`.
    pub fn signature_of_hashes(&self, hashes: &[u64], out: &mut [u32]) {
        let xs: Vec<u32> = hashes.iter().map(|&h| fold32(h)).collect();
        self.signature_of_keys(&xs, out);
    }

    /// Like [`MinHasher::signature_of_hashes`] on already folded 32-bit keys.
    pub fn signature_of_keys(&self, xs: &[u32], out: &mut [u32]) {
        assert_eq!(out.len(), self.num_perm);
        #[cfg(target_arch = "x86_64")]
        {
            if self.signature_avx512(xs, out) {
                return;
            }
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2 (checked just above).
                unsafe { kernel_avx2(&self.a_lo, &self.a_hi, &self.b, xs, out) };
                return;
            }
        }
        kernel(&self.a_lo, &self.a_hi, &self.b, xs, out);
    }

    /// The AVX-512 kernel when the CPU has it; `false` when it did nothing.
    #[cfg(target_arch = "x86_64")]
    fn signature_avx512(&self, xs: &[u32], out: &mut [u32]) -> bool {
        if !(std::is_x86_feature_detected!("avx512f") && std::is_x86_feature_detected!("avx512dq"))
        {
            return false;
        }
        // SAFETY: the CPU supports AVX-512 F and DQ (checked just above); `a` and `b`
        // have `num_perm == out.len()` entries.
        let done = unsafe { x86::kernel_avx512(&self.a, &self.b, xs, out) };
        let (a_lo, a_hi, b) = (&self.a_lo[done..], &self.a_hi[done..], &self.b[done..]);
        kernel(a_lo, a_hi, b, xs, &mut out[done..]);
        true
    }

    /// Normalize → shingle → hash → minimum: the signature of one text.
    /// `scratch` holds reusable buffers (one per thread).
    pub fn signature_into(&self, text: &str, scratch: &mut Scratch, out: &mut [u32]) {
        scratch.hashes.clear();
        self.shingler
            .shingles_into(text, &mut scratch.text, &mut scratch.hashes);
        // Repeated shingles need no dedup: the minimum ignores repeats.
        scratch.keys.clear();
        scratch
            .keys
            .extend(scratch.hashes.iter().map(|&h| fold32(h)));
        self.signature_of_keys(&scratch.keys, out);
    }

    pub fn signature(&self, text: &str) -> Vec<u32> {
        let mut out = vec![0; self.num_perm];
        self.signature_into(text, &mut Scratch::default(), &mut out);
        out
    }
}

/// Reusable per-thread buffers.
#[derive(Debug, Default)]
pub struct Scratch {
    pub text: String,
    pub hashes: Vec<u64>,
    pub keys: Vec<u32>,
}

/// The fraction of equal positions: the MinHash estimate of Jaccard similarity.
pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::sets::jaccard;

    #[test]
    fn deterministic_and_seed_dependent() {
        let m = MinHasher::new(64, Unit::Word, 2, 1, Some("search")).unwrap();
        let s1 = m.signature("الرئيس يزور المدينة اليوم");
        let s2 = MinHasher::new(64, Unit::Word, 2, 1, Some("search"))
            .unwrap()
            .signature("الرئيس يزور المدينة اليوم");
        assert_eq!(s1, s2);
        let s3 = MinHasher::new(64, Unit::Word, 2, 2, Some("search"))
            .unwrap()
            .signature("الرئيس يزور المدينة اليوم");
        assert_ne!(s1, s3);
        // Pinned values: changing them breaks persisted signatures (bump FORMAT).
        let mut st = 0u64;
        assert_eq!(splitmix64(&mut st), 0xE220_A839_7B1D_CDAF);
        assert!(m.signature("").iter().all(|&v| v == u32::MAX));
        assert!(MinHasher::new(0, Unit::Word, 2, 1, None).is_err());
    }

    #[test]
    fn split_multiply_equals_64_bit_formula() {
        let mut st = 3u64;
        for _ in 0..10_000 {
            let (a, b, x) = (
                splitmix64(&mut st) | 1,
                splitmix64(&mut st),
                splitmix64(&mut st) as u32,
            );
            let want = (a.wrapping_mul(x as u64).wrapping_add(b) >> 32) as u32;
            assert_eq!(perm(a as u32, (a >> 32) as u32, b, x), want);
        }
        // The vector kernels (whole and partial register blocks) and the scalar tail
        // agree with the formula.
        for k in [37, 136] {
            let m = MinHasher::new(k, Unit::Word, 1, 5, None).unwrap();
            let xs: Vec<u32> = (0..50).map(|_| splitmix64(&mut st) as u32).collect();
            let mut got = vec![0; k];
            m.signature_of_keys(&xs, &mut got);
            for (i, &g) in got.iter().enumerate() {
                let want = xs
                    .iter()
                    .map(|&x| perm(m.a_lo[i], m.a_hi[i], m.b[i], x))
                    .min()
                    .unwrap();
                assert_eq!(g, want, "k {k}, i {i}");
            }
        }
    }

    #[test]
    fn unbiased_within_statistical_bounds() {
        // Pairs of random sets with known Jaccard; the mean error over many pairs
        // must be near 0 (bias) and the mean absolute error near sqrt(J(1-J)/k).
        let k = 128;
        let m = MinHasher::new(k, Unit::Word, 1, 42, None).unwrap();
        let mut state = 7u64;
        let (mut bias, mut mae, trials) = (0.0, 0.0, 300);
        for _ in 0..trials {
            let common: Vec<u64> = (0..100).map(|_| splitmix64(&mut state)).collect();
            let mut a = common.clone();
            let mut b = common.clone();
            a.extend((0..50).map(|_| splitmix64(&mut state)));
            b.extend((0..50).map(|_| splitmix64(&mut state)));
            a.sort_unstable();
            b.sort_unstable();
            let exact = jaccard(&a, &b); // 0.5
            let (mut sa, mut sb) = (vec![0; k], vec![0; k]);
            m.signature_of_hashes(&a, &mut sa);
            m.signature_of_hashes(&b, &mut sb);
            let est = estimate_jaccard(&sa, &sb);
            bias += est - exact;
            mae += (est - exact).abs();
        }
        bias /= trials as f64;
        mae /= trials as f64;
        let sd = (0.25f64 / k as f64).sqrt(); // 0.044
        assert!(
            bias.abs() < 4.0 * sd / (trials as f64).sqrt(),
            "bias {bias}"
        );
        assert!(mae < 0.8 * 1.1 * sd * 1.05 + 0.01, "mae {mae}");
    }
}
