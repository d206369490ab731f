//! [`dedup`]'s steps one at a time, for drivers that never hold the whole column (the
//! streaming file job, Dask, Spark): the settings resolved from options with their
//! defaults, the candidate keys of a block of rows, the candidate pairs of buckets of
//! equal keys, and the clusters of verified pairs (scores: [`score_pairs`]). Each step
//! calls the code `dedup` runs, so a driver that feeds them every row gets `dedup`'s
//! clusters.
//!
//! [`dedup`]: super::dedup::dedup
//! [`score_pairs`]: super::dedup::score_pairs

use super::dedup::{
    chunk_keys, emit_runs, pack, representatives, reprint_defaults, single_link, Candidates,
    DedupConfig, Evidence, Executor, Link, RowKeys, UnionFind, Verify,
};
use super::minhash::MinHasher;
use super::tokens::{Shingler, Unit};
use crate::error::{CoreError, Result};

/// The defaults of `dedup`'s options (those of [`reprint_defaults`] aside).
pub mod defaults {
    pub const MATCH: &str = "reprint";
    pub const METHOD: &str = "minhash";
    pub const NUM_PERM: usize = 128;
    pub const UNIT: &str = "word";
    pub const NGRAM: usize = 2;
    pub const SEED: u64 = 1;
    pub const PROFILE: &str = "search";
    /// What a verified pair reaches with `match="jaccard"`.
    pub const JACCARD_THRESHOLD: f64 = 0.4;
}

/// What "near-duplicate" means: `"reprint"` or `"jaccard"`.
pub const MATCHES: &[&str] = &["reprint", "jaccard"];

/// Marks a row without a band key (a missing text, or one without shingles).
pub const NO_KEY: u64 = u64::MAX;

/// Verification as asked for: the match's default, none, or a named method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyChoice<'a> {
    Default,
    No,
    Named(&'a str),
}

/// `dedup`'s options as given (`None`: the default).
#[derive(Debug, Clone, Copy)]
pub struct DedupOptions<'a> {
    pub matching: &'a str,
    pub method: &'a str,
    pub threshold: Option<f64>,
    pub verify: VerifyChoice<'a>,
    pub num_perm: usize,
    pub bands: Option<usize>,
    pub rows: Option<usize>,
    pub unit: &'a str,
    pub ngram: usize,
    pub seed: u64,
    pub profile: Option<&'a str>,
}

impl Default for DedupOptions<'_> {
    fn default() -> Self {
        DedupOptions {
            matching: defaults::MATCH,
            method: defaults::METHOD,
            threshold: None,
            verify: VerifyChoice::Default,
            num_perm: defaults::NUM_PERM,
            bands: None,
            rows: None,
            unit: defaults::UNIT,
            ngram: defaults::NGRAM,
            seed: defaults::SEED,
            profile: Some(defaults::PROFILE),
        }
    }
}

fn invalid(msg: &str) -> CoreError {
    CoreError::InvalidValue(msg.to_owned())
}

