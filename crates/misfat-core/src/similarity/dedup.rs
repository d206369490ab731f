//! Near-duplicate clustering: candidates → verification → clusters.
//!
//! Two ways of linking verified pairs into clusters ([`Link`]):
//! - [`Link::Representative`] (reprints): rows are visited by how many rows they verify
//!   with, most first; a row that is not yet in a cluster founds one and becomes its
//!   representative, and a row joins a cluster only through a verified pair with that
//!   representative, never through another member. A chain of pairwise-similar templated stories (bulletins of
//!   successive days) cannot become one cluster, and each row carries its score against
//!   the representative so a cluster can be audited.
//! - [`Link::Any`] (single link, union-find): every verified pair joins two clusters.
//!
//! Memory stays flat at corpus scale: per document only its band keys (MinHash) or its
//! fingerprint (SimHash) are kept; candidates come from sorting `(band key, doc)`
//! pairs one band at a time, never from hash maps of vectors. Every candidate pair is
//! checked against the real similarity of the two texts' shingle sets before it joins
//! two clusters, so a boilerplate paragraph shared by unrelated stories (which makes
//! them collide in some band) never chains them together.
//!
//! The work is split into per-document / per-pair steps run through an [`Executor`];
//! the Python binding supplies a parallel one, tests use [`Sequential`].

use super::lsh::{band_keys_into, check_bands, optimal_params};
use super::minhash::{MinHasher, Scratch};
use super::reprint::Report;
use super::simhash;
use super::tokens::Shingler;
use super::{Method, Prepared, Scorer};
use crate::error::{CoreError, Result};

/// Runs a function over items, possibly in parallel, keeping the order of results.
pub trait Executor: Sync {
    fn map<T: Sync, R: Send>(&self, items: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R>;
}

/// The one-thread executor.
pub struct Sequential;

impl Executor for Sequential {
    fn map<T: Sync, R: Send>(&self, items: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
        items.iter().map(f).collect()
    }
}

/// How candidates are found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Candidates {
    /// MinHash signatures cut into `bands × rows`.
    MinHash {
        num_perm: usize,
        bands: usize,
        rows: usize,
        seed: u64,
    },
    /// 64-bit SimHash fingerprints within `max_hamming` bits (found by pigeonhole blocks).
    SimHash { max_hamming: u32 },
}

/// The similarity a candidate pair must reach to be merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    /// Merge every candidate pair (no check): fast, chains unrelated texts.
    No,
    Jaccard,
    /// `|A ∩ B| / min(|A|, |B|)`: robust to added furniture and truncation.
    Overlap,
    /// The sentences of the shorter text carried in the longer ([`super::reprint`]).
    Reprint,
}

impl Verify {
    pub const NAMES: &'static [&'static str] = &["reprint", "jaccard", "overlap"];

    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "reprint" => Ok(Verify::Reprint),
            "jaccard" => Ok(Verify::Jaccard),
            "overlap" | "containment" => Ok(Verify::Overlap),
            _ => Err(CoreError::unknown("verify method", name, Self::NAMES)),
        }
    }

    fn method(self) -> Method {
        match self {
            Verify::Reprint => Method::Reprint,
            Verify::Jaccard | Verify::No => Method::Jaccard,
            Verify::Overlap => Method::Overlap,
        }
    }
}

/// How verified pairs make clusters (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Representative,
    Any,
}

/// The settings of `match="reprint"`: what "the same report" means by default.
pub mod reprint_defaults {
    /// Share of the shorter text's words in sentences found in the longer (tuned on the
    /// dev half of `bench/real/reprints`).
    pub const THRESHOLD: f64 = 0.5;
    /// Sentence pieces per document that give candidate keys (two keys each).
    pub const SENTENCE_KEYS: usize = 16;
    /// A sentence key shared by more documents than this is template or furniture, not
    /// evidence of one report: its bucket gives no candidates (learned in the same pass).
    pub const MAX_SENTENCE_BUCKET: usize = 64;
    /// MinHash bands × rows over word 2-grams (whole-text candidates, Jaccard ≳ 0.3).
    pub const BANDS: usize = 32;
    pub const ROWS: usize = 4;

