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
use super::reprint;
use super::simhash;
use super::tokens::Shingler;
use super::{Method, Prepared, Scorer};
use crate::error::{CoreError, Result};
use std::sync::Mutex;

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

    /// The name `parse` reads (`None`: no verification).
    pub fn name(self) -> Option<&'static str> {
        match self {
            Verify::No => None,
            Verify::Jaccard => Some("jaccard"),
            Verify::Overlap => Some("overlap"),
            Verify::Reprint => Some("reprint"),
        }
    }

    pub(crate) fn method(self) -> Method {
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

    /// What a candidate pair's score tells the clustering. Scores are compared as `f32`,
    /// the precision clusters keep them in, so every driver decides alike.
    pub fn evidence(&self, score: f64) -> Evidence {
        let s = score as f32;
        if self.verify == Verify::No || f64::from(s) >= self.threshold {
            Evidence::Edge
        } else if self.link == Link::Representative && s < CONFLICT {
            Evidence::Conflict
        } else {
            Evidence::Nothing
        }
    }

    /// The scorer that verifies candidate pairs.
    pub fn scorer(&self) -> Result<Scorer> {
        let sh = &self.shingler;
        Scorer::new(self.verify.method(), sh.unit, sh.ngram, sh.profile())
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
pub const ALL_PAIRS: usize = 16;

pub(crate) fn emit_runs(sorted: &[(u64, u32)], max_run: usize, out: &mut Vec<u64>) {
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
pub(crate) fn pack(a: u32, b: u32) -> u64 {
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
    let scorer = config.scorer()?;
    if config.verify == Verify::No {
        let mut uf = UnionFind::new(n);
        for &p in &pairs {
            uf.union((p >> 32) as u32, p as u32);
        }
        return Ok(single_link(uf, candidate_pairs, candidate_pairs));
    }
    match config.link {
        Link::Any => {
            let (pairs, batches) = verify_order(&pairs, n, ROWS_PER_BATCH);
            let mut uf = UnionFind::new(n);
            let mut verified = 0;
            for (s, e) in batches {
                let batch = &pairs[s..e];
                let rows = PreparedRows::new(texts, batch, &scorer, exec);
                // Pairs already in one cluster need no check (the clusters are those of
                // the verified pairs in any order).
                for group in batch.chunks(4096) {
                    let todo: Vec<u64> = group
                        .iter()
                        .copied()
                        .filter(|&p| uf.find((p >> 32) as u32) != uf.find(p as u32))
                        .collect();
                    for (p, s) in rows.score(&todo, &scorer, exec) {
                        if config.evidence(s) == Evidence::Edge {
                            verified += 1;
                            uf.union((p >> 32) as u32, p as u32);
                        }
                    }
                }
                rows.free(exec);
            }
            Ok(single_link(uf, candidate_pairs, verified))
        }
        Link::Representative => {
            let (pairs, batches) = verify_order(&pairs, n, ROWS_PER_BATCH);
            // Clustering does not depend on the order of the pairs. Edges are kept with
            // their scores; conflicts only as one bit per candidate pair, since they are
            // most of the candidates (see `representatives`).
            let mut edges: Vec<(u64, f32)> = Vec::new();
            let mut conflict = vec![0u64; pairs.len().div_ceil(64)];
            for (s, e) in batches {
                let scored = verify_pairs(texts, &pairs[s..e], &scorer, exec);
                for (i, (p, score)) in scored.into_iter().enumerate() {
                    debug_assert_eq!(p, pairs[s + i], "scores keep the order of the pairs");
                    match config.evidence(score) {
                        Evidence::Edge => edges.push((p, score as f32)),
                        Evidence::Conflict => conflict[(s + i) / 64] |= 1 << ((s + i) % 64),
                        Evidence::Nothing => {}
                    }
                }
            }
            let conflicts = pairs
                .iter()
                .enumerate()
                .filter(|&(i, _)| conflict[i / 64] >> (i % 64) & 1 == 1)
                .map(|(_, &p)| p);
            let (cluster, score) = representatives(n, &edges, conflicts)?;
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

/// Consecutive runs of `pairs` that touch at most `limit` distinct rows.
fn doc_batches(pairs: &[u64], n: usize, limit: usize) -> Vec<&[u64]> {
    let mut batch_of = vec![u32::MAX; n];
    let (mut out, mut start, mut rows, mut id) = (Vec::new(), 0, 0, 0u32);
    for (i, &p) in pairs.iter().enumerate() {
        for d in [(p >> 32) as usize, p as u32 as usize] {
            if batch_of[d] != id {
                batch_of[d] = id;
                rows += 1;
            }
        }
        if rows >= limit {
            out.push(&pairs[start..=i]);
            (start, rows, id) = (i + 1, 0, id + 1);
        }
    }
    if start < pairs.len() {
        out.push(&pairs[start..]);
    }
    out
}

pub(crate) fn single_link(
    uf: UnionFind,
    candidate_pairs: usize,
    verified_pairs: usize,
) -> Clusters {
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
    for group in doc_batches(pairs, texts.len(), ROWS_PER_BATCH) {
        out.extend(
            verify_pairs(texts, group, scorer, exec)
                .into_iter()
                .map(|(_, s)| s),
        );
    }
    Ok(out)
}

/// The rows of some pairs, each prepared once for scoring (in chunks of [`PREP_CHUNK`]).
struct PreparedRows {
    docs: Vec<u32>,
    chunks: Vec<Vec<Prepared>>,
}

const PREP_CHUNK: usize = 64;

impl PreparedRows {
    fn new<E: Executor>(texts: &[Option<&str>], pairs: &[u64], scorer: &Scorer, exec: &E) -> Self {
        let mut docs: Vec<u32> = pairs
            .iter()
            .flat_map(|&p| [(p >> 32) as u32, p as u32])
            .collect();
        docs.sort_unstable();
        docs.dedup();
        let doc_chunks: Vec<&[u32]> = docs.chunks(PREP_CHUNK).collect();
        let chunks = exec.map(&doc_chunks, &|c: &&[u32]| {
            c.iter()
                .map(|&d| scorer.prepare(texts[d as usize].unwrap_or("")))
                .collect::<Vec<_>>()
        });
        PreparedRows { docs, chunks }
    }

    fn get(&self, d: u32) -> &Prepared {
        let i = self.docs.binary_search(&d).unwrap_or(0);
        &self.chunks[i / PREP_CHUNK][i % PREP_CHUNK]
    }

    /// Scores of `pairs` (rows among those prepared), in their order.
    fn score<E: Executor>(&self, pairs: &[u64], scorer: &Scorer, exec: &E) -> Vec<(u64, f64)> {
        let pair_chunks: Vec<&[u64]> = pairs.chunks(256).collect();
        exec.map(&pair_chunks, &|c: &&[u64]| {
            c.iter()
                .map(|&p| {
                    (
                        p,
                        scorer.score(self.get((p >> 32) as u32), self.get(p as u32)),
                    )
                })
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect()
    }

    /// Frees the prepared rows on the executor's threads (many small allocations: a
    /// noticeable serial step otherwise).
    fn free<E: Executor>(self, exec: &E) {
        let chunks: Vec<Mutex<Vec<Prepared>>> = self.chunks.into_iter().map(Mutex::new).collect();
        exec.map(&chunks, &|c| {
            drop(std::mem::take(
                &mut *c.lock().unwrap_or_else(|e| e.into_inner()),
            ))
        });
    }
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
    let rows = PreparedRows::new(texts, pairs, scorer, exec);
    let out = rows.score(pairs, scorer, exec);
    rows.free(exec);
    out
}

/// `pairs` (sorted) reordered for verification, cut into batches of at most `limit`
/// rows (see [`doc_batches`]). Rows are numbered in the order the sorted pairs first
/// touch them (a row, then its partners), and a pair comes at the later of its two
/// rows' numbers: the pairs among a row's partners follow it closely instead of coming
/// back in a later batch, where their rows would be prepared again. On 100k articles
/// this prepares a row 1.9 times instead of 4.4 (the candidate graph is one giant
/// component there, so batching whole components does not help).
fn verify_order(pairs: &[u64], n: usize, limit: usize) -> (Vec<u64>, Vec<(usize, usize)>) {
    const NONE: u32 = u32::MAX;
    let mut pos = vec![NONE; n];
    let mut next = 0u32;
    for &p in pairs {
        for d in [(p >> 32) as usize, p as u32 as usize] {
            if pos[d] == NONE {
                pos[d] = next;
                next += 1;
            }
        }
    }
    let at = |p: u64| pos[(p >> 32) as usize].max(pos[p as u32 as usize]) as usize;
    // A stable counting sort by that number: linear.
    let mut start = vec![0usize; next as usize + 1];
    for &p in pairs {
        start[at(p) + 1] += 1;
    }
    for i in 0..next as usize {
        start[i + 1] += start[i];
    }
    let mut out = vec![0u64; pairs.len()];
    for &p in pairs {
        let k = at(p);
        out[start[k]] = p;
        start[k] += 1;
    }
    drop((pos, start));
    let base = out.as_ptr() as usize;
    let batches = doc_batches(&out, n, limit)
        .into_iter()
        .map(|g| {
            let s = (g.as_ptr() as usize - base) / std::mem::size_of::<u64>();
            (s, s + g.len())
        })
        .collect();
    (out, batches)
}

/// A candidate pair scoring below this is two different reports: a row with such a pair
/// does not join a cluster holding its partner (chosen on the dev half of
/// `bench/real/reprints`; template stories and pages carrying several reports verify
/// against a hub representative but clearly not against each other).
pub const CONFLICT: f32 = 0.1;

/// What a scored candidate pair tells the clustering (see [`DedupConfig::evidence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The pair verifies: it may join two rows.
    Edge,
    /// Two different reports (below [`CONFLICT`], representatives only): keeps the rows apart.
    Conflict,
    Nothing,
}

/// Clusters through representatives (greedy star clustering) from scored candidate
/// pairs: `edges` (pairs that verify, with their scores) and `conflicts` (pairs that are
/// clearly two reports, see [`CONFLICT`]). Rows are visited by their number of edges,
/// most first (ties: lower row first); a row not yet in a cluster founds one and is its
/// representative, taking its unclustered partners in order of score (highest first).
/// A row joins only through an edge with the representative, never through another
/// member, and not when it has a conflict with a member already taken (it is another
/// report that happens to verify against a hub); it stays free to found or join another
/// cluster. The representative is the copy most others verify against (the fullest
/// version of a report, not a trimmed one).
/// Pairs are packed `(lo, hi)` with `lo < hi < n`, each once; `conflicts` is read twice
/// and only its pairs between rows with edges are held.
/// Returns each row's cluster (its representative's row) and score against it (1 for
/// representatives).
pub fn representatives(
    n: usize,
    edges: &[(u64, f32)],
    conflicts: impl Iterator<Item = u64> + Clone,
) -> Result<(Vec<u32>, Vec<f32>)> {
    let valid = |p: u64| {
        let (a, b) = ((p >> 32) as usize, p as u32 as usize);
        a < b && b < n
    };
    if !(edges.iter().all(|e| valid(e.0)) && conflicts.clone().all(valid)) {
        return Err(CoreError::InvalidValue(
            "pairs must be (lo, hi) with lo < hi < n".into(),
        ));
    }
    let edges = Adjacency::new(n, edges.iter().copied());
    // Only conflicts between two rows that have edges can matter.
    let has_edge = |p: u64| edges.degree((p >> 32) as u32) > 0 && edges.degree(p as u32) > 0;
    let conflicts = Adjacency::new(n, conflicts.filter(|&p| has_edge(p)).map(|p| (p, ())));
    let mut order: Vec<u32> = (0..n as u32).filter(|&v| edges.degree(v) > 0).collect();
    order.sort_unstable_by_key(|&v| (std::cmp::Reverse(edges.degree(v)), v));
    let mut cluster: Vec<u32> = (0..n as u32).collect();
    let mut score = vec![1.0f32; n];
    let mut done = vec![false; n];
    let mut partners: Vec<(u32, f32)> = Vec::new();
    for v in order {
        if done[v as usize] {
            continue;
        }
        done[v as usize] = true;
        partners.clear();
        partners.extend(edges.of(v).iter().filter(|&&(u, _)| !done[u as usize]));
        partners.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        for &(u, s) in &partners {
            let taken = |c: u32| done[c as usize] && cluster[c as usize] == v;
            if conflicts.of(u).iter().any(|&(c, ())| taken(c)) {
                continue;
            }
            done[u as usize] = true;
            cluster[u as usize] = v;
            score[u as usize] = s;
        }
    }
    Ok((cluster, score))
}

/// Undirected pairs with a value each, in compressed rows: `offset[v]..offset[v + 1]`
/// indexes `adj`.
struct Adjacency<T> {
    offset: Vec<u32>,
    adj: Vec<(u32, T)>,
}

impl<T: Copy + Default> Adjacency<T> {
    /// From packed `(lo, hi)` pairs already checked to be `< n`.
    fn new(n: usize, pairs: impl Iterator<Item = (u64, T)> + Clone) -> Self {
        let mut offset = vec![0u32; n + 1];
        for (p, _) in pairs.clone() {
            offset[(p >> 32) as usize + 1] += 1;
            offset[p as u32 as usize + 1] += 1;
        }
        for i in 0..n {
            offset[i + 1] += offset[i];
        }
        let mut fill = offset.clone();
        let mut adj = vec![(0u32, T::default()); offset[n] as usize];
        for (p, s) in pairs {
            let (a, b) = ((p >> 32) as u32, p as u32);
            for (x, y) in [(a, b), (b, a)] {
                adj[fill[x as usize] as usize] = (y, s);
                fill[x as usize] += 1;
            }
        }
        Adjacency { offset, adj }
    }

    fn of(&self, v: u32) -> &[(u32, T)] {
        &self.adj[self.offset[v as usize] as usize..self.offset[v as usize + 1] as usize]
    }

    fn degree(&self, v: u32) -> u32 {
        self.offset[v as usize + 1] - self.offset[v as usize]
    }
}

/// The distinct sentence keys of one text (normalized by `sh` first) into `out`
/// (cleared): texts sharing a key are candidates (see [`reprint::sentence_keys`]).
pub fn sentence_keys(sh: &Shingler, text: &str, max: usize, buf: &mut String, out: &mut Vec<u64>) {
    normalized_sentence_keys(sh.prepare(text, buf), max, out);
}

/// [`sentence_keys`] of text already normalized.
fn normalized_sentence_keys(text: &str, max: usize, out: &mut Vec<u64>) {
    out.clear();
    reprint::sentence_keys(text, max, out);
    out.sort_unstable();
    out.dedup();
}

/// Sentence-key entries are split by the top bits of the key into this many shards:
/// a key lives in one shard, so shards are sorted and turned into pairs independently.
const SHARD_BITS: u32 = 4;

/// A chunk's band keys, band-major (`keys[b * len + i]`: band `b` of its row `i`, so a
/// band's column is read contiguously), and its `(sentence key, row)` entries by shard.
struct ChunkKeys {
    len: usize,
    keys: Vec<u64>,
    sentence: Vec<Vec<(u64, u32)>>,
}

/// A block's band keys, row-major (`row_major[i * bands + b]`), and its
/// `(sentence key, row)` entries by shard (rows counted from the start of `texts`).
pub(crate) struct RowKeys {
    pub(crate) row_major: Vec<u64>,
    pub(crate) sentence: Vec<Vec<(u64, u32)>>,
}

/// Bands whose pairs are made at once before they join the running set (bounds memory
/// to a few bands' pairs beyond the distinct set, like sorting one band at a time).
const BAND_GROUP: usize = 8;

/// Candidate pairs of one key column, sorted and distinct (see [`emit_runs`]).
fn column_pairs(mut column: Vec<(u64, u32)>, max_run: usize) -> Vec<u64> {
    column.sort_unstable();
    let mut out = Vec::new();
    emit_runs(&column, max_run, &mut out);
    drop(column);
    out.sort_unstable();
    out.dedup();
    out
}

/// The merge of two sorted, distinct lists, distinct.
fn merge_two(a: &[u64], b: &[u64], out: &mut Vec<u64>) {
    out.reserve(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

/// [`merge_two`] cut into value ranges merged in parallel: a range holds every copy of
/// its values in both lists, so each range's merge is already distinct.
fn merge_two_par<E: Executor>(a: &[u64], b: &[u64], exec: &E) -> Vec<u64> {
    const PARTS: usize = 16;
    if a.len() + b.len() < 1 << 16 {
        let mut out = Vec::new();
        merge_two(a, b, &mut out);
        return out;
    }
    let (big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let cut = |k: usize| {
        if k == PARTS {
            return (big.len(), small.len());
        }
        let i = big.len() * k / PARTS;
        (i, small.partition_point(|&x| x < big[i]))
    };
    let ranges: Vec<((usize, usize), (usize, usize))> =
        (0..PARTS).map(|k| (cut(k), cut(k + 1))).collect();
    let parts = exec.map(&ranges, &|&((i0, j0), (i1, j1))| {
        let mut out = Vec::new();
        merge_two(&big[i0..i1], &small[j0..j1], &mut out);
        out
    });
    let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for p in parts {
        out.extend_from_slice(&p);
    }
    out
}

/// The union of sorted, distinct lists, sorted and distinct: pairwise merges, linear in
/// the total length per level.
fn union_sorted<E: Executor>(mut lists: Vec<Vec<u64>>, exec: &E) -> Vec<u64> {
    while lists.len() > 1 {
        // Shortest first, so the long running set is merged as few times as possible.
        lists.sort_unstable_by_key(|l| std::cmp::Reverse(l.len()));
        let (a, b) = (
            lists.pop().unwrap_or_default(),
            lists.pop().unwrap_or_default(),
        );
        lists.push(merge_two_par(&a, &b, exec));
    }
    lists.pop().unwrap_or_default()
}

/// The keys of rows `s..e` of `texts`: band keys per row (`u64::MAX` for a missing text
/// or one without shingles, which gets none) and its sentence keys when the config has
/// them. `hasher` is the config's MinHasher.
pub(crate) fn chunk_keys(
    texts: &[Option<&str>],
    s: usize,
    e: usize,
    config: &DedupConfig,
    hasher: &MinHasher,
    (num_perm, bands, rows): (usize, usize, usize),
) -> RowKeys {
    let sh = &config.shingler;
    let per_sentence = config.sentence_keys;
    let mut scratch = Scratch::default();
    let mut sig = vec![0u32; num_perm];
    let mut row_major = Vec::with_capacity((e - s) * bands);
    let mut sentence = vec![Vec::new(); if per_sentence > 0 { 1 << SHARD_BITS } else { 0 }];
    let mut one = Vec::new();
    for (i, t) in texts[s..e].iter().enumerate() {
        match t {
            Some(t) => {
                hasher.signature_into(t, &mut scratch, &mut sig);
                if scratch.hashes.is_empty() {
                    row_major.extend(std::iter::repeat_n(u64::MAX, bands));
                } else {
                    band_keys_into(&sig, bands, rows, &mut row_major);
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
                    for &k in &one {
                        sentence[(k >> (64 - SHARD_BITS)) as usize].push((k, (s + i) as u32));
                    }
                }
            }
            None => row_major.extend(std::iter::repeat_n(u64::MAX, bands)),
        }
    }
    RowKeys {
        row_major,
        sentence,
    }
}

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
            let hasher = MinHasher::new(
                num_perm,
                config.shingler.unit,
                config.shingler.ngram,
                seed,
                config.shingler.profile(),
            )?;
            let per_sentence = config.sentence_keys;
            // Band keys per document (documents without shingles get none) and its
            // sentence keys.
            let keys: Vec<ChunkKeys> = exec.map(chunks, &|&(s, e)| {
                let RowKeys {
                    row_major,
                    sentence,
                } = chunk_keys(texts, s, e, config, &hasher, (num_perm, bands, rows));
                let len = e - s;
                let mut keys = vec![0u64; len * bands];
                for (i, row) in row_major.chunks_exact(bands).enumerate() {
                    for (b, &k) in row.iter().enumerate() {
                        keys[b * len + i] = k;
                    }
                }
                ChunkKeys {
                    len,
                    keys,
                    sentence,
                }
            });
            // Each band's column sorted and turned into pairs on its own (in parallel),
            // a group of bands at a time merged into the running set.
            let band_ids: Vec<usize> = (0..bands).collect();
            for group in band_ids.chunks(BAND_GROUP) {
                let mut lists = exec.map(group, &|&b| {
                    let mut column: Vec<(u64, u32)> = Vec::with_capacity(n);
                    for (&(s, _), ck) in chunks.iter().zip(&keys) {
                        let band = &ck.keys[b * ck.len..(b + 1) * ck.len];
                        column.extend(
                            band.iter()
                                .enumerate()
                                .filter(|(_, &k)| k != u64::MAX)
                                .map(|(i, &k)| (k, (s + i) as u32)),
                        );
                    }
                    column_pairs(column, usize::MAX)
                });
                lists.push(std::mem::take(&mut pairs));
                pairs = union_sorted(lists, exec);
            }
            if per_sentence > 0 {
                let mut keys = keys;
                for ck in keys.iter_mut() {
                    ck.keys = Vec::new();
                }
                let shards: Vec<usize> = (0..1 << SHARD_BITS).collect();
                let mut lists = exec.map(&shards, &|&sh| {
                    let column: Vec<(u64, u32)> = keys
                        .iter()
                        .flat_map(|ck| ck.sentence[sh].iter().copied())
                        .collect();
                    column_pairs(column, reprint_defaults::MAX_SENTENCE_BUCKET)
                });
                drop(keys);
                lists.push(std::mem::take(&mut pairs));
                pairs = union_sorted(lists, exec);
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
    use crate::similarity::lsh::band_key;
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
    fn a_row_stays_out_of_a_cluster_holding_a_member_it_clearly_differs_from() {
        let p = |a: u64, b: u64| (a << 32) | b;
        // Row 0 carries three shorter texts (a hub: a roundup, a template); 1 and 2 were
        // compared and are different reports, 3 was not compared with either.
        let edges = [(p(0, 1), 0.9), (p(0, 2), 0.8), (p(0, 3), 0.7)];
        let (cluster, score) = representatives(4, &edges, [p(1, 2)].into_iter()).unwrap();
        assert_eq!(cluster, vec![0, 0, 2, 0]);
        assert_eq!(score, vec![1.0, 0.9, 1.0, 0.7]);
        // A low score that is not a clear difference is no conflict and does not split them.
        let sh = Shingler::new(Unit::Word, 2, Some("search")).unwrap();
        let cfg = DedupConfig::reprint(sh, 0.5, 128, None, 1).unwrap();
        assert_eq!(cfg.evidence(0.05), Evidence::Conflict);
        assert_eq!(cfg.evidence(f64::from(CONFLICT) + 0.1), Evidence::Nothing);
        assert_eq!(cfg.evidence(0.5), Evidence::Edge);
        assert_eq!(
            representatives(4, &edges, std::iter::empty()).unwrap().0,
            vec![0, 0, 0, 0]
        );
        // Nor does a conflict with a row of another cluster.
        let edges = [(p(0, 1), 0.9), (p(2, 3), 0.9)];
        assert_eq!(
            representatives(4, &edges, [p(1, 2), p(0, 3)].into_iter())
                .unwrap()
                .0,
            vec![0, 0, 2, 2]
        );
        // Pairs outside lo < hi < n are refused.
        assert!(representatives(4, &[(p(1, 0), 0.9)], std::iter::empty()).is_err());
        assert!(representatives(4, &edges, [p(0, 4)].into_iter()).is_err());
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

    /// Texts of a few thousand rows with planted copies (edited, trimmed), a template
    /// shared by many rows (long runs: past `ALL_PAIRS` and `MAX_SENTENCE_BUCKET`) and
    /// unrelated stories; deterministic.
    fn synthetic(n: usize) -> Vec<String> {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |m: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        };
        let mut out: Vec<String> = Vec::with_capacity(n);
        while out.len() < n {
            let r = next(10);
            let text = if r < 3 && !out.is_empty() {
                // A copy of an earlier row: some words dropped, one sentence cut.
                let src = &out[next(out.len())];
                let mut s: Vec<&str> = src.split(". ").collect();
                if s.len() > 2 {
                    s.remove(next(s.len()));
                }
                s.join(". ")
                    .split(' ')
                    .filter(|_| next(20) != 0)
                    .collect::<Vec<_>>()
                    .join(" ")
            } else if r < 4 {
                // The template: one fixed sentence plus a short variable one.
                format!(
                    "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10. n{} n{}",
                    next(50),
                    next(50)
                )
            } else {
                (0..2 + next(6))
                    .map(|_| {
                        (0..6 + next(10))
                            .map(|_| format!("w{}", next(3000)))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect::<Vec<_>>()
                    .join(". ")
            };
            out.push(text);
        }
        out
    }

    /// Two threads, items split in two halves: the parallel paths in a test.
    struct TwoThreads;

    impl Executor for TwoThreads {
        fn map<T: Sync, R: Send>(&self, items: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
            let (a, b) = items.split_at(items.len() / 2);
            std::thread::scope(|s| {
                let h = s.spawn(|| a.iter().map(f).collect::<Vec<_>>());
                let mut second: Vec<R> = b.iter().map(f).collect();
                let mut out = h.join().unwrap();
                out.append(&mut second);
                out
            })
        }
    }

    /// The candidate rule written plainly: per band and per sentence key, the rows
    /// sharing a key (ascending) give all pairs in buckets of up to `ALL_PAIRS` rows,
    /// first-and-previous pairs in longer ones up to the bucket limit.
    fn reference_candidates(texts: &[Option<&str>], cfg: &DedupConfig) -> Vec<u64> {
        use std::collections::{BTreeMap, BTreeSet};
        let Candidates::MinHash {
            num_perm,
            bands,
            rows,
            seed,
        } = cfg.candidates
        else {
            unreachable!()
        };
        let sh = &cfg.shingler;
        let hasher = MinHasher::new(num_perm, sh.unit, sh.ngram, seed, sh.profile()).unwrap();
        let mut buckets: BTreeMap<(usize, u64), Vec<u32>> = BTreeMap::new();
        let (mut buf, mut one) = (String::new(), Vec::new());
        for (row, t) in texts.iter().enumerate() {
            let Some(t) = t else { continue };
            let mut shingles = Vec::new();
            sh.shingles_into(t, &mut buf, &mut shingles);
            if !shingles.is_empty() {
                let sig = hasher.signature(t);
                for b in 0..bands {
                    buckets
                        .entry((b, band_key(&sig, b, rows)))
                        .or_default()
                        .push(row as u32);
                }
            }
            if cfg.sentence_keys > 0 {
                sentence_keys(sh, t, cfg.sentence_keys, &mut buf, &mut one);
                for &k in &one {
                    buckets.entry((usize::MAX, k)).or_default().push(row as u32);
                }
            }
        }
        let mut set = BTreeSet::new();
        for ((b, _), docs) in &buckets {
            let max = if *b == usize::MAX {
                reprint_defaults::MAX_SENTENCE_BUCKET
            } else {
                usize::MAX
            };
            if docs.len() <= ALL_PAIRS {
                for x in 0..docs.len() {
                    for y in x + 1..docs.len() {
                        set.insert(pack(docs[x], docs[y]));
                    }
                }
            } else if docs.len() <= max {
                for y in 1..docs.len() {
                    set.insert(pack(docs[0], docs[y]));
                    set.insert(pack(docs[y - 1], docs[y]));
                }
            }
        }
        set.into_iter().collect()
    }

    #[test]
    fn candidates_and_clusters_match_the_plain_rule_on_any_executor() {
        let owned = synthetic(3000);
        let mut texts: Vec<Option<&str>> = owned.iter().map(|t| Some(t.as_str())).collect();
        texts[17] = None;
        texts[18] = Some("");
        let chunks: Vec<(usize, usize)> = (0..texts.len())
            .step_by(CHUNK)
            .map(|s| (s, (s + CHUNK).min(texts.len())))
            .collect();
        let configs = [
            DedupConfig::reprint(
                Shingler::new(Unit::Word, 2, Some("search")).unwrap(),
                0.5,
                128,
                None,
                1,
            )
            .unwrap(),
            DedupConfig::minhash(
                Shingler::new(Unit::Word, 2, Some("search")).unwrap(),
                0.4,
                128,
                None,
                1,
                Verify::Jaccard,
            )
            .unwrap(),
        ];
        for cfg in &configs {
            let want = reference_candidates(&texts, cfg);
            assert!(
                want.len() > 3000,
                "too few candidates to test: {}",
                want.len()
            );
            assert_eq!(candidates(&texts, cfg, &chunks, &Sequential).unwrap(), want);
            assert_eq!(candidates(&texts, cfg, &chunks, &TwoThreads).unwrap(), want);
            let one = dedup(&texts, cfg, &Sequential).unwrap();
            // Clusters from every candidate scored on its own, linked plainly.
            let scorer = Scorer::new(
                cfg.verify.method(),
                cfg.shingler.unit,
                cfg.shingler.ngram,
                cfg.shingler.profile(),
            )
            .unwrap();
            let text = |d: u64| texts[d as usize].unwrap_or("");
            let scored: Vec<(u64, f32)> = want
                .iter()
                .map(|&p| {
                    (
                        p,
                        scorer.similarity(text(p >> 32), text(p & 0xFFFF_FFFF)) as f32,
                    )
                })
                .collect();
            let is = |e: Evidence| move |&&(_, s): &&(u64, f32)| cfg.evidence(f64::from(s)) == e;
            let plain = if cfg.link == Link::Representative {
                let edges: Vec<(u64, f32)> =
                    scored.iter().filter(is(Evidence::Edge)).copied().collect();
                let conflicts = scored.iter().filter(is(Evidence::Conflict)).map(|e| e.0);
                representatives(texts.len(), &edges, conflicts).unwrap().0
            } else {
                let mut uf = UnionFind::new(texts.len());
                for &(p, s) in &scored {
                    if cfg.evidence(f64::from(s)) == Evidence::Edge {
                        uf.union((p >> 32) as u32, p as u32);
                    }
                }
                uf.into_roots()
            };
            assert_eq!(one.cluster, plain);
            let two = dedup(&texts, cfg, &TwoThreads).unwrap();
            assert_eq!(two.cluster, one.cluster);
            let bits = |c: &Clusters| c.score.iter().map(|s| s.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&two), bits(&one));
            assert_eq!(
                (two.candidate_pairs, two.verified_pairs),
                (one.candidate_pairs, one.verified_pairs)
            );
            assert!(one.verified_pairs > 500 && one.verified_pairs < one.candidate_pairs);
        }
    }

    #[test]
    fn verify_order_keeps_every_pair_and_bounds_the_rows() {
        // A chain 0..40, all pairs among 100..110, single pairs 200+2k ~ 201+2k, and an
        // original with two copies far away (300 ~ 400, 300 ~ 500, 400 ~ 500) with an
        // unrelated pair between them in sorted order (350 ~ 351).
        let mut pairs: Vec<u64> = (0..40).map(|i| pack(i, i + 1)).collect();
        pairs.extend((100..110).flat_map(|a| (a + 1..110).map(move |b| pack(a, b))));
        pairs.extend((0..30).map(|k| pack(200 + 2 * k, 201 + 2 * k)));
        pairs.extend([
            pack(300, 400),
            pack(300, 500),
            pack(350, 351),
            pack(400, 500),
        ]);
        pairs.sort_unstable();
        let n = 600;
        let (out, batches) = verify_order(&pairs, n, 12);
        let mut back = out.clone();
        back.sort_unstable();
        assert_eq!(back, pairs);
        let mut end = 0;
        for &(s, e) in &batches {
            assert_eq!(s, end, "batches cover the pairs in order");
            end = e;
            let mut rows: Vec<u64> = out[s..e]
                .iter()
                .flat_map(|&p| [p >> 32, p & 0xFFFF_FFFF])
                .collect();
            rows.sort_unstable();
            rows.dedup();
            // At most the limit, plus the pair that reaches it.
            assert!(rows.len() <= 13, "{} rows in a batch", rows.len());
        }
        assert_eq!(end, out.len());
        // The copies' pair comes right after the original's (sorted, 350 ~ 351 is between).
        let i = out.iter().position(|&p| p == pack(300, 500)).unwrap();
        assert_eq!(out[i + 1], pack(400, 500));
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
