//! Normalization with every named profile and with one of 64 option sets chosen by the first byte:
//! valid UTF-8 out, the offsets path and the fast path give the same text, offsets are
//! one per output character plus the input length, all inside the input; every named
//! profile is idempotent; appending to a non-empty buffer leaves the buffer's head alone.
#![no_main]

use libfuzzer_sys::fuzz_target;
use misfat_core::normalize::{Normalizer, Options, PROFILES};

#[path = "common.rs"]
mod common;

fn check(n: &Normalizer, text: &str, idempotent: bool, what: &str) {
    let out = n.normalize(text);
    assert!(
        std::str::from_utf8(out.as_bytes()).is_ok(),
        "{what}: invalid UTF-8"
    );
    let (with, offsets) = n.normalize_with_offsets(text);
    assert_eq!(with, out, "{what}: offsets path and fast path differ");
    let n_in = text.chars().count() as u32;
    assert_eq!(
        offsets.len(),
        out.chars().count() + 1,
        "{what}: offsets length"
    );
    assert_eq!(offsets.last(), Some(&n_in), "{what}: last offset");
    assert!(
        offsets.iter().all(|&o| o <= n_in),
        "{what}: offset outside the input"
    );
    let mut buf = String::from("x\n");
    n.normalize_into(text, &mut buf, None);
    assert!(buf.starts_with("x\n"), "{what}: buffer head changed");
    if idempotent {
        assert_eq!(n.normalize(&out), out, "{what}: not idempotent");
    }
}

static NORMALIZERS: common::Cache<Normalizer> = common::Cache::new();

/// One of 64 fixed option sets (each option on with probability 1/2), so that few
/// normalizers are compiled.
fn options(choice: u8) -> Options {
    let mut state = u64::from(choice % 64) + 1;
    let mut o = Options::default();
    for name in Options::NAMES {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        o.set(name, state >> 63 == 1).unwrap();
    }
    o
}

fuzz_target!(|data: &[u8]| {
    let (choice, rest) = data.split_first().map_or((0, data), |(c, r)| (*c, r));
    let text = common::text(rest);
    for (i, p) in PROFILES.iter().enumerate() {
        let n = NORMALIZERS.get(i as u64, || Normalizer::new(Options::profile(p).unwrap()));
        check(n, &text, true, p);
    }
    let key = 100 + u64::from(choice % 64);
    let n = NORMALIZERS.get(key, || Normalizer::new(options(choice)));
    check(n, &text, false, "options chosen by the first byte");
});