    /// `BANDS × ROWS`, or as many rows of up to `BANDS` bands as `num_perm` allows.
    pub fn lsh(num_perm: usize) -> (usize, usize) {
        let bands = BANDS.min(num_perm).max(1);
        (bands, ROWS.min(num_perm / bands).max(1))
    }
}

#[derive(Debug)]
pub struct DedupConfig {
    pub shingler: Shingler,
    pub candidates: Candidates,
    pub verify: Verify,
    pub threshold: f64,
    /// Sentence keys per document added to the candidates (0: none).
    pub sentence_keys: usize,
    pub link: Link,
}

impl DedupConfig {
    /// Chooses `bands × rows` for `threshold` when `params` is `None`.
    pub fn minhash(
        shingler: Shingler,
        threshold: f64,
        num_perm: usize,
        params: Option<(usize, usize)>,
        seed: u64,
        verify: Verify,
    ) -> Result<Self> {
        let (bands, rows) = match params {
            Some(p) => p,
            None => optimal_params(threshold, num_perm, 0.5, 0.5)?,
        };
        check_bands(num_perm, bands, rows)?;
        Ok(DedupConfig {
            shingler,
            candidates: Candidates::MinHash {
                num_perm,
                bands,
                rows,
                seed,
            },
            verify,
            threshold,
            sentence_keys: 0,
            link: Link::Any,
        })
    }

    /// Reprints: MinHash candidates plus sentence keys, verified with
    /// [`Verify::Reprint`], linked through representatives.
    pub fn reprint(
        shingler: Shingler,
        threshold: f64,
        num_perm: usize,
        params: Option<(usize, usize)>,
        seed: u64,
    ) -> Result<Self> {
        use reprint_defaults as d;
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(CoreError::InvalidValue(format!(
                "threshold must be in (0, 1], got {threshold}"
            )));
        }
        let params = params.unwrap_or_else(|| d::lsh(num_perm));
        let mut cfg = Self::minhash(
            shingler,
            threshold,
            num_perm,
            Some(params),
            seed,
            Verify::Reprint,
        )?;
        cfg.sentence_keys = d::SENTENCE_KEYS;
        cfg.link = Link::Representative;
        Ok(cfg)
    }

    /// SimHash candidates within `(1 - threshold) · 64` bits.
    pub fn simhash(shingler: Shingler, threshold: f64, verify: Verify) -> Result<Self> {
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(CoreError::InvalidValue(format!(
                "threshold must be in (0, 1], got {threshold}"
            )));
        }
        let max_hamming = ((1.0 - threshold) * 64.0 + 1e-9).floor() as u32;
        // Candidates agree on one of `max_hamming + 1` blocks (pigeonhole), at most 16
        // blocks of 4 bits: at most 15 differing bits, i.e. threshold > 0.75 (0.75 itself
        // allows 16 bits and is refused).
        if max_hamming > 15 {
            return Err(CoreError::InvalidValue(format!(
                "simhash dedup needs threshold > 0.75 (at most 15 of the 64 bits may differ; \
                 0.75 allows 16), got {threshold}"
            )));
        }
        Ok(DedupConfig {
            shingler,
            candidates: Candidates::SimHash { max_hamming },
            verify,
            threshold,
            sentence_keys: 0,
            link: Link::Any,
        })
    }
}

/// The outcome: a cluster id per row (the row of its representative: see
/// [`representatives`]; the first row with [`Link::Any`]), each row's score against its
/// representative (1 for a representative; NaN where single links joined it), and
/// counts of what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    pub cluster: Vec<u32>,
    pub score: Vec<f32>,
    pub candidate_pairs: usize,
    pub verified_pairs: usize,
}

impl Clusters {
    pub fn is_representative(&self, row: usize) -> bool {
        self.cluster[row] as usize == row
    }
}

/// Union-find with path halving; the root of a set is its smallest member.
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = self.parent[x as usize];
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }

    pub fn into_roots(mut self) -> Vec<u32> {
        (0..self.parent.len() as u32)
            .map(|i| self.find(i))
            .collect()
    }
}

const CHUNK: usize = 1024;

