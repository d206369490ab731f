//! Glue for near-duplicate clustering: `dedup` in one call, and its steps one at a time
//! (`misfat_core::similarity::pieces`) for the streaming job, Dask and Spark.
//!
//! Options become a core `DedupConfig` in one place (`DedupConfig::from_options`, where
//! the defaults live); the steps take a resolved settings object (Python's `NearDup`,
//! read by attribute). Arrays cross as little-endian bytes, as in `similarity.rs`.

use crate::errors::to_py;
use crate::io::{Errors, Texts};
use crate::pool::threads;
use crate::similarity::{bytes_out, f64_out, Pool};
use misfat_core::similarity::dedup::{
    dedup, reprint_defaults, score_pairs, DedupConfig, ALL_PAIRS,
};
use misfat_core::similarity::pieces::{
    band_key_rows, bucket_pairs, candidate_table, components, defaults, kept, link, pack_in_order,
    pack_pair, DedupOptions, VerifyChoice, MATCHES, NO_KEY,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyDict, PyTuple};

fn verify_choice<'a>(verify: Option<&'a Bound<'_, PyAny>>) -> PyResult<VerifyChoice<'a>> {
    let Some(v) = verify else {
        return Ok(VerifyChoice::Default);
    };
    if v.is_none() {
        return Ok(VerifyChoice::Default);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(if b.is_true() {
            VerifyChoice::Named("jaccard")
        } else {
            VerifyChoice::No
        });
    }
    Err(PyTypeError::new_err(format!(
        "verify must be a str or bool, got {}",
        v.get_type().name()?
    )))
}

/// `dedup`'s options, as given, to a config (defaults filled in by the core).
#[allow(clippy::too_many_arguments)]
fn config(
    matching: &str,
    method: &str,
    threshold: Option<f64>,
    verify: Option<&Bound<'_, PyAny>>,
    num_perm: usize,
    bands: Option<usize>,
    rows: Option<usize>,
    unit: &str,
    ngram: usize,
    seed: u64,
    profile: Option<&str>,
) -> PyResult<DedupConfig> {
    let name: Option<String> = match verify {
        Some(v) if v.is_instance_of::<pyo3::types::PyString>() => Some(v.extract()?),
        _ => None,
    };
    let choice = match &name {
        Some(n) => VerifyChoice::Named(n),
        None => verify_choice(verify)?,
    };
    DedupConfig::from_options(&DedupOptions {
        matching,
        method,
        threshold,
        verify: choice,
        num_perm,
        bands,
        rows,
        unit,
        ngram,
        seed,
        profile,
    })
    .map_err(to_py)
}

/// Resolved settings, read from Python's `NearDup` by attribute.
#[derive(FromPyObject)]
struct Settings {
    #[pyo3(attribute("match"))]
    matching: String,
    threshold: f64,
    num_perm: usize,
    bands: usize,
    rows: usize,
    unit: String,
    ngram: usize,
    seed: u64,
    verify: Option<String>,
    profile: Option<String>,
}

impl Settings {
    fn config(&self) -> PyResult<DedupConfig> {
        DedupConfig::from_options(&DedupOptions {
            matching: &self.matching,
            method: defaults::METHOD,
            threshold: Some(self.threshold),
            verify: match &self.verify {
                Some(v) => VerifyChoice::Named(v),
                None => VerifyChoice::No,
            },
            num_perm: self.num_perm,
            bands: Some(self.bands),
            rows: Some(self.rows),
            unit: &self.unit,
            ngram: self.ngram,
            seed: self.seed,
            profile: self.profile.as_deref(),
        })
        .map_err(to_py)
    }
}

/// The settings `dedup` runs with for these options (MinHash candidates), as a dict.
#[pyfunction]
#[pyo3(signature = (*, r#match = defaults::MATCH, threshold = None, verify = None, num_perm = defaults::NUM_PERM, bands = None, rows = None, unit = defaults::UNIT, ngram = defaults::NGRAM, seed = defaults::SEED, profile = Some(defaults::PROFILE)))]
#[allow(clippy::too_many_arguments)]
fn _dedup_settings<'py>(
    py: Python<'py>,
    r#match: &str,
    threshold: Option<f64>,
    verify: Option<&Bound<'py, PyAny>>,
    num_perm: usize,
    bands: Option<usize>,
    rows: Option<usize>,
    unit: &str,
    ngram: usize,
    seed: u64,
    profile: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let cfg = config(
        r#match,
        defaults::METHOD,
        threshold,
        verify,
        num_perm,
        bands,
        rows,
        unit,
        ngram,
        seed,
        profile,
    )?;
    let (num_perm, bands, rows, seed) = cfg.minhash_candidates().map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("match", cfg.matching())?;
    d.set_item("threshold", cfg.threshold)?;
    d.set_item("num_perm", num_perm)?;
    d.set_item("unit", cfg.shingler.unit.name())?;
    d.set_item("ngram", cfg.shingler.ngram)?;
    d.set_item("seed", seed)?;
    d.set_item("verify", cfg.verify.name())?;
    d.set_item("profile", cfg.shingler.profile())?;
    d.set_item("bands", bands)?;
    d.set_item("rows", rows)?;
    d.set_item("sentence_band", cfg.sentence_band())?;
    Ok(d)
}

