//! Banded LSH over MinHash signatures: parameters, band keys and a lean index.
//!
//! A signature of `bands × rows` values is cut into `bands` slices; each slice hashes
//! to one 64-bit band key. Two documents are candidates when any band key matches,
//! which happens with probability `1 - (1 - s^rows)^bands` at Jaccard `s`.

use super::tokens::combine;
use crate::error::{CoreError, Result};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
    if bands == 0 || rows == 0 || bands * rows > num_perm {
        return Err(CoreError::InvalidValue(format!(
            "bands × rows must be between 1 and num_perm ({num_perm}), got {bands} × {rows}"
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
    if !(threshold > 0.0 && threshold < 1.0) {
        return Err(CoreError::InvalidValue(format!(
            "threshold must be strictly between 0 and 1, got {threshold}"
        )));
    }
    if !(fp_weight >= 0.0 && fn_weight >= 0.0 && fp_weight + fn_weight > 0.0) {
        return Err(CoreError::InvalidValue(
            "weights must be non-negative".into(),
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

/// A hasher for keys that are already uniform 64-bit hashes.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// A user's key for a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Int(i64),
    Str(String),
}

/// One band's buckets: key → last posting; postings chain documents of a bucket.
#[derive(Debug, Default, Clone)]
struct Band {
    head: IdMap<u32>,
    /// (document, previous posting of the same bucket or NONE)
    postings: Vec<(u32, u32)>,
}

const NONE: u32 = u32::MAX;

/// An LSH index: per band one hash map entry (or chain link) per document, about
/// `bands × 50` bytes per document plus its key (measured; see the README).
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
const VERSION: u32 = 1;

impl LshIndex {
    pub fn new(threshold: f64, num_perm: usize, params: Option<(usize, usize)>) -> Result<Self> {
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
            let pos = table.postings.len() as u32;
            let prev = table.head.insert(k, pos).unwrap_or(NONE);
            table.postings.push((doc, prev));
        }
        self.ids.insert(key.clone(), doc);
        self.keys.push(key);
        Ok(())
    }

    /// Documents sharing at least one band with `sig`, in insertion order.
    pub fn query(&self, sig: &[u32]) -> Result<Vec<&Key>> {
        let bk = self.keys_of(sig)?;
        let mut docs: Vec<u32> = Vec::new();
        for (table, k) in self.tables.iter().zip(&bk) {
            let mut p = table.head.get(k).copied().unwrap_or(NONE);
            while p != NONE {
                let (doc, prev) = table.postings[p as usize];
                docs.push(doc);
                p = prev;
            }
        }
        docs.sort_unstable();
        docs.dedup();
        Ok(docs.into_iter().map(|d| &self.keys[d as usize]).collect())
    }

    /// Versioned bytes: header, keys, band keys per document.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.keys.len();
        let mut out = Vec::with_capacity(40 + n * (self.bands * 8 + 12));
        out.extend_from_slice(MAGIC);
        for v in [
            VERSION,
            self.num_perm as u32,
            self.bands as u32,
            self.rows as u32,
        ] {
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
            for (&key, &head) in &table.head {
                let mut p = head;
                while p != NONE {
                    let (doc, prev) = table.postings[p as usize];
                    doc_keys[doc as usize * self.bands + b] = key;
                    p = prev;
                }
            }
        }
        for k in &doc_keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader { b: bytes, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(CoreError::InvalidState("not a misfat LSH index".into()));
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(CoreError::InvalidState(format!(
                "LSH index format version {version}, this misfat reads version {VERSION}"
            )));
        }
        let (num_perm, bands, rows) = (r.u32()? as usize, r.u32()? as usize, r.u32()? as usize);
        let threshold = f64::from_le_bytes(r.take(8)?.try_into().unwrap());
        check_bands(num_perm, bands, rows).map_err(|e| CoreError::InvalidState(e.to_string()))?;
        let n = r.u64()? as usize;
        if n > bytes.len() {
            return Err(CoreError::InvalidState(
                "document count exceeds the data".into(),
            ));
        }
        let mut index = LshIndex::new(threshold, num_perm, Some((bands, rows)))
            .map_err(|e| CoreError::InvalidState(e.to_string()))?;
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(match r.take(1)?[0] {
                0 => Key::Int(r.u64()? as i64),
                1 => {
                    let len = r.u64()? as usize;
                    let s = std::str::from_utf8(r.take(len)?)
                        .map_err(|_| CoreError::InvalidState("key is not UTF-8".into()))?;
                    Key::Str(s.to_owned())
                }
                t => return Err(CoreError::InvalidState(format!("unknown key tag {t}"))),
            });
        }
        let mut bk = vec![0u64; bands];
        for key in keys {
            for v in bk.iter_mut() {
                *v = r.u64()?;
            }
            index
                .insert_keys(key, &bk)
                .map_err(|e| CoreError::InvalidState(e.to_string()))?;
        }
        if r.pos != bytes.len() {
            return Err(CoreError::InvalidState(
                "trailing bytes after the index".into(),
            ));
        }
        Ok(index)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.b.len() - self.pos < n {
            return Err(CoreError::InvalidState("truncated data".into()));
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
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