/// Runs of equal keys in `pairs` (sorted) become candidate pairs: all pairs in runs of
/// up to `ALL_PAIRS` documents, each member with the first and the previous one in
/// longer runs (enough for union-find, bounded work for huge buckets).
const ALL_PAIRS: usize = 16;

fn emit_runs(sorted: &[(u64, u32)], max_run: usize, out: &mut Vec<u64>) {
    debug_assert!(max_run >= ALL_PAIRS);
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let run = &sorted[i..j];
        // A run longer than `max_run` (a key too common to be evidence) gives nothing.
        if run.len() <= ALL_PAIRS {
            for x in 0..run.len() {
                for y in x + 1..run.len() {
                    out.push(pack(run[x].1, run[y].1));
                }
            }
        } else if run.len() <= max_run {
            for y in 1..run.len() {
                out.push(pack(run[0].1, run[y].1));
                if y > 1 {
                    out.push(pack(run[y - 1].1, run[y].1));
                }
            }
        }
        i = j;
    }
}

#[inline]
fn pack(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    ((lo as u64) << 32) | hi as u64
}

/// Sorts and dedups `pairs` once it has doubled since the last time (amortised linear,
/// instead of re-sorting the whole growing vector after every band).
fn compact(pairs: &mut Vec<u64>, settled: &mut usize, force: bool) {
    if force || pairs.len() > 2 * *settled + (1 << 20) {
        pairs.sort_unstable();
        pairs.dedup();
        *settled = pairs.len();
    }
}

/// Clusters `texts` (a `None` is missing and stays alone).
pub fn dedup<E: Executor>(
    texts: &[Option<&str>],
    config: &DedupConfig,
    exec: &E,
) -> Result<Clusters> {
    let n = texts.len();
    if n >= u32::MAX as usize {
        return Err(CoreError::InvalidValue("too many rows (2^32)".into()));
    }
    let chunks: Vec<(usize, usize)> = (0..n)
        .step_by(CHUNK)
        .map(|s| (s, (s + CHUNK).min(n)))
        .collect();
    let pairs = candidates(texts, config, &chunks, exec)?;
    let candidate_pairs = pairs.len();
    let scorer = Scorer::new(
        config.verify.method(),
        config.shingler.unit,
        config.shingler.ngram,
        config.shingler.profile(),
    )?;
    if config.verify == Verify::No {
        let mut uf = UnionFind::new(n);
        for &p in &pairs {
            uf.union((p >> 32) as u32, p as u32);
        }
        return Ok(single_link(uf, candidate_pairs, candidate_pairs));
    }
    match config.link {
        Link::Any => {
            let mut uf = UnionFind::new(n);
            let mut verified = 0;
            // Pairs are sorted by first document: a batch touches few distinct documents;
            // pairs already in one cluster need no check.
            for group in pairs.chunks(4096) {
                let todo: Vec<u64> = group
                    .iter()
                    .copied()
                    .filter(|&p| uf.find((p >> 32) as u32) != uf.find(p as u32))
                    .collect();
                for (p, s) in verify_pairs(texts, &todo, &scorer, exec) {
                    if s >= config.threshold {
                        verified += 1;
                        uf.union((p >> 32) as u32, p as u32);
                    }
                }
            }
            Ok(single_link(uf, candidate_pairs, verified))
        }
        Link::Representative => {
            let mut edges: Vec<(u64, f32)> = Vec::new();
            for group in doc_batches(&pairs, n) {
                edges.extend(
                    verify_pairs(texts, group, &scorer, exec)
                        .into_iter()
                        .filter(|&(_, s)| s >= config.threshold)
                        .map(|(p, s)| (p, s as f32)),
                );
            }
            drop(pairs);
            let (cluster, score) = representatives(n, &edges)?;
            Ok(Clusters {
                cluster,
                score,
                candidate_pairs,
                verified_pairs: edges.len(),
            })
        }
    }
}

/// Rows prepared at once when verifying: every pair of a batch is scored from rows
/// prepared once (bounded memory: about 5 KB per prepared article).
const ROWS_PER_BATCH: usize = 1 << 16;

