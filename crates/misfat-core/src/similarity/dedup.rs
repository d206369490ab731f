//! Near-duplicate clustering: LSH candidates → verification → union-find.
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
use super::sets;
use super::simhash;
use super::tokens::Shingler;
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
}

impl Verify {
    pub const NAMES: &'static [&'static str] = &["jaccard", "overlap"];

    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "jaccard" => Ok(Verify::Jaccard),
            "overlap" | "containment" => Ok(Verify::Overlap),
            _ => Err(CoreError::unknown("verify method", name, Self::NAMES)),
        }
    }
}

#[derive(Debug)]
pub struct DedupConfig {
    pub shingler: Shingler,
    pub candidates: Candidates,
    pub verify: Verify,
    pub threshold: f64,
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
        })
    }

    /// SimHash candidates within `(1 - threshold) · 64` bits.
    pub fn simhash(shingler: Shingler, threshold: f64, verify: Verify) -> Result<Self> {
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(CoreError::InvalidValue(format!(
                "threshold must be in (0, 1], got {threshold}"
            )));
        }
        let max_hamming = ((1.0 - threshold) * 64.0 + 1e-9).floor() as u32;
        if max_hamming > 15 {
            return Err(CoreError::InvalidValue(format!(
                "simhash dedup supports threshold ≥ 0.75 (at most 16 differing bits), got {threshold}"
            )));
        }
        Ok(DedupConfig {
            shingler,
            candidates: Candidates::SimHash { max_hamming },
            verify,
            threshold,
        })
    }
}

/// The outcome: a cluster id per row (the index of its representative, the first row
/// of the cluster) and counts of what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    pub cluster: Vec<u32>,
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

fn emit_runs(sorted: &[(u64, u32)], out: &mut Vec<u64>) {
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let run = &sorted[i..j];
        if run.len() <= ALL_PAIRS {
            for x in 0..run.len() {
                for y in x + 1..run.len() {
                    out.push(pack(run[x].1, run[y].1));
                }
            }
        } else {
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
    let mut pairs: Vec<u64> = Vec::new();
    match config.candidates {
        Candidates::MinHash {
            num_perm,
            bands,
            rows,
            seed,
        } => {
            let sh = &config.shingler;
            let hasher = MinHasher::new(num_perm, sh.unit, sh.ngram, seed, sh.profile())?;
            // Band keys per document; documents without shingles get no keys.
            let keys: Vec<Vec<u64>> = exec.map(&chunks, &|&(s, e)| {
                let mut scratch = Scratch::default();
                let mut sig = vec![0u32; num_perm];
                let mut out = Vec::with_capacity((e - s) * bands);
                for t in &texts[s..e] {
                    match t {
                        Some(t) => {
                            hasher.signature_into(t, &mut scratch, &mut sig);
                            if scratch.hashes.is_empty() {
                                out.extend(std::iter::repeat_n(u64::MAX, bands));
                            } else {
                                band_keys_into(&sig, bands, rows, &mut out);
                            }
                        }
                        None => out.extend(std::iter::repeat_n(u64::MAX, bands)),
                    }
                }
                out
            });
            let mut column: Vec<(u64, u32)> = Vec::with_capacity(n);
            for b in 0..bands {
                column.clear();
                for (&(s, _), ks) in chunks.iter().zip(&keys) {
                    for (i, row) in ks.chunks_exact(bands).enumerate() {
                        if row[b] != u64::MAX {
                            column.push((row[b], (s + i) as u32));
                        }
                    }
                }
                column.sort_unstable();
                emit_runs(&column, &mut pairs);
                pairs.sort_unstable();
                pairs.dedup();
            }
        }
        Candidates::SimHash { max_hamming } => {
            let sh = &config.shingler;
            let fps: Vec<Vec<(u64, bool)>> = exec.map(&chunks, &|&(s, e)| {
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
                pairs.sort_unstable();
                pairs.dedup();
            }
        }
    }
    let candidate_pairs = pairs.len();
    let mut uf = UnionFind::new(n);
    let mut verified_pairs = 0;
    if config.verify == Verify::No {
        for &p in &pairs {
            uf.union((p >> 32) as u32, p as u32);
        }
        verified_pairs = pairs.len();
    } else {
        // Pairs are sorted by first document: a batch touches few distinct documents.
        let batch = 4096;
        for group in pairs.chunks(batch) {
            let todo: Vec<u64> = group
                .iter()
                .copied()
                .filter(|&p| uf.find((p >> 32) as u32) != uf.find(p as u32))
                .collect();
            if todo.is_empty() {
                continue;
            }
            let mut docs: Vec<u32> = todo
                .iter()
                .flat_map(|&p| [(p >> 32) as u32, p as u32])
                .collect();
            docs.sort_unstable();
            docs.dedup();
            let doc_chunks: Vec<&[u32]> = docs.chunks(64).collect();
            let sets: Vec<Vec<u64>> = exec
                .map(&doc_chunks, &|c: &&[u32]| {
                    let mut buf = String::new();
                    c.iter()
                        .map(|&d| {
                            config
                                .shingler
                                .shingle_set(texts[d as usize].unwrap_or(""), &mut buf)
                        })
                        .collect::<Vec<_>>()
                })
                .into_iter()
                .flatten()
                .collect();
            let set_of = |d: u32| &sets[docs.binary_search(&d).unwrap()];
            let pair_chunks: Vec<&[u64]> = todo.chunks(256).collect();
            let ok: Vec<Vec<bool>> = exec.map(&pair_chunks, &|c: &&[u64]| {
                c.iter()
                    .map(|&p| {
                        let (a, b) = (set_of((p >> 32) as u32), set_of(p as u32));
                        let s = match config.verify {
                            Verify::Jaccard => sets::jaccard(a, b),
                            _ => sets::overlap(a, b),
                        };
                        s >= config.threshold
                    })
                    .collect()
            });
            for (&p, ok) in todo.iter().zip(ok.into_iter().flatten()) {
                if ok {
                    verified_pairs += 1;
                    uf.union((p >> 32) as u32, p as u32);
                }
            }
        }
    }
    Ok(Clusters {
        cluster: uf.into_roots(),
        candidate_pairs,
        verified_pairs,
    })
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

    #[test]
    fn union_find_roots_are_smallest() {
        let mut uf = UnionFind::new(5);
        uf.union(4, 2);
        uf.union(2, 3);
        uf.union(1, 0);
        assert_eq!(uf.into_roots(), vec![0, 0, 2, 2, 2]);
    }
}
