//! `CorpusModel::from_bytes` on any bytes: an error, or a model whose `to_bytes` reads
//! back to the same bytes; merging it with itself gives an error or a model that also
//! round-trips; classifying a page with it keeps the line invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use misfat_core::boilerplate::{CorpusModel, Options, Stripper};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let bytes = common::parser_input(data, b"MISFATBP\x02\0");
    let Ok(model) = CorpusModel::from_bytes(&bytes) else {
        return;
    };
    let out = model.to_bytes();
    let back = CorpusModel::from_bytes(&out).expect("to_bytes of a parsed model must parse");
    assert_eq!(back.to_bytes(), out, "to_bytes does not round-trip");
    assert_eq!(out, bytes, "a parsed model writes different bytes");
    assert_eq!(back.n_pages(), model.n_pages());
    if let Ok(merged) = model.merge(&model) {
        let m = merged.to_bytes();
        let again = CorpusModel::from_bytes(&m).expect("a merged model must parse");
        assert_eq!(again.to_bytes(), m);
        assert_eq!(merged.n_pages(), 2 * model.n_pages());
    }
    let page = "Title\nتابعونا على\nA first sentence of the story, with words.\nFooter";
    let site = model.sites().first().map(String::as_str);
    let lines = Stripper::new(Options::default()).classify(page, Some(&model), site);
    assert_eq!(lines.len(), page.split('\n').count());
});
