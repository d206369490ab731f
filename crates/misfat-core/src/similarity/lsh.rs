//! Banded LSH over MinHash signatures: parameters, band keys and a lean index.
//!
//! A signature of `bands × rows` values is cut into `bands` slices; each slice hashes
//! to one 64-bit band key. Two documents are candidates when any band key matches,
//! which happens with probability `1 - (1 - s^rows)^bands` at Jaccard `s`.

use super::minhash::MAX_NUM_PERM;
use super::tokens::combine;
use crate::error::{CoreError, Result};
use crate::persist::{bad, seal, verified, Reader};
use std::collections::{HashMap, HashSet};

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

/// As Python shows it: `7`, `"a"`.
impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Int(i) => write!(f, "{i}"),
            Key::Str(s) => write!(f, "{s:?}"),
        }
    }
}

/// One band's `(key, document)` postings: a main sorted run with a directory on the top
/// bits of the key (a query is one directory probe and a short scan), newer sorted runs
/// of geometrically decreasing size and a short unsorted tail (a log-structured merge
/// for inserts one at a time). Newer runs fold into the main run once they hold a
/// quarter of its size, and a bulk insert folds everything, so an index built in bulk
/// is one run per band: 12 bytes per document and band plus 1 for the directory.
#[derive(Debug, Default, Clone)]
struct Band {
    main: Run,
    /// `dir[p]..dir[p + 1]` indexes the postings of `main` whose key's top `bits` are `p`.
    dir: Vec<u32>,
    bits: u32,
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

    /// Appends the documents of `key` from `i` on (the first posting not below `key`).
    fn take_from(&self, mut i: usize, key: u64, out: &mut Vec<u32>) {
        while i < self.len() && self.keys[i] == key {
            out.push(self.docs[i]);
            i += 1;
        }
    }
}

/// Directory slots of a main run of `len` postings: about four postings per slot.
fn dir_bits(len: usize) -> u32 {
    (len / 4).max(1).ilog2().min(30)
}

#[inline]
fn slot(key: u64, bits: u32) -> usize {
    key.checked_shr(64 - bits).unwrap_or(0) as usize
}

impl Band {
    fn push(&mut self, key: u64, doc: u32) {
        self.tail.keys.push(key);
        self.tail.docs.push(doc);
        if self.tail.len() >= TAIL {
            self.flush(Vec::new());
        }
    }

    /// Sorts the tail and `more` into a new run, then keeps run sizes at least doubling
    /// from the newest to the oldest and folds them into the main run once they hold a
    /// quarter of it (amortized: the main run grows by a quarter between folds).
    fn flush(&mut self, more: Vec<(u64, u32)>) {
        let tail = std::mem::take(&mut self.tail);
        let mut pairs = more;
        pairs.extend(tail.keys.into_iter().zip(tail.docs));
        if !pairs.is_empty() {
            self.runs.push(Run::sorted(pairs));
        }
        while self.runs.len() >= 2 {
            let (m, n) = (self.runs.len() - 2, self.runs.len() - 1);
            if self.runs[m].len() > 2 * self.runs[n].len() {
                break;
            }
            let merged = Run::merge(&self.runs[m], &self.runs[n]);
            self.runs.truncate(m);
            self.runs.push(merged);
        }
        let newer: usize = self.runs.iter().map(Run::len).sum();
        if newer > 0 && 4 * newer >= self.main.len() {
            // Smallest first, so the main run is copied once.
            let mut acc = self.runs.pop().unwrap_or_default();
            while let Some(r) = self.runs.pop() {
                acc = Run::merge(&r, &acc);
            }
            self.main = Run::merge(&self.main, &acc);
            self.index_main();
        }
    }

    /// Rebuilds the directory of the main run.
    fn index_main(&mut self) {
        self.bits = dir_bits(self.main.len());
        let mut dir = vec![0u32; (1usize << self.bits) + 1];
        for &k in &self.main.keys {
            dir[slot(k, self.bits) + 1] += 1;
        }
        for p in 1..dir.len() {
            dir[p] += dir[p - 1];
        }
        self.dir = dir;
    }