/// Consecutive runs of `pairs` that touch at most [`ROWS_PER_BATCH`] distinct rows.
fn doc_batches(pairs: &[u64], n: usize) -> Vec<&[u64]> {
    let mut batch_of = vec![u32::MAX; n];
    let (mut out, mut start, mut rows, mut id) = (Vec::new(), 0, 0, 0u32);
    for (i, &p) in pairs.iter().enumerate() {
        for d in [(p >> 32) as usize, p as u32 as usize] {
            if batch_of[d] != id {
                batch_of[d] = id;
                rows += 1;
            }
        }
        if rows >= ROWS_PER_BATCH {
            out.push(&pairs[start..=i]);
            (start, rows, id) = (i + 1, 0, id + 1);
        }
    }
    if start < pairs.len() {
        out.push(&pairs[start..]);
    }
    out
}

fn single_link(uf: UnionFind, candidate_pairs: usize, verified_pairs: usize) -> Clusters {
    let cluster = uf.into_roots();
    let score = cluster
        .iter()
        .enumerate()
        .map(|(i, &c)| if c as usize == i { 1.0 } else { f32::NAN })
        .collect();
    Clusters {
        cluster,
        score,
        candidate_pairs,
        verified_pairs,
    }
}

/// The score of each of `pairs` (packed `(lo, hi)` rows of `texts`, in any order; sorted
/// by `lo` is fastest), in their order: every row is prepared once per batch of
/// [`ROWS_PER_BATCH`] rows, not once per pair. What the drivers verify candidates with.
pub fn score_pairs<E: Executor>(
    texts: &[Option<&str>],
    pairs: &[u64],
    scorer: &Scorer,
    exec: &E,
) -> Result<Vec<f64>> {
    if let Some(&p) = pairs
        .iter()
        .find(|&&p| (p >> 32) as usize >= texts.len() || p as u32 as usize >= texts.len())
    {
        return Err(CoreError::InvalidValue(format!(
            "pair ({}, {}) is outside the {} rows",
            p >> 32,
            p as u32,
            texts.len()
        )));
    }
    let mut out = Vec::with_capacity(pairs.len());
    for group in doc_batches(pairs, texts.len()) {
        out.extend(
            verify_pairs(texts, group, scorer, exec)
                .into_iter()
                .map(|(_, s)| s),
        );
    }
    Ok(out)
}

