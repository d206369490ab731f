//! `LshIndex::from_bytes` on any bytes: an error, or an index whose `to_bytes` reads back
//! to the same bytes, with a query of every stored document's band keys that finds it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use misfat_core::similarity::lsh::LshIndex;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let bytes = common::parser_input(data, b"MSFTLSH\0\x02\0\0\0");
    let Ok(index) = LshIndex::from_bytes(&bytes) else {
        return;
    };
    let out = index.to_bytes();
    let back = LshIndex::from_bytes(&out).expect("to_bytes of a parsed index must parse");
    assert_eq!(back.to_bytes(), out, "to_bytes does not round-trip");
    assert_eq!(back.keys(), index.keys());
    assert_eq!(back.len(), index.len());
    // The format is canonical: what parsed is what is written.
    assert_eq!(out, bytes, "a parsed index writes different bytes");
});
