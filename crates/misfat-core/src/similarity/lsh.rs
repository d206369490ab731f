//! Banded LSH over MinHash signatures: parameters, band keys and a lean index.
//!
//! A signature of `bands × rows` values is cut into `bands` slices; each slice hashes
//! to one 64-bit band key. Two documents are candidates when any band key matches,
//! which happens with probability `1 - (1 - s^rows)^bands` at Jaccard `s`.

use super::minhash::MAX_NUM_PERM;
use super::tokens::combine;
use crate::error::{CoreError, Result};
use crate::persist::{bad, seal, verified, Reader};
use std::collections::HashMap;

/// The seed of band-key hashing; part of the persisted format.
const BAND_SEED: u64 = 0x6C73_685F_6261_6E64; // "lsh_band"

/// The key of band `band` of `sig` (rows `band·rows .. (band+1)·rows`).
#[inline]
pub fn band_key(sig: &[u32], band: usize, rows: usize) -> u64 {
    let mut h = BAND_SEED ^ band as u64;
    for &v in &sig[band * rows..(band + 1) * rows] {
        h = combine(h, v as u64);
    }
    h
}

/// Appends the `bands` keys of `sig` to `out`.
pub fn band_keys_into(sig: &[u32], bands: usize, rows: usize, out: &mut Vec<u64>) {
    out.extend((0..bands).map(|b| band_key(sig, b, rows)));
}

pub fn check_bands(num_perm: usize, bands: usize, rows: usize) -> Result<()> {
    check_num_perm(num_perm)?;
    if bands == 0 || rows == 0 || bands.checked_mul(rows).is_none_or(|p| p > num_perm) {
        return Err(CoreError::InvalidValue(format!(
            "bands × rows must be between 1 and num_perm ({num_perm}), got {bands} × {rows}"
        )));
    }
    Ok(())
}

pub fn check_num_perm(num_perm: usize) -> Result<()> {
    if num_perm == 0 || num_perm > MAX_NUM_PERM {
        return Err(CoreError::InvalidValue(format!(
            "num_perm must be between 1 and {MAX_NUM_PERM}, got {num_perm}"
        )));
    }
    Ok(())
}

/// A similarity threshold must lie strictly between 0 and 1 (NaN and infinities fail).
pub fn check_threshold(threshold: f64) -> Result<()> {
    if !(threshold > 0.0 && threshold < 1.0) {
        return Err(CoreError::InvalidValue(format!(
            "threshold must be strictly between 0 and 1, got {threshold}"
        )));
    }
    Ok(())
}

/// Probability that two documents of Jaccard `s` share at least one band.
pub fn candidate_probability(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    // Composite Simpson; the integrands are smooth polynomials.
    let n = 256;
    let h = (b - a) / n as f64;
    let mut s = f(a) + f(b);
    for i in 1..n {
        s += f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    s * h / 3.0
}

/// `(bands, rows)` minimizing the weighted false-positive area below `threshold` plus
/// the false-negative area above it (the criterion of datasketch's MinHashLSH).
pub fn optimal_params(
    threshold: f64,
    num_perm: usize,
    fp_weight: f64,
    fn_weight: f64,
) -> Result<(usize, usize)> {
    check_threshold(threshold)?;
    check_num_perm(num_perm)?;
    let finite = fp_weight.is_finite() && fn_weight.is_finite();
    if !(finite && fp_weight >= 0.0 && fn_weight >= 0.0 && fp_weight + fn_weight > 0.0) {
        return Err(CoreError::InvalidValue(
            "weights must be finite, non-negative and not both 0".into(),
        ));
    }
    let mut best = (f64::INFINITY, (1, 1));
    for b in 1..=num_perm {
        for r in 1..=num_perm / b {
            let fp = integrate(|s| candidate_probability(s, b, r), 0.0, threshold);
            let fne = integrate(|s| 1.0 - candidate_probability(s, b, r), threshold, 1.0);
            let err = fp * fp_weight + fne * fn_weight;
            if err < best.0 {
                best = (err, (b, r));
            }
        }
    }
    Ok(best.1)
}

/// A user's key for a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Int(i64),
    Str(String),
}