impl DedupConfig {
    /// The config `dedup` runs with for these options, every default filled in.
    pub fn from_options(o: &DedupOptions<'_>) -> Result<Self> {
        let params = match (o.bands, o.rows) {
            (Some(b), Some(r)) => Some((b, r)),
            (None, None) => None,
            _ => return Err(invalid("give both bands and rows, or neither")),
        };
        let check = |t: f64| {
            if t > 0.0 && t <= 1.0 {
                Ok(t)
            } else {
                Err(CoreError::InvalidValue(format!(
                    "threshold must be a number in (0, 1], got {t}"
                )))
            }
        };
        match o.matching {
            "reprint" => {
                if !matches!(
                    o.verify,
                    VerifyChoice::Default | VerifyChoice::Named("reprint")
                ) || o.method != "minhash"
                {
                    return Err(invalid(
                        "match='reprint' verifies with the reprint score over MinHash and \
                         sentence candidates; use match='jaccard' to choose method or verify",
                    ));
                }
                if (o.unit, o.ngram) != ("word", 2) {
                    return Err(invalid(
                        "match='reprint' uses word 2-grams (unit='word', ngram=2)",
                    ));
                }
                let threshold = check(o.threshold.unwrap_or(reprint_defaults::THRESHOLD))?;
                let sh = Shingler::new(Unit::Word, 2, o.profile)?;
                DedupConfig::reprint(sh, threshold, o.num_perm, params, o.seed)
            }
            "jaccard" => {
                let verify = match o.verify {
                    VerifyChoice::Default => Verify::Jaccard,
                    VerifyChoice::No => Verify::No,
                    VerifyChoice::Named("reprint") => {
                        return Err(invalid("verify='reprint' is match='reprint'"))
                    }
                    VerifyChoice::Named(name) => Verify::parse(name)?,
                };
                let threshold = check(o.threshold.unwrap_or(defaults::JACCARD_THRESHOLD))?;
                let sh = Shingler::new(Unit::parse(o.unit)?, o.ngram, o.profile)?;
                match o.method {
                    "minhash" if threshold >= 1.0 => {
                        Err(invalid("threshold must be below 1 for method='minhash'"))
                    }
                    "minhash" => {
                        DedupConfig::minhash(sh, threshold, o.num_perm, params, o.seed, verify)
                    }
                    "simhash" => DedupConfig::simhash(sh, threshold, verify),
                    other => Err(CoreError::unknown(
                        "dedup method",
                        other,
                        &["minhash", "simhash"],
                    )),
                }
            }
            other => Err(CoreError::unknown("match", other, MATCHES)),
        }
    }

    /// `"reprint"` or `"jaccard"`: the match these settings implement.
    pub fn matching(&self) -> &'static str {
        match self.link {
            Link::Representative => "reprint",
            Link::Any => "jaccard",
        }
    }

    /// `(num_perm, bands, rows, seed)` of MinHash candidates, the only kind the steps
    /// run in pieces take.
    pub fn minhash_candidates(&self) -> Result<(usize, usize, usize, u64)> {
        match self.candidates {
            Candidates::MinHash {
                num_perm,
                bands,
                rows,
                seed,
            } => Ok((num_perm, bands, rows, seed)),
            Candidates::SimHash { .. } => Err(invalid(
                "dedup in pieces needs MinHash candidates (method='minhash')",
            )),
        }
    }

    /// The band that holds the sentence keys in a [`KeyTable`] (`None`: no such band).
    pub fn sentence_band(&self) -> Option<u32> {
        match self.candidates {
            Candidates::MinHash { bands, .. } if self.sentence_keys > 0 => Some(bands as u32),
            _ => None,
        }
    }
}

/// The long table `(band, key, row)` of a block of rows: each row's MinHash band keys
/// (none for a missing text or one without shingles) and, with sentence keys, those in
/// one more band ([`DedupConfig::sentence_band`]).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct KeyTable {
    pub band: Vec<u32>,
    pub key: Vec<u64>,
    pub row: Vec<u64>,
}

const CHUNK: usize = 1024;

fn minhash_params(config: &DedupConfig) -> Result<(MinHasher, (usize, usize, usize))> {
    let (num_perm, bands, rows, seed) = config.minhash_candidates()?;
    let sh = &config.shingler;
    let hasher = MinHasher::new(num_perm, sh.unit, sh.ngram, seed, sh.profile())?;
    Ok((hasher, (num_perm, bands, rows)))
}

fn row_keys<E: Executor>(
    texts: &[Option<&str>],
    config: &DedupConfig,
    exec: &E,
) -> Result<(Vec<(usize, RowKeys)>, usize)> {
    let (hasher, params) = minhash_params(config)?;
    let n = texts.len();
    if n >= u32::MAX as usize {
        return Err(invalid("too many rows (2^32)"));
    }
    let chunks: Vec<(usize, usize)> = (0..n)
        .step_by(CHUNK)
        .map(|s| (s, (s + CHUNK).min(n)))
        .collect();
    let keys = exec.map(&chunks, &|&(s, e)| {
        (s, chunk_keys(texts, s, e, config, &hasher, params))
    });
    Ok((keys, params.1))
}