/// Clusters: (u32 cluster bytes, f32 score bytes, candidate pairs, verified pairs).
#[pyfunction]
#[pyo3(signature = (texts, *, r#match, threshold, method, verify, num_perm, bands, rows, unit, ngram, seed, profile, n_threads = 1))]
#[allow(clippy::too_many_arguments)]
fn _dedup<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    r#match: &str,
    threshold: Option<f64>,
    method: &str,
    verify: Option<&Bound<'py, PyAny>>,
    num_perm: usize,
    bands: Option<usize>,
    rows: Option<usize>,
    unit: &str,
    ngram: usize,
    seed: u64,
    profile: Option<&str>,
    n_threads: i64,
) -> PyResult<Bound<'py, PyTuple>> {
    let n = threads(n_threads)?;
    let cfg = config(
        r#match, method, threshold, verify, num_perm, bands, rows, unit, ngram, seed, profile,
    )?;
    let t = Texts::extract(texts, Errors::Strict)?;
    let views = t.views();
    let r = py.detach(|| dedup(&views, &cfg, &Pool(n))).map_err(to_py)?;
    let cl = bytes_out(py, &r.cluster, |x, b| b.extend_from_slice(&x.to_le_bytes()));
    let sc = bytes_out(py, &r.score, |x, b| b.extend_from_slice(&x.to_le_bytes()));
    PyTuple::new(
        py,
        [
            cl.into_any(),
            sc.into_any(),
            r.candidate_pairs.into_pyobject(py)?.into_any(),
            r.verified_pairs.into_pyobject(py)?.into_any(),
        ],
    )
}

fn u64s(name: &str, b: &[u8]) -> PyResult<Vec<u64>> {
    if !b.len().is_multiple_of(8) {
        return Err(PyValueError::new_err(format!(
            "{name} must hold 8-byte values"
        )));
    }
    Ok(b.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect())
}

fn u64_out<'py>(py: Python<'py>, v: &[u64]) -> Bound<'py, PyByteArray> {
    bytes_out(py, v, |x, b| b.extend_from_slice(&x.to_le_bytes()))
}

fn u32_out<'py>(py: Python<'py>, v: &[u32]) -> Bound<'py, PyByteArray> {
    bytes_out(py, v, |x, b| b.extend_from_slice(&x.to_le_bytes()))
}

/// `lo`, `hi` (u64 rows) packed as the core's pairs (`lo < hi`).
fn packed(lo: &[u8], hi: &[u8]) -> PyResult<Vec<u64>> {
    pairs(lo, hi, pack_pair)
}

/// `lo`, `hi` (u64 rows) packed pair by pair in the caller's order (for scores that come
/// back in it).
fn packed_unordered(lo: &[u8], hi: &[u8]) -> PyResult<Vec<u64>> {
    pairs(lo, hi, pack_in_order)
}

fn pairs(
    lo: &[u8],
    hi: &[u8],
    pack: fn(u64, u64) -> misfat_core::Result<u64>,
) -> PyResult<Vec<u64>> {
    let (lo, hi) = (u64s("lo", lo)?, u64s("hi", hi)?);
    if lo.len() != hi.len() {
        return Err(PyValueError::new_err(
            "lo and hi must hold the same number of row numbers",
        ));
    }
    lo.iter()
        .zip(&hi)
        .map(|(&a, &b)| pack(a, b).map_err(to_py))
        .collect()
}

fn unpacked<'py>(py: Python<'py>, pairs: &[u64]) -> PyResult<Bound<'py, PyTuple>> {
    let lo: Vec<u64> = pairs.iter().map(|p| p >> 32).collect();
    let hi: Vec<u64> = pairs.iter().map(|p| p & 0xFFFF_FFFF).collect();
    PyTuple::new(py, [u64_out(py, &lo), u64_out(py, &hi)])
}

/// `(n, bands)` band keys of the texts, row-major u64 bytes (`NO_KEY`: none).
#[pyfunction]
#[pyo3(signature = (texts, settings, *, n_threads = 1))]
fn _band_key_rows<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    settings: Settings,
    n_threads: i64,
) -> PyResult<Bound<'py, PyByteArray>> {
    let n = threads(n_threads)?;
    let cfg = settings.config()?;
    let t = Texts::extract(texts, Errors::Strict)?;
    let views = t.views();
    let keys = py
        .detach(|| band_key_rows(&views, &cfg, &Pool(n)))
        .map_err(to_py)?;
    Ok(u64_out(py, &keys))
}

/// The long table `(band u32, key u64, row u64)` of the texts, rows from `first_row`.
#[pyfunction]
#[pyo3(signature = (texts, settings, *, first_row = 0, n_threads = 1))]
fn _candidate_table<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    settings: Settings,
    first_row: u64,
    n_threads: i64,
) -> PyResult<Bound<'py, PyTuple>> {
    let n = threads(n_threads)?;
    let cfg = settings.config()?;
    let t = Texts::extract(texts, Errors::Strict)?;
    let views = t.views();
    let table = py
        .detach(|| candidate_table(&views, &cfg, first_row, &Pool(n)))
        .map_err(to_py)?;
    PyTuple::new(
        py,
        [
            u32_out(py, &table.band),
            u64_out(py, &table.key),
            u64_out(py, &table.row),
        ],
    )
}