    #[cfg(test)]
    fn get(&self, key: u64, out: &mut Vec<u32>) {
        self.get_in(key, self.slot_range(key), out);
    }

    /// The postings of the main run that may hold `key` (one directory slot).
    #[inline]
    fn slot_range(&self, key: u64) -> Slot {
        if self.main.keys.is_empty() {
            return (0, 0);
        }
        let p = slot(key, self.bits);
        (self.dir[p], self.dir[p + 1])
    }

    /// [`Band::get`] with the main run's slot already read by [`Band::slot_range`].
    #[inline]
    fn get_in(&self, key: u64, (lo, hi): Slot, out: &mut Vec<u32>) {
        let (lo, hi) = (lo as usize, hi as usize);
        if lo < hi {
            let i = lo + self.main.keys[lo..hi].partition_point(|&k| k < key);
            self.main.take_from(i, key, out);
        }
        for r in &self.runs {
            r.take_from(r.keys.partition_point(|&k| k < key), key, out);
        }
        for (k, d) in self.tail.keys.iter().zip(&self.tail.docs) {
            if *k == key {
                out.push(*d);
            }
        }
    }

    fn for_each(&self, mut f: impl FnMut(u64, u32)) {
        let all = std::iter::once(&self.main).chain(&self.runs);
        for r in all.chain(std::iter::once(&self.tail)) {
            for (k, d) in r.keys.iter().zip(&r.docs) {
                f(*k, *d);
            }
        }
    }
}

/// Asks the CPU to start loading `x`'s cache line; a hint, with no effect on results.
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch never faults and reads nothing into the program; the
        // address is that of a live reference. SSE is part of the x86_64 baseline.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(x).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// A directory slot of a band's main run: postings `lo..hi`.
type Slot = (u32, u32);

const NONE: u32 = u32::MAX;

