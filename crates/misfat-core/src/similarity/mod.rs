//! Similarity scoring and near-duplicate detection.
//!
//! - [`tokens`]: Arabic-aware words, word and char n-gram shingles (seeded xxh3).
//! - [`edit`]: Indel normalized similarity, bit-parallel, equal to RapidFuzz's `ratio`.
//! - [`sets`], [`cosine`], [`simhash`]: set, vector and fingerprint similarities.
//! - [`reprint`]: "the same report": sentences of the shorter text carried in the longer.
//! - [`minhash`], [`lsh`], [`dedup`]: signatures, banded index, verified clustering;
//!   [`pieces`]: dedup's steps one at a time for drivers that hold the rows in parts.
//!
//! [`Scorer`] ties them together for pairwise and matrix scoring: a text is prepared
//! once (normalized, tokenized, hashed) and then compared with many others.

pub mod cosine;
pub mod dedup;
pub mod edit;
pub mod lsh;
pub mod matrix;
pub mod minhash;
pub mod pieces;
pub mod reprint;
pub mod sets;
pub mod simhash;
pub mod tokens;

use crate::error::{CoreError, Result};
use crate::normalize::{Normalizer, Options};
use cosine::{Idf, TermCounts};
use tokens::{Shingler, Unit};

/// A pairwise similarity method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Indel normalized similarity over code points (RapidFuzz `fuzz.ratio / 100`).
    Ratio,
    Jaccard,
    /// `|A ∩ B| / |A|`: how much of the first text is in the second.
    Containment,
    /// `|A ∩ B| / min(|A|, |B|)`.
    Overlap,
    /// Cosine of term-frequency vectors (tf-idf when an [`Idf`] is given).
    Cosine,
    /// `1 - hamming / 64` of 64-bit SimHash fingerprints.
    SimHash,
    /// Share of the shorter text's sentences found in the longer ([`reprint::score`]).
    Reprint,
}

impl Method {
    pub const NAMES: &'static [&'static str] = &[
        "ratio",
        "jaccard",
        "containment",
        "overlap",
        "cosine",
        "simhash",
        "reprint",
    ];

    pub fn parse(name: &str) -> Result<Self> {
        Ok(match name {
            "ratio" | "indel" => Method::Ratio,
            "jaccard" => Method::Jaccard,
            "containment" => Method::Containment,
            "overlap" => Method::Overlap,
            "cosine" => Method::Cosine,
            "simhash" => Method::SimHash,
            "reprint" => Method::Reprint,
            _ => return Err(CoreError::unknown("method", name, Self::NAMES)),
        })
    }

    /// Whether `score(a, b) == score(b, a)`.
    pub fn is_symmetric(self) -> bool {
        self != Method::Containment
    }
}

/// A text prepared for one method.
#[derive(Debug, Clone)]
pub enum Prepared {
    Chars(Vec<u32>),
    Set(Vec<u64>),
    Counts(TermCounts),
    Fingerprint(u64),
    Report(reprint::Report),
}

/// A query prepared for many comparisons (the edit pattern is built once).
#[derive(Debug, Clone)]
pub struct Query {
    pub prepared: Prepared,
    pattern: Option<edit::Pattern>,
}

/// A configured pairwise scorer: immutable and `Sync`.
#[derive(Debug)]
pub struct Scorer {
    pub method: Method,
    shingler: Shingler,
    normalizer: Option<Normalizer>,
    idf: Option<Idf>,
}

impl Scorer {
    pub fn new(method: Method, unit: Unit, ngram: usize, profile: Option<&str>) -> Result<Self> {
        Ok(Scorer {
            method,
            shingler: Shingler::new(unit, ngram, profile)?,
            normalizer: match profile {
                Some(p) => Some(Normalizer::new(Options::profile(p)?)),
                None => None,
            },
            idf: None,
        })
    }

    /// Adds idf weights (cosine only).
    pub fn with_idf(mut self, idf: Idf) -> Result<Self> {
        if self.method != Method::Cosine {
            return Err(CoreError::InvalidValue(
                "idf weights apply to method 'cosine' only".into(),
            ));
        }
        self.idf = Some(idf);
        Ok(self)
    }

    pub fn shingler(&self) -> &Shingler {
        &self.shingler
    }