/// Candidate pairs `(lo, hi)` (u64 bytes, sorted, distinct) of a long table's buckets.
#[pyfunction]
#[pyo3(signature = (band, key, row, sentence_band = None))]
fn _bucket_pairs<'py>(
    py: Python<'py>,
    band: &[u8],
    key: &[u8],
    row: &[u8],
    sentence_band: Option<u32>,
) -> PyResult<Bound<'py, PyTuple>> {
    if !band.len().is_multiple_of(4) {
        return Err(PyValueError::new_err("band must hold 4-byte values"));
    }
    let band: Vec<u32> = band
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
        .collect();
    let (key, row) = (u64s("key", key)?, u64s("row", row)?);
    let pairs = py
        .detach(|| bucket_pairs(&band, &key, &row, sentence_band))
        .map_err(to_py)?;
    unpacked(py, &pairs)
}

/// Verification scores (f64 bytes) of pairs of rows `lo`, `hi` (u64 bytes) of `texts`;
/// each row is prepared once per batch.
#[pyfunction]
#[pyo3(signature = (texts, lo, hi, settings, *, n_threads = 1))]
fn _pair_scores<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    lo: &[u8],
    hi: &[u8],
    settings: Settings,
    n_threads: i64,
) -> PyResult<Bound<'py, PyByteArray>> {
    let n = threads(n_threads)?;
    let scorer = settings.config()?.scorer().map_err(to_py)?;
    let pairs = packed_unordered(lo, hi)?;
    let t = Texts::extract(texts, Errors::Strict)?;
    let views = t.views();
    let scores = py
        .detach(|| score_pairs(&views, &pairs, &scorer, &Pool(n)))
        .map_err(to_py)?;
    Ok(f64_out(py, &scores))
}

/// Clusters of `n` rows (u32 bytes) from scored candidate pairs: `pairs` packed as the
/// core's (u64 bytes, `lo << 32 | hi`, `lo < hi`, each once), `score` f32 bytes.
#[pyfunction]
fn _link<'py>(
    py: Python<'py>,
    n: usize,
    pairs: &[u8],
    score: &[u8],
    settings: Settings,
) -> PyResult<Bound<'py, PyByteArray>> {
    let cfg = settings.config()?;
    let pairs = u64s("pairs", pairs)?;
    if !score.len().is_multiple_of(4) {
        return Err(PyValueError::new_err("score must hold 4-byte values"));
    }
    let scores: Vec<f32> = score
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let (cluster, _) = py
        .detach(|| link(&cfg, n, &pairs, &scores))
        .map_err(to_py)?;
    Ok(u32_out(py, &cluster))
}

/// Which scores (f64 bytes) `_link` needs (one byte per score, 1: keep).
#[pyfunction]
fn _kept<'py>(
    py: Python<'py>,
    score: &[u8],
    settings: Settings,
) -> PyResult<Bound<'py, PyByteArray>> {
    let cfg = settings.config()?;
    let keep: Vec<u8> = u64s("score", score)?
        .into_iter()
        .map(|s| u8::from(kept(&cfg, f64::from_bits(s))))
        .collect();
    Ok(PyByteArray::new(py, &keep))
}

/// Connected components of `n` rows joined by pairs (u32 bytes: each row's smallest).
#[pyfunction]
fn _components<'py>(
    py: Python<'py>,
    n: usize,
    lo: &[u8],
    hi: &[u8],
) -> PyResult<Bound<'py, PyByteArray>> {
    let pairs = packed(lo, hi)?;
    let roots = py.detach(|| components(n, &pairs)).map_err(to_py)?;
    Ok(u32_out(py, &roots))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("REPRINT_THRESHOLD", reprint_defaults::THRESHOLD)?;
    m.add("REPRINT_MAX_BUCKET", reprint_defaults::MAX_SENTENCE_BUCKET)?;
    m.add(
        "REPRINT_CONFLICT",
        f64::from(misfat_core::similarity::dedup::CONFLICT),
    )?;
    m.add("MATCHES", MATCHES.to_vec())?;
    m.add("ALL_PAIRS", ALL_PAIRS)?;
    m.add("NO_KEY", NO_KEY)?;
    m.add_function(wrap_pyfunction!(_dedup, m)?)?;
    m.add_function(wrap_pyfunction!(_dedup_settings, m)?)?;
    m.add_function(wrap_pyfunction!(_band_key_rows, m)?)?;
    m.add_function(wrap_pyfunction!(_candidate_table, m)?)?;
    m.add_function(wrap_pyfunction!(_bucket_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(_pair_scores, m)?)?;
    m.add_function(wrap_pyfunction!(_link, m)?)?;
    m.add_function(wrap_pyfunction!(_kept, m)?)?;
    m.add_function(wrap_pyfunction!(_components, m)?)?;
    Ok(())
}
