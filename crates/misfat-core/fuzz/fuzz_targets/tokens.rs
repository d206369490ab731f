//! Words and shingles: the vector word scanner, the byte scanner and a per-character
//! reference agree on the words (maximal runs of word characters); n-gram counts follow
//! the documented rule (none without words, one below n, else words - n + 1); a shingle
//! set is sorted and distinct; hashing is deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use misfat_core::similarity::tokens::{
    char_ngrams, for_each_word, is_word_char, word_ngrams, words, Shingler, Unit,
};

#[path = "common.rs"]
mod common;

fn reference_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

static SHINGLERS: common::Cache<Shingler> = common::Cache::new();

fuzz_target!(|data: &[u8]| {
    let (n, rest) = data
        .split_first()
        .map_or((1, data), |(f, r)| (*f as usize % 8 + 1, r));
    let text = common::text(rest);
    let want = reference_words(&text);
    let scanned: Vec<&str> = words(&text).collect();
    assert_eq!(scanned, want, "byte scanner");
    let mut vectored = Vec::new();
    for_each_word(&text, |w| vectored.push(w));
    assert_eq!(vectored, want, "vector scanner");

    let mut grams = Vec::new();
    word_ngrams(&text, n, &mut grams);
    let expect = match want.len() {
        0 => 0,
        w if w < n => 1,
        w => w - n + 1,
    };
    assert_eq!(grams.len(), expect, "word {n}-gram count");
    let mut again = vec![7];
    word_ngrams(&text, n, &mut again);
    assert_eq!(
        &again[1..],
        &grams[..],
        "word n-grams appended after existing values"
    );

    let joined = want.join(" ");
    let chars = joined.chars().count();
    let mut cg = Vec::new();
    char_ngrams(&text, n, &mut cg);
    let expect = match chars {
        0 => 0,
        c if c < n => 1,
        c => c - n + 1,
    };
    assert_eq!(cg.len(), expect, "char {n}-gram count");

    for (u, unit) in [Unit::Word, Unit::Char].into_iter().enumerate() {
        for (p, profile) in [None, Some("search")].into_iter().enumerate() {
            let key = (n * 2 + u) * 2 + p;
            let sh = SHINGLERS.get(key as u64, || Shingler::new(unit, n, profile).unwrap());
            let mut buf = String::new();
            let set = sh.shingle_set(&text, &mut buf);
            assert!(
                set.windows(2).all(|w| w[0] < w[1]),
                "shingle set sorted, distinct"
            );
            assert_eq!(sh.shingle_set(&text, &mut buf), set, "deterministic");
        }
    }
});