/// Scores of `pairs` (packed, sorted by first row); each row is prepared once per call.
fn verify_pairs<E: Executor>(
    texts: &[Option<&str>],
    pairs: &[u64],
    scorer: &Scorer,
    exec: &E,
) -> Vec<(u64, f64)> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let mut docs: Vec<u32> = pairs
        .iter()
        .flat_map(|&p| [(p >> 32) as u32, p as u32])
        .collect();
    docs.sort_unstable();
    docs.dedup();
    let doc_chunks: Vec<&[u32]> = docs.chunks(64).collect();
    let prepared: Vec<Prepared> = exec
        .map(&doc_chunks, &|c: &&[u32]| {
            c.iter()
                .map(|&d| scorer.prepare(texts[d as usize].unwrap_or("")))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
    let of = |d: u32| &prepared[docs.binary_search(&d).unwrap_or(0)];
    let pair_chunks: Vec<&[u64]> = pairs.chunks(256).collect();
    exec.map(&pair_chunks, &|c: &&[u64]| {
        c.iter()
            .map(|&p| (p, scorer.score(of((p >> 32) as u32), of(p as u32))))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Clusters through representatives (greedy star clustering): rows are visited by the
/// number of verified pairs they have, most first (ties: lower row first); a row not
/// yet in a cluster founds one and is its representative, taking every unclustered row
/// it has a verified pair with. A row joins a cluster only through a verified pair with
/// its representative, never through another member; the representative is the copy
/// most others verify against (the fullest version of a report, not a trimmed one).
/// `edges`: packed `(lo, hi)` pairs with `lo < hi < n` and their scores. Returns each
/// row's cluster (its representative's row) and score against it (1 for representatives).
pub fn representatives(n: usize, edges: &[(u64, f32)]) -> Result<(Vec<u32>, Vec<f32>)> {
    let mut degree = vec![0u32; n + 1];
    for &(p, _) in edges {
        let (a, b) = ((p >> 32) as usize, p as u32 as usize);
        if a >= b || b >= n {
            return Err(CoreError::InvalidValue(
                "pairs must be (lo, hi) with lo < hi < n".into(),
            ));
        }
        degree[a + 1] += 1;
        degree[b + 1] += 1;
    }
    // Adjacency in compressed rows: `offset[v]..offset[v + 1]` indexes `adj`.
    let mut offset = degree;
    for i in 0..n {
        offset[i + 1] += offset[i];
    }
    let mut fill = offset.clone();
    let mut adj = vec![(0u32, 0f32); edges.len() * 2];
    for &(p, s) in edges {
        let (a, b) = ((p >> 32) as u32, p as u32);
        for (x, y) in [(a, b), (b, a)] {
            adj[fill[x as usize] as usize] = (y, s);
            fill[x as usize] += 1;
        }
    }
    let deg = |v: u32| offset[v as usize + 1] - offset[v as usize];
    let mut order: Vec<u32> = (0..n as u32).filter(|&v| deg(v) > 0).collect();
    order.sort_unstable_by_key(|&v| (std::cmp::Reverse(deg(v)), v));
    let mut cluster: Vec<u32> = (0..n as u32).collect();
    let mut score = vec![1.0f32; n];
    let mut done = vec![false; n];
    for v in order {
        if done[v as usize] {
            continue;
        }
        done[v as usize] = true;
        for &(u, s) in &adj[offset[v as usize] as usize..offset[v as usize + 1] as usize] {
            if !done[u as usize] {
                done[u as usize] = true;
                cluster[u as usize] = v;
                score[u as usize] = s;
            }
        }
    }
    Ok((cluster, score))
}

/// The distinct sentence keys of one text (normalized by `sh` first) into `out`
/// (cleared): texts sharing a key are candidates (see [`Report::sentence_keys`]).
pub fn sentence_keys(sh: &Shingler, text: &str, max: usize, buf: &mut String, out: &mut Vec<u64>) {
    normalized_sentence_keys(sh.prepare(text, buf), max, out);
}

/// [`sentence_keys`] of text already normalized.
fn normalized_sentence_keys(text: &str, max: usize, out: &mut Vec<u64>) {
    out.clear();
    Report::new(text).sentence_keys(max, out);
    out.sort_unstable();
    out.dedup();
}

/// A chunk's band keys (`bands` per row) and its `(sentence key, row)` entries.
type ChunkKeys = (Vec<u64>, Vec<(u64, u32)>);

/// Candidate pairs (packed, sorted, distinct) from band keys and sentence keys.
fn candidates<E: Executor>(
    texts: &[Option<&str>],
    config: &DedupConfig,
    chunks: &[(usize, usize)],
    exec: &E,
) -> Result<Vec<u64>> {
    let n = texts.len();
    let mut pairs: Vec<u64> = Vec::new();
    let mut settled = 0;
    match config.candidates {
        Candidates::MinHash {
            num_perm,
            bands,
            rows,
            seed,
        } => {
            let sh = &config.shingler;
            let hasher = MinHasher::new(num_perm, sh.unit, sh.ngram, seed, sh.profile())?;
            let per_sentence = config.sentence_keys;
            // Band keys per document (documents without shingles get none) and its
            // sentence keys.
            let keys: Vec<ChunkKeys> = exec.map(chunks, &|&(s, e)| {
                let mut scratch = Scratch::default();
                let mut sig = vec![0u32; num_perm];
                let mut out = Vec::with_capacity((e - s) * bands);
                let mut sentence = Vec::new();
                let mut one = Vec::new();
                for (i, t) in texts[s..e].iter().enumerate() {
                    match t {
                        Some(t) => {
                            hasher.signature_into(t, &mut scratch, &mut sig);
                            if scratch.hashes.is_empty() {
                                out.extend(std::iter::repeat_n(u64::MAX, bands));
                            } else {
                                band_keys_into(&sig, bands, rows, &mut out);
                            }
                            if per_sentence > 0 {
                                // The signature left the normalized text in its scratch
                                // buffer (the shingler writes there when it normalizes).
                                let norm = if sh.profile().is_some() {
                                    scratch.text.as_str()
                                } else {
                                    t
                                };
                                normalized_sentence_keys(norm, per_sentence, &mut one);
                                sentence.extend(one.iter().map(|&k| (k, (s + i) as u32)));
                            }
                        }
                        None => out.extend(std::iter::repeat_n(u64::MAX, bands)),
                    }
                }
                (out, sentence)
            });
            let mut column: Vec<(u64, u32)> = Vec::with_capacity(n);
            for b in 0..bands {
                column.clear();
                for (&(s, _), (ks, _)) in chunks.iter().zip(&keys) {
                    for (i, row) in ks.chunks_exact(bands).enumerate() {
                        if row[b] != u64::MAX {
                            column.push((row[b], (s + i) as u32));
                        }
                    }
                }
                column.sort_unstable();
                emit_runs(&column, usize::MAX, &mut pairs);
                compact(&mut pairs, &mut settled, false);
            }
            if per_sentence > 0 {
                drop(column);
                let mut column: Vec<(u64, u32)> = keys.into_iter().flat_map(|(_, s)| s).collect();
                column.sort_unstable();
                emit_runs(&column, reprint_defaults::MAX_SENTENCE_BUCKET, &mut pairs);
            }
        }
        Candidates::SimHash { max_hamming } => {
            let sh = &config.shingler;
            let fps: Vec<Vec<(u64, bool)>> = exec.map(chunks, &|&(s, e)| {
                let mut buf = String::new();
                let mut hashes = Vec::new();
                texts[s..e]
                    .iter()
                    .map(|t| match t {
                        Some(t) => {
                            hashes.clear();
                            sh.shingles_into(t, &mut buf, &mut hashes);
                            (simhash::fingerprint(&hashes), !hashes.is_empty())
                        }
                        None => (0, false),
                    })
                    .collect()
            });
            let fps: Vec<(u64, bool)> = fps.into_iter().flatten().collect();
            // Pigeonhole: within `d` bits, two fingerprints agree on one of `d + 1` blocks.
            let blocks = max_hamming as usize + 1;
            let mut column: Vec<(u64, u32)> = Vec::with_capacity(n);
            for blk in 0..blocks {
                let lo = blk * 64 / blocks;
                let hi = (blk + 1) * 64 / blocks;
                let mask = if hi - lo == 64 {
                    !0
                } else {
                    ((1u64 << (hi - lo)) - 1) << lo
                };
                column.clear();
                column.extend(
                    fps.iter()
                        .enumerate()
                        .filter(|(_, f)| f.1)
                        .map(|(i, f)| (f.0 & mask, i as u32)),
                );
                column.sort_unstable();
                let mut i = 0;
                while i < column.len() {
                    let mut j = i + 1;
                    while j < column.len() && column[j].0 == column[i].0 {
                        j += 1;
                    }
                    for x in i..j {
                        let fx = fps[column[x].1 as usize].0;
                        for y in x + 1..j {
                            if simhash::hamming(fx, fps[column[y].1 as usize].0) <= max_hamming {
                                pairs.push(pack(column[x].1, column[y].1));
                            }
                        }
                    }
                    i = j;
                }
                compact(&mut pairs, &mut settled, false);
            }
        }
    }
    compact(&mut pairs, &mut settled, true);
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::tokens::Unit;

    fn story(i: usize) -> String {
        (0..80)
            .map(|w| format!("w{}x{}", i, w))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn clusters_near_copies_and_keeps_unrelated_apart() {
        let boiler = (0..60)
            .map(|w| format!("b{w}"))
            .collect::<Vec<_>>()
            .join(" ");
        let a = story(1);
        let a2 = format!("{} extra words here", a.replacen("w1x5 ", "", 1));
        let b = format!("{} {}", story(2), boiler);
        let c = format!("{} {}", story(3), boiler);
        let texts: Vec<Option<&str>> = vec![
            Some(&a),
            Some(&b),
            Some(&a2),
            None,
            Some(&c),
            Some(""),
            Some(&a),
        ];
        for verify in [Verify::Jaccard, Verify::Overlap] {
            let sh = Shingler::new(Unit::Word, 3, Some("search")).unwrap();
            let cfg = DedupConfig::minhash(sh, 0.6, 128, None, 1, verify).unwrap();
            let r = dedup(&texts, &cfg, &Sequential).unwrap();
            assert_eq!(r.cluster, vec![0, 1, 0, 3, 4, 5, 0], "{verify:?}");
            assert!(r.is_representative(0) && !r.is_representative(2));
        }
        let sh = Shingler::new(Unit::Word, 3, Some("search")).unwrap();
        let cfg = DedupConfig::simhash(sh, 0.9, Verify::Jaccard).unwrap();
        let r = dedup(&texts, &cfg, &Sequential).unwrap();
        assert_eq!(r.cluster[6], 0);
        assert_eq!(r.cluster[1], 1);
    }

    #[test]
    fn unverified_candidates_chain_through_boilerplate() {
        // The failure mode verification exists for: with a low threshold, the shared
        // boilerplate makes b and c candidates; without verification they merge.
        let boiler = (0..60)
            .map(|w| format!("b{w}"))
            .collect::<Vec<_>>()
            .join(" ");
        let b = format!("{} {}", story(2), boiler);
        let c = format!("{} {}", story(3), boiler);
        let texts = vec![Some(b.as_str()), Some(c.as_str())];
        let mk = |v| {
            let sh = Shingler::new(Unit::Word, 3, None).unwrap();
            DedupConfig::minhash(sh, 0.5, 128, Some((64, 2)), 1, v).unwrap()
        };
        assert_eq!(
            dedup(&texts, &mk(Verify::No), &Sequential).unwrap().cluster,
            vec![0, 0]
        );
        assert_eq!(
            dedup(&texts, &mk(Verify::Jaccard), &Sequential)
                .unwrap()
                .cluster,
            vec![0, 1]
        );
    }

    fn sentence(i: usize) -> String {
        (0..12)
            .map(|w| format!("s{i}w{w}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn page(sentences: &[usize]) -> String {
        sentences
            .iter()
            .map(|&i| sentence(i))
            .collect::<Vec<_>>()
            .join(". ")
    }

    #[test]
    fn reprints_join_through_the_representative_only() {
        // a ~ b and b ~ c share half their sentences; a and c share nothing. Single links
        // would chain all three; through representatives c stays out.
        let (a, b, c) = (
            page(&[1, 2, 3, 4]),
            page(&[3, 4, 5, 6]),
            page(&[5, 6, 7, 8]),
        );
        let trimmed = page(&[1, 2, 3]);
        let texts = vec![
            Some(a.as_str()),
            Some(b.as_str()),
            Some(c.as_str()),
            Some(&trimmed),
        ];
        let sh = Shingler::new(Unit::Word, 2, Some("search")).unwrap();
        let cfg = DedupConfig::reprint(sh, 0.5, 128, None, 1).unwrap();
        let r = dedup(&texts, &cfg, &Sequential).unwrap();
        assert_eq!(r.cluster, vec![0, 0, 2, 0]);
        let scorer = Scorer::new(Method::Reprint, Unit::Word, 2, Some("search")).unwrap();
        for (i, &rep) in r.cluster.iter().enumerate() {
            let s = scorer.similarity(texts[i].unwrap(), texts[rep as usize].unwrap());
            assert!(
                s >= 0.5,
                "row {i} does not verify against its representative"
            );
            assert!((f64::from(r.score[i]) - s).abs() < 1e-6 || i == rep as usize);
        }
        // Single link over the same candidates chains c in.
        let sh = Shingler::new(Unit::Word, 2, Some("search")).unwrap();
        let mut cfg = DedupConfig::reprint(sh, 0.5, 128, None, 1).unwrap();
        cfg.link = Link::Any;
        assert_eq!(
            dedup(&texts, &cfg, &Sequential).unwrap().cluster,
            vec![0, 0, 0, 0]
        );
    }

    #[test]
    fn union_find_roots_are_smallest() {
        let mut uf = UnionFind::new(5);
        uf.union(4, 2);
        uf.union(2, 3);
        uf.union(1, 0);
        assert_eq!(uf.into_roots(), vec![0, 0, 2, 2, 2]);
    }
}
