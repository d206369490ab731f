//! Boilerplate classify/strip with every aggressiveness and flag, with and without a corpus
//! model fitted on the input's pages: one verdict per `\n` line, in order, with byte and
//! char offsets that cut the text at char boundaries and agree; `strip` returns exactly
//! the kept lines, joined by `\n`, and counts the removed non-blank lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use misfat_core::boilerplate::{
    Aggressiveness, CorpusModel, ModelOptions, Options, Reason, Stripper,
};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (flags, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let text = common::text(rest);
    let options = Options {
        keep_titles: flags & 1 == 1,
        keep_captions: flags & 2 == 2,
        aggressiveness: [
            Aggressiveness::Low,
            Aggressiveness::Normal,
            Aggressiveness::High,
            Aggressiveness::Normal,
        ][(flags >> 2 & 3) as usize],
    };
    // Pages of a small corpus: the text split at form feeds, sites by page parity.
    let model = (flags & 16 == 16).then(|| {
        let pages: Vec<&str> = text.split('\x0c').collect();
        let sites = ["a", "b"];
        CorpusModel::fit(
            pages
                .iter()
                .enumerate()
                .map(|(i, p)| (*p, Some(sites[i % 2]))),
            ModelOptions {
                min_df: 2,
                prose_min_df: 2,
            },
        )
        .unwrap()
    });
    let site = [None, Some("a"), Some("zz")][(flags >> 5) as usize % 3];
    let s = Stripper::new(options);
    let lines = s.classify(&text, model.as_ref(), site);
    let raw: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines.len(), raw.len(), "one verdict per line");
    let (mut byte, mut chr) = (0, 0);
    let mut kept = Vec::new();
    let mut removed = 0;
    for (i, (l, r)) in lines.iter().zip(&raw).enumerate() {
        assert_eq!(l.index, i);
        let r = r.strip_suffix('\r').unwrap_or(r);
        assert_eq!(
            (l.start, l.end),
            (byte, byte + r.len()),
            "byte offsets of line {i}"
        );
        assert_eq!(&text[l.start..l.end], r);
        let n = r.chars().count();
        assert_eq!(
            (l.char_start, l.char_end),
            (chr, chr + n),
            "char offsets of line {i}"
        );
        let full = raw[i].len();
        byte += full + 1;
        chr += raw[i].chars().count() + 1;
        assert_eq!(l.kept, l.reason == Reason::Content, "kept iff content");
        if l.kept {
            kept.push(r);
        } else if l.reason != Reason::Blank {
            removed += 1;
        }
    }
    let (out, n_removed) = s.strip(&text, model.as_ref(), site);
    assert_eq!(out, kept.join("\n"), "strip is the kept lines");
    assert_eq!(n_removed, removed, "removed count");
});
