//! MinHash signatures: `num_perm` values, deterministic, the same from text and from its
//! shingle hashes, independent of order and repeats, and the signature of a union is the
//! element-wise minimum of the signatures (checks the SIMD kernels lane by lane); the
//! Jaccard estimate is in [0, 1], symmetric, 1 on itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use misfat_core::similarity::minhash::{estimate_jaccard, MinHasher, Scratch};
use misfat_core::similarity::tokens::Unit;

#[path = "common.rs"]
mod common;

static HASHERS: common::Cache<MinHasher> = common::Cache::new();

fuzz_target!(|data: &[u8]| {
    let Some((&p, rest)) = data.split_first() else {
        return;
    };
    // 1..=67 permutations: every remainder of the 8- and 16-lane kernels.
    let num_perm = p as usize % 67 + 1;
    let unit = if p & 0x80 == 0 {
        Unit::Word
    } else {
        Unit::Char
    };
    let (a, b) = common::two_texts(rest);
    let m = HASHERS.get(p.into(), || {
        MinHasher::new(
            num_perm,
            unit,
            1 + (p as usize >> 5 & 3),
            42,
            Some("search"),
        )
        .unwrap()
    });
    let sa = m.signature(&a);
    assert_eq!(sa.len(), num_perm);
    assert_eq!(m.signature(&a), sa, "deterministic");
    let mut out = vec![0; num_perm];
    m.signature_into(&a, &mut Scratch::default(), &mut out);
    assert_eq!(out, sa);

    let mut buf = String::new();
    let mut ha = Vec::new();
    m.shingler().shingles_into(&a, &mut buf, &mut ha);
    let mut hb = Vec::new();
    m.shingler().shingles_into(&b, &mut buf, &mut hb);
    m.signature_of_hashes(&ha, &mut out);
    assert_eq!(out, sa, "from hashes");
    let mut shuffled: Vec<u64> = ha.iter().rev().copied().collect();
    shuffled.extend_from_slice(&ha);
    m.signature_of_hashes(&shuffled, &mut out);
    assert_eq!(out, sa, "order and repeats");
    if ha.is_empty() {
        assert!(sa.iter().all(|&v| v == u32::MAX), "empty set");
    }
    let sb = m.signature(&b);
    let union: Vec<u64> = ha.iter().chain(&hb).copied().collect();
    m.signature_of_hashes(&union, &mut out);
    let mins: Vec<u32> = sa.iter().zip(&sb).map(|(x, y)| *x.min(y)).collect();
    assert_eq!(out, mins, "union is the element-wise minimum");

    let j = estimate_jaccard(&sa, &sb);
    assert!((0.0..=1.0).contains(&j));
    assert_eq!(j, estimate_jaccard(&sb, &sa));
    assert_eq!(estimate_jaccard(&sa, &sa), 1.0);
});