/// One band's `(key, document)` postings as sorted runs of geometrically decreasing
/// size plus a short unsorted tail (a log-structured merge): 12 bytes per document and
/// band, amortized O(log n) per insert, one binary search per run per query.
#[derive(Debug, Default, Clone)]
struct Band {
    runs: Vec<Run>,
    tail: Run,
}

#[derive(Debug, Default, Clone)]
struct Run {
    keys: Vec<u64>,
    docs: Vec<u32>,
}

/// Postings kept unsorted before they become a run.
const TAIL: usize = 256;

impl Run {
    fn len(&self) -> usize {
        self.keys.len()
    }

    fn sorted(mut pairs: Vec<(u64, u32)>) -> Run {
        pairs.sort_unstable();
        Run {
            keys: pairs.iter().map(|p| p.0).collect(),
            docs: pairs.iter().map(|p| p.1).collect(),
        }
    }

    fn merge(a: &Run, b: &Run) -> Run {
        let n = a.len() + b.len();
        let mut out = Run {
            keys: Vec::with_capacity(n),
            docs: Vec::with_capacity(n),
        };
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let take_a =
                j >= b.len() || (i < a.len() && (a.keys[i], a.docs[i]) <= (b.keys[j], b.docs[j]));
            let (r, k) = if take_a { (a, &mut i) } else { (b, &mut j) };
            out.keys.push(r.keys[*k]);
            out.docs.push(r.docs[*k]);
            *k += 1;
        }
        out
    }
}

impl Band {
    fn push(&mut self, key: u64, doc: u32) {
        self.tail.keys.push(key);
        self.tail.docs.push(doc);
        if self.tail.len() >= TAIL {
            let tail = std::mem::take(&mut self.tail);
            self.runs
                .push(Run::sorted(tail.keys.into_iter().zip(tail.docs).collect()));
            // Keep run sizes at least doubling from the newest to the oldest.
            while self.runs.len() >= 2 {
                let (m, n) = (self.runs.len() - 2, self.runs.len() - 1);
                if self.runs[m].len() > 2 * self.runs[n].len() {
                    break;
                }
                let merged = Run::merge(&self.runs[m], &self.runs[n]);
                self.runs.truncate(m);
                self.runs.push(merged);
            }
        }
    }

    fn get(&self, key: u64, out: &mut Vec<u32>) {
        for r in &self.runs {
            let mut i = r.keys.partition_point(|&k| k < key);
            while i < r.len() && r.keys[i] == key {
                out.push(r.docs[i]);
                i += 1;
            }
        }
        for (k, d) in self.tail.keys.iter().zip(&self.tail.docs) {
            if *k == key {
                out.push(*d);
            }
        }
    }

    fn for_each(&self, mut f: impl FnMut(u64, u32)) {
        for r in self.runs.iter().chain(std::iter::once(&self.tail)) {
            for (k, d) in r.keys.iter().zip(&r.docs) {
                f(*k, *d);
            }
        }
    }
}

const NONE: u32 = u32::MAX;

/// An LSH index: 12 bytes per document and band plus the document's key (measured in
/// the README).
#[derive(Debug, Clone)]
pub struct LshIndex {
    pub num_perm: usize,
    pub bands: usize,
    pub rows: usize,
    pub threshold: f64,
    tables: Vec<Band>,
    keys: Vec<Key>,
    ids: HashMap<Key, u32>,
}

const MAGIC: &[u8; 8] = b"MSFTLSH\0";
/// Version 2 added the checksum; version 1 files are refused.
const VERSION: u32 = 2;