    /// Term counts of a text (what [`Idf::fit`] takes).
    pub fn term_counts(&self, text: &str) -> TermCounts {
        let mut buf = String::new();
        let mut hashes = Vec::new();
        self.shingler.shingles_into(text, &mut buf, &mut hashes);
        TermCounts::from_hashes(&mut hashes)
    }

    pub fn prepare(&self, text: &str) -> Prepared {
        let mut buf = String::new();
        match self.method {
            Method::Ratio => {
                let t = match &self.normalizer {
                    Some(n) => {
                        n.normalize_into(text, &mut buf, None);
                        buf.as_str()
                    }
                    None => text,
                };
                Prepared::Chars(edit::code_points(t))
            }
            Method::Jaccard | Method::Containment | Method::Overlap => {
                Prepared::Set(self.shingler.shingle_set(text, &mut buf))
            }
            Method::Cosine => Prepared::Counts(self.term_counts(text)),
            Method::SimHash => {
                let mut hashes = Vec::new();
                self.shingler.shingles_into(text, &mut buf, &mut hashes);
                Prepared::Fingerprint(simhash::fingerprint(&hashes))
            }
            Method::Reprint => {
                Prepared::Report(reprint::Report::new(self.shingler.prepare(text, &mut buf)))
            }
        }
    }

    pub fn prepare_query(&self, text: &str) -> Query {
        let prepared = self.prepare(text);
        let pattern = match &prepared {
            Prepared::Chars(c) => Some(edit::Pattern::new(c)),
            _ => None,
        };
        Query { prepared, pattern }
    }

    /// The score of two prepared texts (prepared by this scorer).
    pub fn score(&self, a: &Prepared, b: &Prepared) -> f64 {
        match (a, b) {
            (Prepared::Chars(a), Prepared::Chars(b)) => edit::ratio(a, b),
            (Prepared::Set(a), Prepared::Set(b)) => match self.method {
                Method::Jaccard => sets::jaccard(a, b),
                Method::Containment => sets::containment(a, b),
                _ => sets::overlap(a, b),
            },
            (Prepared::Counts(a), Prepared::Counts(b)) => cosine::cosine(a, b, self.idf.as_ref()),
            (Prepared::Fingerprint(a), Prepared::Fingerprint(b)) => simhash::similarity(*a, *b),
            (Prepared::Report(a), Prepared::Report(b)) => reprint::score(a, b),
            _ => f64::NAN,
        }
    }

    pub fn score_query(&self, q: &Query, b: &Prepared) -> f64 {
        match (&q.pattern, b) {
            (Some(p), Prepared::Chars(c)) => p.ratio(c),
            _ => self.score(&q.prepared, b),
        }
    }

    /// Scores of `queries` (rows) against prepared `choices` (columns), row-major,
    /// appended to `out`; NaN where either side is missing. For `Ratio`, queries of up to
    /// 64 characters go [`edit::LANES`] at a time through one [`edit::MultiPattern`].
    pub fn score_rows(
        &self,
        queries: &[Option<&str>],
        choices: &[Option<Prepared>],
        out: &mut Vec<f64>,
    ) {
        let (base, w) = (out.len(), choices.len());
        out.resize(base + queries.len() * w, f64::NAN);
        if self.method != Method::Ratio {
            for (i, q) in queries.iter().enumerate() {
                let Some(q) = q.map(|t| self.prepare_query(t)) else {
                    continue;
                };
                for (j, c) in choices.iter().enumerate() {
                    if let Some(c) = c {
                        out[base + i * w + j] = self.score_query(&q, c);
                    }
                }
            }
            return;
        }
        let chars: Vec<Option<Vec<u32>>> = queries
            .iter()
            .map(|q| {
                q.map(|t| match self.prepare(t) {
                    Prepared::Chars(c) => c,
                    _ => Vec::new(),
                })
            })
            .collect();
        let (short, long): (Vec<usize>, Vec<usize>) = (0..queries.len())
            .filter(|&i| chars[i].is_some())
            .partition(|&i| {
                chars[i]
                    .as_ref()
                    .is_some_and(|c| !c.is_empty() && c.len() <= 64)
            });
        for group in short.chunks(edit::LANES) {
            let refs: Vec<&[u32]> = group
                .iter()
                .map(|&i| chars[i].as_deref().unwrap_or(&[]))
                .collect();
            let mp = edit::MultiPattern::new(&refs);
            for (j, c) in choices.iter().enumerate() {
                if let Some(Prepared::Chars(c)) = c {
                    let l = mp.lcs(c);
                    for (lane, &i) in group.iter().enumerate() {
                        out[base + i * w + j] =
                            edit::ratio_from_lcs(refs[lane].len(), c.len(), l[lane]);
                    }
                }
            }
        }
        for i in long {
            let q = chars[i].as_deref().unwrap_or(&[]);
            let p = edit::Pattern::new(q);
            for (j, c) in choices.iter().enumerate() {
                if let Some(Prepared::Chars(c)) = c {
                    out[base + i * w + j] = p.ratio(c);
                }
            }
        }
    }