/// `bands` band keys per row of `texts`, row-major ([`NO_KEY`] where a row has none).
pub fn band_key_rows<E: Executor>(
    texts: &[Option<&str>],
    config: &DedupConfig,
    exec: &E,
) -> Result<Vec<u64>> {
    let (keys, _) = row_keys(texts, config, exec)?;
    Ok(keys.into_iter().flat_map(|(_, k)| k.row_major).collect())
}

/// The [`KeyTable`] of `texts`, rows numbered from `first_row`.
pub fn candidate_table<E: Executor>(
    texts: &[Option<&str>],
    config: &DedupConfig,
    first_row: u64,
    exec: &E,
) -> Result<KeyTable> {
    if first_row.saturating_add(texts.len() as u64) > u32::MAX as u64 {
        return Err(CoreError::InvalidValue(format!(
            "first_row = {first_row}: rows past 2^32 - 1 are not supported"
        )));
    }
    let (keys, bands) = row_keys(texts, config, exec)?;
    let sentence_band = config.sentence_band();
    let mut t = KeyTable::default();
    for (s, k) in &keys {
        if bands == 0 {
            break;
        }
        for (i, row) in k.row_major.chunks_exact(bands).enumerate() {
            for (b, &key) in row.iter().enumerate() {
                if key != NO_KEY {
                    t.band.push(b as u32);
                    t.key.push(key);
                    t.row.push(first_row + (s + i) as u64);
                }
            }
        }
    }
    if let Some(sb) = sentence_band {
        for (_, k) in &keys {
            for &(key, r) in k.sentence.iter().flatten() {
                t.band.push(sb);
                t.key.push(key);
                t.row.push(first_row + r as u64);
            }
        }
    }
    Ok(t)
}

fn row32(r: u64) -> Result<u32> {
    u32::try_from(r).map_err(|_| {
        CoreError::InvalidValue(format!("row {r}: rows past 2^32 - 1 are not supported"))
    })
}

