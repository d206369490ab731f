//! Profiling harness: MinHash signatures (128 permutations, word 3-grams, profile
//! "search") of texts read from a NUL-separated UTF-8 file, one thread; prints the median
//! time and a checksum of all signatures (equal checksums: equal signatures).
//!
//!     cargo build --release -p misfat-core --example minhash_profile
//!     perf record target/release/examples/minhash_profile texts.bin [REPEAT] [MODE]
//!
//! MODE: `full` (default), `raw` (no normalization), `norm` (normalization only),
//! `shingle` (normalization and shingle hashes, no permutations).

use misfat_core::similarity::minhash::{MinHasher, Scratch};
use misfat_core::similarity::tokens::Unit;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: minhash_profile FILE [REPEAT] [MODE]");
    let repeat: usize = args.next().map_or(20, |r| r.parse().expect("repeat"));
    let mode = args.next().unwrap_or_else(|| "full".into());
    let data = std::fs::read_to_string(&path).expect("read");
    let texts: Vec<&str> = data.split('\0').filter(|t| !t.is_empty()).collect();
    let profile = if mode == "raw" { None } else { Some("search") };
    let m = MinHasher::new(128, Unit::Word, 3, 1, profile).expect("minhasher");
    let mut scratch = Scratch::default();
    let mut sig = vec![0u32; 128];
    let mut times = Vec::new();
    let mut check = 0u64;
    for _ in 0..repeat {
        let t = Instant::now();
        for text in &texts {
            match mode.as_str() {
                "norm" => {
                    let t = m.shingler().prepare(text, &mut scratch.text);
                    sig[0] = t.len() as u32;
                }
                "shingle" => {
                    scratch.hashes.clear();
                    m.shingler()
                        .shingles_into(text, &mut scratch.text, &mut scratch.hashes);
                    sig[0] = scratch.hashes.len() as u32;
                }
                _ => m.signature_into(text, &mut scratch, &mut sig),
            }
            check = check
                .wrapping_mul(31)
                .wrapping_add(sig.iter().map(|&v| v as u64).sum::<u64>());
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let med = times[times.len() / 2];
    println!(
        "{} docs, median {:.2} ms, {:.0} docs/s, {:.2} us/doc, checksum {check:016x}",
        texts.len(),
        med * 1e3,
        texts.len() as f64 / med,
        med * 1e6 / texts.len() as f64
    );
}