    /// Prepares and scores two texts.
    pub fn similarity(&self, a: &str, b: &str) -> f64 {
        self.score(&self.prepare(a), &self.prepare(b))
    }
}

/// The `k` best `(index, score)` of `scores`, best first, ties by lower index.
pub fn top_k(scores: impl Iterator<Item = f64>, k: usize) -> Vec<(usize, f64)> {
    // Never more than the scores there are, whatever `k` asks for.
    let mut best: Vec<(usize, f64)> = Vec::with_capacity(k.min(scores.size_hint().0) + 1);
    if k == 0 {
        return best;
    }
    for (i, s) in scores.enumerate() {
        if s.is_nan() {
            continue;
        }
        if best.len() == k && s <= best[k - 1].1 {
            continue;
        }
        let pos = best.partition_point(|&(_, b)| b >= s);
        best.insert(pos, (i, s));
        best.truncate(k);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scorer_methods() {
        let j = Scorer::new(Method::Jaccard, Unit::Word, 1, Some("search")).unwrap();
        assert_eq!(
            j.similarity("أحمد ذهب إلى المدرسةِ", "احمد ذهب الى المدرسه"),
            1.0
        );
        assert_eq!(j.similarity("a b", "b c"), 1.0 / 3.0);
        let r = Scorer::new(Method::Ratio, Unit::Char, 1, None).unwrap();
        assert_eq!(r.similarity("abc", "abd"), 1.0 - 2.0 / 6.0);
        let q = r.prepare_query("abc");
        assert_eq!(r.score_query(&q, &r.prepare("abd")), 1.0 - 2.0 / 6.0);
        let c = Scorer::new(Method::Containment, Unit::Word, 1, None).unwrap();
        assert_eq!(c.similarity("a b", "a b c d"), 1.0);
        assert_eq!(c.similarity("a b c d", "a b"), 0.5);
        let s = Scorer::new(Method::SimHash, Unit::Word, 2, None).unwrap();
        assert_eq!(s.similarity("x y z", "x y z"), 1.0);
        assert!(Method::parse("levenshtien").is_err());
        assert!(Scorer::new(Method::Jaccard, Unit::Word, 1, None)
            .unwrap()
            .with_idf(Idf::fit([].iter()))
            .is_err());
    }

    #[test]
    fn score_rows_equals_pairwise() {
        let long = "ب".repeat(70) + "abc";
        let texts = ["abc", "", "كتاب", "كتب", long.as_str(), "a b c d e f", "x"];
        for method in [Method::Ratio, Method::Jaccard] {
            let s = Scorer::new(method, Unit::Word, 1, None).unwrap();
            let mut qs: Vec<Option<&str>> = texts.iter().map(|t| Some(*t)).collect();
            qs.push(None);
            qs.extend(texts.iter().map(|t| Some(*t)));
            let choices: Vec<Option<Prepared>> =
                qs.iter().map(|q| q.map(|t| s.prepare(t))).collect();
            let mut out = Vec::new();
            s.score_rows(&qs, &choices, &mut out);
            for (i, a) in qs.iter().enumerate() {
                for (j, b) in qs.iter().enumerate() {
                    let got = out[i * qs.len() + j];
                    match (a, b) {
                        (Some(a), Some(b)) => assert_eq!(got, s.similarity(a, b), "{a} {b}"),
                        _ => assert!(got.is_nan()),
                    }
                }
            }
        }
    }

    #[test]
    fn top_k_order_and_ties() {
        let got = top_k([0.5, 0.9, f64::NAN, 0.9, 0.1].into_iter(), 3);
        assert_eq!(got, vec![(1, 0.9), (3, 0.9), (0, 0.5)]);
        assert!(top_k([1.0].into_iter(), 0).is_empty());
    }
}
