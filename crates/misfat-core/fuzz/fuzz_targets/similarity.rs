//! Pairwise scores of two texts for every method (reprint included), with and without a
//! normalization profile: in [0, 1], symmetric for the symmetric methods, the same through
//! `prepare`/`score`, `prepare_query`/`score_query` and `similarity`, and in `score_rows` (NaN where missing); the reprint score
//! of two `Report`s directly is also in [0, 1] and symmetric.
#![no_main]

use libfuzzer_sys::fuzz_target;
use misfat_core::similarity::reprint::{score, Report};
use misfat_core::similarity::tokens::Unit;
use misfat_core::similarity::{Method, Scorer};

#[path = "common.rs"]
mod common;

fn same(x: f64, y: f64) -> bool {
    x == y || (x - y).abs() <= 1e-12
}

static SCORERS: common::Cache<Scorer> = common::Cache::new();

fuzz_target!(|data: &[u8]| {
    let (flags, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let (a, b) = common::two_texts(rest);
    let (ra, rb) = (Report::new(&a), Report::new(&b));
    let (x, y) = (score(&ra, &rb), score(&rb, &ra));
    assert!((0.0..=1.0).contains(&x), "reprint score {x}");
    assert_eq!(x, y, "reprint score not symmetric");

    let unit = if flags & 1 == 0 {
        Unit::Word
    } else {
        Unit::Char
    };
    let ngram = 1 + (flags as usize >> 1 & 3);
    let profile = [None, Some("search"), Some("light"), Some("lucene")][(flags >> 3 & 3) as usize];
    for (i, name) in Method::NAMES.iter().enumerate() {
        let method = Method::parse(name).unwrap();
        let key = (i as u64) << 8 | u64::from(flags & 0x1F);
        let s = SCORERS.get(key, || Scorer::new(method, unit, ngram, profile).unwrap());
        let ab = s.similarity(&a, &b);
        let ba = s.similarity(&b, &a);
        assert!((0.0..=1.0).contains(&ab), "{name}: {ab}");
        if method.is_symmetric() {
            assert!(same(ab, ba), "{name}: {ab} vs {ba}");
        }
        let (pa, pb) = (s.prepare(&a), s.prepare(&b));
        assert!(same(s.score(&pa, &pb), ab), "{name}: prepare/score");
        assert!(
            same(s.score_query(&s.prepare_query(&a), &pb), ab),
            "{name}: score_query"
        );
        // The matrix path (for ratio: many queries at a time through one bit-parallel
        // pattern) gives the pairwise scores.
        let mut m = Vec::new();
        s.score_rows(
            &[Some(&a), None, Some(&b)],
            &[Some(pb), None, Some(pa)],
            &mut m,
        );
        assert_eq!(m.len(), 9);
        assert!(same(m[0], ab) && same(m[8], ba), "{name}: score_rows");
        assert!(
            m[1].is_nan() && m[3..6].iter().all(|v| v.is_nan()) && m[7].is_nan(),
            "{name}: missing"
        );
    }
});