impl LshIndex {
    pub fn new(threshold: f64, num_perm: usize, params: Option<(usize, usize)>) -> Result<Self> {
        check_threshold(threshold)?;
        let (bands, rows) = match params {
            Some(p) => p,
            None => optimal_params(threshold, num_perm, 0.5, 0.5)?,
        };
        check_bands(num_perm, bands, rows)?;
        Ok(LshIndex {
            num_perm,
            bands,
            rows,
            threshold,
            tables: vec![Band::default(); bands],
            keys: Vec::new(),
            ids: HashMap::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.ids.contains_key(key)
    }

    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    fn check_sig(&self, sig: &[u32]) -> Result<()> {
        if sig.len() != self.num_perm {
            return Err(CoreError::InvalidValue(format!(
                "signature has {} values, the index expects num_perm = {}",
                sig.len(),
                self.num_perm
            )));
        }
        Ok(())
    }

    /// Band keys of a signature, for [`LshIndex::insert_keys`] (computable in parallel).
    pub fn keys_of(&self, sig: &[u32]) -> Result<Vec<u64>> {
        self.check_sig(sig)?;
        let mut out = Vec::with_capacity(self.bands);
        band_keys_into(sig, self.bands, self.rows, &mut out);
        Ok(out)
    }

    pub fn insert(&mut self, key: Key, sig: &[u32]) -> Result<()> {
        let bk = self.keys_of(sig)?;
        self.insert_keys(key, &bk)
    }

    /// Inserts a document by its precomputed band keys.
    pub fn insert_keys(&mut self, key: Key, band_keys: &[u64]) -> Result<()> {
        if band_keys.len() != self.bands {
            return Err(CoreError::InvalidValue("wrong number of band keys".into()));
        }
        if self.ids.contains_key(&key) {
            return Err(CoreError::InvalidValue(format!(
                "key {key:?} is already in the index"
            )));
        }
        if self.keys.len() >= (NONE - 1) as usize {
            return Err(CoreError::InvalidValue(
                "index is full (2^32 documents)".into(),
            ));
        }
        let doc = self.keys.len() as u32;
        for (table, &k) in self.tables.iter_mut().zip(band_keys) {
            table.push(k, doc);
        }
        self.ids.insert(key.clone(), doc);
        self.keys.push(key);
        Ok(())
    }

    /// Documents sharing at least one band with `sig`, in insertion order.
    pub fn query(&self, sig: &[u32]) -> Result<Vec<&Key>> {
        let bk = self.keys_of(sig)?;
        let mut docs: Vec<u32> = Vec::new();
        for (table, &k) in self.tables.iter().zip(&bk) {
            table.get(k, &mut docs);
        }
        docs.sort_unstable();
        docs.dedup();
        Ok(docs.into_iter().map(|d| &self.keys[d as usize]).collect())
    }

    /// Versioned bytes: magic, version, checksum, then the parameters, the keys and the
    /// band keys of every document.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.keys.len();
        let mut out = Vec::with_capacity(32 + n * (self.bands * 8 + 12));
        for v in [self.num_perm as u32, self.bands as u32, self.rows as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        for k in &self.keys {
            match k {
                Key::Int(i) => {
                    out.push(0);
                    out.extend_from_slice(&i.to_le_bytes());
                }
                Key::Str(s) => {
                    out.push(1);
                    out.extend_from_slice(&(s.len() as u64).to_le_bytes());
                    out.extend_from_slice(s.as_bytes());
                }
            }
        }
        // Band keys per document, rebuilt from the buckets (the index does not keep them).
        let mut doc_keys = vec![0u64; n * self.bands];
        for (b, table) in self.tables.iter().enumerate() {
            table.for_each(|key, doc| doc_keys[doc as usize * self.bands + b] = key);
        }
        for k in &doc_keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        let mut header = MAGIC.to_vec();
        header.extend_from_slice(&VERSION.to_le_bytes());
        seal(&header, &out)
    }

    /// Reads bytes from [`LshIndex::to_bytes`]: the checksum first, then every count
    /// against the bytes left before anything is allocated.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        if r.take(8).ok() != Some(MAGIC.as_slice()) {
            return Err(bad("not a misfat LSH index (wrong magic bytes)"));
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(bad(format!(
                "LSH index format version {version} is not supported (this misfat reads \
                 version {VERSION}); rebuild the index"
            )));
        }
        let mut r = verified(&mut r)?;
        let (num_perm, bands, rows) = (r.u32()? as usize, r.u32()? as usize, r.u32()? as usize);
        let threshold = r.f64()?;
        check_threshold(threshold).map_err(|e| bad(e.to_string()))?;
        check_bands(num_perm, bands, rows).map_err(|e| bad(e.to_string()))?;
        // A document takes at least a tagged int key and its band keys.
        let n = r.u64()?;
        let n = r.count(n, 9 + bands * 8, "document")?;
        let mut index = LshIndex::new(threshold, num_perm, Some((bands, rows)))
            .map_err(|e| bad(e.to_string()))?;
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(match r.u8()? {
                0 => Key::Int(r.u64()? as i64),
                1 => {
                    let len = r.u64()?;
                    let len = r.count(len, 1, "key byte")?;
                    let s =
                        std::str::from_utf8(r.take(len)?).map_err(|_| bad("key is not UTF-8"))?;
                    Key::Str(s.to_owned())
                }
                t => return Err(bad(format!("unknown key tag {t}"))),
            });
        }
        r.count(n as u64, bands * 8, "document")?;
        let mut bk = vec![0u64; bands];
        for key in keys {
            for v in bk.iter_mut() {
                *v = r.u64()?;
            }
            index
                .insert_keys(key, &bk)
                .map_err(|e| bad(e.to_string()))?;
        }
        r.finish("index")?;
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::minhash::MinHasher;
    use crate::similarity::tokens::Unit;