/// Candidate pairs (packed `lo << 32 | hi`, sorted, distinct) of the rows sharing a
/// `(band, key)` bucket of a [`KeyTable`] in any order, by `dedup`'s rule: all pairs in
/// small buckets, each row with the first and the previous in large ones, and nothing
/// from a bucket of `sentence_band` with more than
/// [`reprint_defaults::MAX_SENTENCE_BUCKET`] rows.
pub fn bucket_pairs(
    band: &[u32],
    key: &[u64],
    row: &[u64],
    sentence_band: Option<u32>,
) -> Result<Vec<u64>> {
    if band.len() != key.len() || key.len() != row.len() {
        return Err(invalid("band, key and row must have the same length"));
    }
    let mut cells = Vec::with_capacity(row.len());
    for ((&b, &k), &r) in band.iter().zip(key).zip(row) {
        cells.push((b, k, row32(r)?));
    }
    cells.sort_unstable();
    let mut out = Vec::new();
    let mut column = Vec::new();
    for group in cells.chunk_by(|x, y| x.0 == y.0) {
        column.clear();
        column.extend(group.iter().map(|&(_, k, r)| (k, r)));
        let max_run = if Some(group[0].0) == sentence_band {
            reprint_defaults::MAX_SENTENCE_BUCKET
        } else {
            usize::MAX
        };
        emit_runs(&column, max_run, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Whether [`link`] needs a pair with this score: drivers that verify pairs piece by
/// piece drop the others as they are scored (a verified pair, or for representatives a
/// clear difference that keeps two rows apart).
pub fn kept(config: &DedupConfig, score: f64) -> bool {
    config.evidence(score) != Evidence::Nothing
}

/// Clusters of `n` rows from scored candidate pairs (packed `(lo, hi)` with
/// `lo < hi < n`, each once, any order), each pair taken as its score's
/// [`Evidence`] says, joined by the config's [`Link`]. Each row's cluster and its
/// score against the representative, as in [`Clusters`](super::dedup::Clusters).
pub fn link(
    config: &DedupConfig,
    n: usize,
    pairs: &[u64],
    scores: &[f32],
) -> Result<(Vec<u32>, Vec<f32>)> {
    if pairs.len() != scores.len() {
        return Err(invalid("pairs and scores must have the same length"));
    }
    check_pairs(n, pairs)?;
    let scored = pairs.iter().copied().zip(scores.iter().copied());
    let with = move |e: Evidence| {
        scored
            .clone()
            .filter(move |&(_, s)| config.evidence(f64::from(s)) == e)
    };
    match config.link {
        Link::Representative => {
            let edges: Vec<(u64, f32)> = with(Evidence::Edge).collect();
            representatives(n, &edges, with(Evidence::Conflict).map(|(p, _)| p))
        }
        Link::Any => {
            let mut uf = UnionFind::new(n);
            for (p, _) in with(Evidence::Edge) {
                uf.union((p >> 32) as u32, p as u32);
            }
            let c = single_link(uf, 0, 0);
            Ok((c.cluster, c.score))
        }
    }
}

/// Connected components of `n` rows joined by `pairs` (packed, any order): each row's
/// smallest member.
pub fn components(n: usize, pairs: &[u64]) -> Result<Vec<u32>> {
    check_pairs(n, pairs)?;
    let mut uf = UnionFind::new(n);
    for &p in pairs {
        uf.union((p >> 32) as u32, p as u32);
    }
    Ok(uf.into_roots())
}

fn check_pairs(n: usize, pairs: &[u64]) -> Result<()> {
    if n > u32::MAX as usize {
        return Err(CoreError::InvalidValue(format!(
            "n = {n} rows: at most {} are supported",
            u32::MAX
        )));
    }
    for &p in pairs {
        let (a, b) = (p >> 32, p & 0xFFFF_FFFF);
        if a >= b || b >= n as u64 {
            return Err(CoreError::InvalidValue(format!(
                "pair ({a}, {b}) is not lo < hi < n = {n}"
            )));
        }
    }
    Ok(())
}

/// Packs a pair of rows as the steps take them (`lo << 32 | hi`).
pub fn pack_pair(a: u64, b: u64) -> Result<u64> {
    Ok(pack(row32(a)?, row32(b)?))
}

/// Packs a pair of rows in the order given (`a << 32 | b`), for [`score_pairs`], whose
/// scores come back in the caller's order of pairs.
///
/// [`score_pairs`]: super::dedup::score_pairs
pub fn pack_in_order(a: u64, b: u64) -> Result<u64> {
    Ok((u64::from(row32(a)?) << 32) | u64::from(row32(b)?))
}

#[cfg(test)]
mod tests {
    use super::super::dedup::{dedup, score_pairs, Sequential};
    use super::*;

    fn corpus() -> Vec<String> {
        let story = |i: usize| {
            (0..70)
                .map(|w| format!("w{}x{}", i % 7, w))
                .collect::<Vec<_>>()
                .join(" ")
                + "."
        };
        (0..60)
            .map(|i| match i % 5 {
                0 => story(i),
                1 => format!("{} extra tail words.", story(i)),
                2 => story(i).replacen(&format!("w{}x3 ", i % 7), "", 1),
                3 => format!("other story number {i} with its own words."),
                _ => String::new(),
            })
            .collect()
    }

    /// The steps, fed the rows in two blocks, give `dedup`'s clusters.
    #[test]
    fn pieces_give_dedups_clusters() {
        let texts = corpus();
        let mut views: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
        views[7] = None;
        for matching in MATCHES {
            let cfg = DedupConfig::from_options(&DedupOptions {
                matching,
                ..Default::default()
            })
            .unwrap();
            let whole = dedup(&views, &cfg, &Sequential).unwrap();
            let mut table = KeyTable::default();
            for (s, e) in [(0, 25), (25, views.len())] {
                let t = candidate_table(&views[s..e], &cfg, s as u64, &Sequential).unwrap();
                table.band.extend(t.band);
                table.key.extend(t.key);
                table.row.extend(t.row);
            }
            let pairs =
                bucket_pairs(&table.band, &table.key, &table.row, cfg.sentence_band()).unwrap();
            assert_eq!(pairs.len(), whole.candidate_pairs, "{matching}");
            let scores = score_pairs(&views, &pairs, &cfg.scorer().unwrap(), &Sequential).unwrap();
            let scores: Vec<f32> = scores.iter().map(|&s| s as f32).collect();
            let (cluster, _) = link(&cfg, views.len(), &pairs, &scores).unwrap();
            assert_eq!(cluster, whole.cluster, "{matching}");
            assert!(whole
                .cluster
                .iter()
                .enumerate()
                .any(|(i, &c)| c as usize != i));
        }
    }

    #[test]
    fn kept_scores_are_verified_pairs_and_clear_differences_for_representatives() {
        let r = DedupConfig::from_options(&DedupOptions::default()).unwrap();
        assert!(kept(&r, 0.9) && kept(&r, r.threshold) && kept(&r, 0.05));
        assert!(!kept(&r, 0.3));
        let j = DedupConfig::from_options(&DedupOptions {
            matching: "jaccard",
            ..Default::default()
        })
        .unwrap();
        assert!(kept(&j, 0.9) && !kept(&j, 0.05));
    }

    #[test]
    fn defaults_fill_in_and_bad_options_say_why() {
        let cfg = DedupConfig::from_options(&DedupOptions::default()).unwrap();
        assert_eq!(cfg.matching(), "reprint");
        assert_eq!(cfg.threshold, reprint_defaults::THRESHOLD);
        assert_eq!(cfg.sentence_band(), Some(reprint_defaults::BANDS as u32));
        let j = DedupConfig::from_options(&DedupOptions {
            matching: "jaccard",
            ..Default::default()
        })
        .unwrap();
        assert_eq!(j.threshold, defaults::JACCARD_THRESHOLD);
        assert_eq!((j.verify, j.sentence_band()), (Verify::Jaccard, None));
        for bad in [
            DedupOptions {
                matching: "exact",
                ..Default::default()
            },
            DedupOptions {
                ngram: 3,
                ..Default::default()
            },
            DedupOptions {
                threshold: Some(0.0),
                ..Default::default()
            },
            DedupOptions {
                bands: Some(4),
                ..Default::default()
            },
        ] {
            assert!(DedupConfig::from_options(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn bucket_pairs_cap_only_the_sentence_band() {
        let n = reprint_defaults::MAX_SENTENCE_BUCKET as u64 + 1;
        let rows: Vec<u64> = (0..n).collect();
        for (band, expect_none) in [(0u32, false), (5, true)] {
            let pairs = bucket_pairs(
                &vec![band; rows.len()],
                &vec![9; rows.len()],
                &rows,
                Some(5),
            )
            .unwrap();
            assert_eq!(pairs.is_empty(), expect_none);
        }
        assert!(bucket_pairs(&[0], &[1], &[1 << 33], None).is_err());
    }

    #[test]
    fn components_and_links_check_pairs() {
        assert_eq!(
            components(4, &[pack(2, 3), pack(1, 3)]).unwrap(),
            vec![0, 1, 1, 1]
        );
        assert!(components(2, &[pack(0, 5)]).is_err());
    }

    #[test]
    fn pairs_pack_sorted_or_in_the_given_order() {
        assert_eq!(pack_pair(7, 2).unwrap(), (2 << 32) | 7);
        assert_eq!(pack_in_order(7, 2).unwrap(), (7 << 32) | 2);
        assert_eq!(pack_in_order(2, 7).unwrap(), pack_pair(7, 2).unwrap());
        for pack in [pack_pair, pack_in_order] {
            assert!(pack(1 << 32, 0).is_err());
            assert!(pack(0, 1 << 32).is_err());
            assert!(pack(u64::from(u32::MAX), 0).is_ok());
        }
    }
}