/// An LSH index: 13 bytes per document and band plus the document's key (measured in
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
                "key {key} is already in the index"
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

    /// Inserts documents by their precomputed band keys (`bands` per document, in
    /// order): all or nothing. The postings of every band are sorted once and merged, so
    /// an index built by bulk inserts answers queries from one sorted run per band.
    pub fn insert_many(&mut self, keys: Vec<Key>, band_keys: &[u64]) -> Result<()> {
        if Some(band_keys.len()) != keys.len().checked_mul(self.bands) {
            return Err(CoreError::InvalidValue("wrong number of band keys".into()));
        }
        if self.keys.len() + keys.len() >= NONE as usize {
            return Err(CoreError::InvalidValue(
                "index is full (2^32 documents)".into(),
            ));
        }
        // Check every key first so a failed call inserts nothing.
        let mut seen = HashSet::with_capacity(keys.len());
        for k in &keys {
            if self.ids.contains_key(k) || !seen.insert(k) {
                return Err(CoreError::InvalidValue(format!(
                    "key {k} is already in the index"
                )));
            }
        }
        drop(seen);
        let first = self.keys.len() as u32;
        for (b, table) in self.tables.iter_mut().enumerate() {
            let postings = band_keys
                .iter()
                .skip(b)
                .step_by(self.bands)
                .zip(first..)
                .map(|(&k, d)| (k, d))
                .collect();
            table.flush(postings);
        }
        self.ids.reserve(keys.len());
        for (d, key) in (first..).zip(keys) {
            self.ids.insert(key.clone(), d);
            self.keys.push(key);
        }
        Ok(())
    }

    /// Documents sharing at least one band with `sig`, in insertion order.
    pub fn query(&self, sig: &[u32]) -> Result<Vec<&Key>> {
        let mut docs = Vec::new();
        self.query_docs(sig, &mut docs)?;
        Ok(docs.into_iter().map(|d| &self.keys[d as usize]).collect())
    }

    /// The document numbers (positions in [`LshIndex::keys`]) sharing at least one band
    /// with `sig`, ascending, replacing the contents of `docs`: no allocation once `docs`
    /// has grown, so a caller answering many queries reuses one buffer.
    pub fn query_docs(&self, sig: &[u32], docs: &mut Vec<u32>) -> Result<()> {
        self.check_sig(sig)?;
        docs.clear();
        // In three passes: every band's key (asking for its directory slot), every
        // band's slot (asking for its postings), then the postings. The loads of
        // different bands do not depend on one another, so their cache misses overlap
        // instead of being paid one after the other (the index is tens of MB).
        let keys: Vec<u64> = (0..self.bands)
            .map(|b| band_key(sig, b, self.rows))
            .collect();
        for (table, &key) in self.tables.iter().zip(&keys) {
            if !table.dir.is_empty() {
                prefetch(&table.dir[slot(key, table.bits)]);
            }
        }
        let slots: Vec<(u64, Slot)> = (self.tables.iter().zip(keys))
            .map(|(table, key)| {
                let s = table.slot_range(key);
                if let Some(k) = table.main.keys.get(s.0 as usize) {
                    prefetch(k);
                }
                (key, s)
            })
            .collect();
        for (table, &(key, range)) in self.tables.iter().zip(&slots) {
            table.get_in(key, range, docs);
        }
        if docs.len() > 1 {
            docs.sort_unstable();
            docs.dedup();
        }
        Ok(())
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
        let total = r.count(n as u64, bands * 8, "document")? * bands;
        let mut bk = Vec::with_capacity(total);
        for _ in 0..total {
            bk.push(r.u64()?);
        }
        r.finish("index")?;
        index
            .insert_many(keys, &bk)
            .map_err(|e| bad(e.to_string()))?;
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
        assert!(band.main.len() > 0 && !band.tail.keys.is_empty());
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

    /// Bulk inserts of every size, single inserts between them, a reload: every query
    /// answers exactly what a map of band keys answers.
    #[test]
    fn any_mix_of_inserts_answers_like_a_map() {
        let bands = 3;
        let mut idx = LshIndex::new(0.5, 6, Some((bands, 2))).unwrap();
        let mut want: HashMap<(usize, u64), Vec<u32>> = HashMap::new();
        // Few distinct keys so buckets hold many documents; spread over the top bits.
        let key =
            |d: u32, b: usize| ((d as u64 * 7 + b as u64) % 97).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut doc = 0u32;
        for (round, batch) in [1usize, 700, 3, 5000, 1, 1, 40, 2000, 900]
            .iter()
            .enumerate()
        {
            let docs: Vec<u32> = (doc..doc + *batch as u32).collect();
            let bk: Vec<u64> = docs
                .iter()
                .flat_map(|&d| (0..bands).map(move |b| key(d, b)))
                .collect();
            if round % 2 == 0 {
                for (&d, k) in docs.iter().zip(bk.chunks_exact(bands)) {
                    idx.insert_keys(Key::Int(d as i64), k).unwrap();
                }
            } else {
                idx.insert_many(docs.iter().map(|&d| Key::Int(d as i64)).collect(), &bk)
                    .unwrap();
            }
            for &d in &docs {
                for b in 0..bands {
                    want.entry((b, key(d, b))).or_default().push(d);
                }
            }
            doc += *batch as u32;
            let back = LshIndex::from_bytes(&idx.to_bytes()).unwrap();
            for i in [&idx, &back] {
                for ((b, k), docs) in &want {
                    let mut got = Vec::new();
                    i.tables[*b].get(*k, &mut got);
                    got.sort_unstable();
                    assert_eq!(&got, docs, "band {b} after round {round}");
                }
                let mut none = Vec::new();
                i.tables[0].get(12345, &mut none);
                assert!(none.is_empty());
            }
        }
        // Loaded in bulk: one sorted run per band.
        let back = LshIndex::from_bytes(&idx.to_bytes()).unwrap();
        assert!(back
            .tables
            .iter()
            .all(|t| t.runs.is_empty() && t.tail.keys.is_empty()));
        // All or nothing: a repeated key inserts none of the batch.
        let err = idx
            .insert_many(vec![Key::Int(-1), Key::Int(3)], &[0; 6])
            .unwrap_err();
        assert!(err.to_string().contains("key 3 is already"), "{err}");
        assert!(!idx.contains(&Key::Int(-1)));
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