    #[test]
    fn params_like_datasketch() {
        // datasketch MinHashLSH(threshold=0.5, num_perm=128) picks b=14, r=9? It picks
        // the same criterion; check sanity: more rows for higher thresholds.
        let (b5, r5) = optimal_params(0.5, 128, 0.5, 0.5).unwrap();
        let (b9, r9) = optimal_params(0.9, 128, 0.5, 0.5).unwrap();
        assert!(b5 * r5 <= 128 && b9 * r9 <= 128);
        assert!(r9 > r5);
        assert!(optimal_params(1.0, 128, 0.5, 0.5).is_err());
    }

    #[test]
    fn runs_find_every_posting() {
        // Enough documents for several merged runs and a tail; keys repeat every 7 docs.
        let mut band = Band::default();
        for d in 0..5000u32 {
            band.push((d % 7) as u64 * 1_000_003, d);
        }
        assert!(band.runs.len() >= 2 && !band.tail.keys.is_empty());
        for key in 0..7u64 {
            let mut got = Vec::new();
            band.get(key * 1_000_003, &mut got);
            got.sort_unstable();
            let want: Vec<u32> = (0..5000).filter(|d| (d % 7) as u64 == key).collect();
            assert_eq!(got, want);
        }
        let mut none = Vec::new();
        band.get(5, &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn insert_query_roundtrip() {
        let m = MinHasher::new(128, Unit::Word, 1, 1, None).unwrap();
        let mut idx = LshIndex::new(0.5, 128, None).unwrap();
        let a = m.signature("a b c d e f g h i j");
        let b = m.signature("a b c d e f g h i k");
        let c = m.signature("z y x w v u t s r q");
        idx.insert(Key::Int(1), &a).unwrap();
        idx.insert(Key::Str("c".into()), &c).unwrap();
        assert!(idx.insert(Key::Int(1), &a).is_err());
        assert_eq!(idx.query(&b).unwrap(), vec![&Key::Int(1)]);
        let bytes = idx.to_bytes();
        let back = LshIndex::from_bytes(&bytes).unwrap();
        assert_eq!(back.query(&b).unwrap(), vec![&Key::Int(1)]);
        assert_eq!(back.keys(), idx.keys());
        assert_eq!(back.to_bytes(), bytes);
        assert!(LshIndex::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut bad = bytes.clone();
        bad[8] = 9;
        assert!(LshIndex::from_bytes(&bad).is_err());
        assert!(idx.query(&a[..10]).is_err());
    }
}
