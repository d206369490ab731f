//! Glue for `misfat_core::similarity`: scorers, MinHash, LSH index (dedup: `dedup.rs`).
//!
//! Arrays cross the boundary as little-endian bytes (`bytearray` out, `bytes` in); the
//! Python side views them with `numpy.frombuffer`. Every kernel runs with the GIL
//! released on the caller's `n_threads`.

use crate::errors::to_py;
use crate::io::{Errors, Texts};
use crate::pool::{map_chunks, threads, threads_named};
use misfat_core::similarity::cosine::Idf;
use misfat_core::similarity::dedup::Executor;
use misfat_core::similarity::lsh::{band_keys_into, check_bands, optimal_params, Key, LshIndex};
use misfat_core::similarity::matrix::{cdist_into, top_k_into, Score};
use misfat_core::similarity::minhash::{MinHasher as CoreMinHasher, Scratch};
use misfat_core::similarity::tokens::Unit;
use misfat_core::similarity::{Method, Prepared, Scorer};
use pyo3::buffer::{Element, PyBuffer};
use pyo3::exceptions::{PyMemoryError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString, PyTuple};
use std::sync::RwLock;

/// The rayon pool as a core executor.
pub(crate) struct Pool(pub(crate) usize);

impl Executor for Pool {
    fn map<T: Sync, R: Send>(&self, items: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
        map_chunks(items, self.0, |c| c.iter().map(f).collect::<Vec<R>>())
            .into_iter()
            .flatten()
            .collect()
    }
}

pub(crate) fn bytes_out<'py, T: Copy>(
    py: Python<'py>,
    v: &[T],
    to_le: impl Fn(T, &mut Vec<u8>),
) -> Bound<'py, PyByteArray> {
    let mut buf = Vec::with_capacity(std::mem::size_of_val(v));
    for &x in v {
        to_le(x, &mut buf);
    }
    PyByteArray::new(py, &buf)
}

/// `bands × rows` when both are given, `None` (chosen from the threshold) when neither is.
fn band_params(bands: Option<usize>, rows: Option<usize>) -> PyResult<Option<(usize, usize)>> {
    match (bands, rows) {
        (Some(b), Some(r)) => Ok(Some((b, r))),
        (None, None) => Ok(None),
        _ => Err(PyValueError::new_err(
            "give both bands and rows, or neither",
        )),
    }
}

pub(crate) fn f64_out<'py>(py: Python<'py>, v: &[f64]) -> Bound<'py, PyByteArray> {
    bytes_out(py, v, |x, b| b.extend_from_slice(&x.to_le_bytes()))
}

fn u32_from(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn scorer(method: &str, unit: &str, ngram: usize, profile: Option<&str>) -> PyResult<Scorer> {
    let m = Method::parse(method).map_err(to_py)?;
    Scorer::new(m, Unit::parse(unit).map_err(to_py)?, ngram, profile).map_err(to_py)
}

fn with_idf(s: Scorer, corpus: Option<&Texts>, n: usize) -> PyResult<Scorer> {
    let Some(corpus) = corpus else { return Ok(s) };
    let views = corpus.views();
    let counts: Vec<_> = map_chunks(&views, n, |c| {
        c.iter()
            .flatten()
            .map(|t| s.term_counts(t))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    s.with_idf(Idf::fit(counts.iter())).map_err(to_py)
}

fn prepare_all(s: &Scorer, views: &[Option<&str>], n: usize) -> Vec<Option<Prepared>> {
    map_chunks(views, n, |c| {
        c.iter()
            .map(|v| v.map(|t| s.prepare(t)))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// What every pairwise scorer reads first: the thread count, the scorer, both columns
/// and the optional tf-idf corpus.
struct ScoringInputs {
    n: usize,
    scorer: Scorer,
    left: Texts,
    right: Texts,
    corpus: Option<Texts>,
}

#[allow(clippy::too_many_arguments)]
fn scoring_inputs(
    left: &Bound<'_, PyAny>,
    right: &Bound<'_, PyAny>,
    method: &str,
    unit: &str,
    ngram: usize,
    profile: Option<&str>,
    idf_corpus: Option<&Bound<'_, PyAny>>,
    n: usize,
) -> PyResult<ScoringInputs> {
    Ok(ScoringInputs {
        n,
        scorer: scorer(method, unit, ngram, profile)?,
        left: Texts::extract(left, Errors::Strict)?,
        right: Texts::extract(right, Errors::Strict)?,
        corpus: idf_corpus
            .map(|c| Texts::extract(c, Errors::Strict))
            .transpose()?,
    })
}

/// Row-wise scores of two equally long columns (NaN where either is missing).
#[pyfunction]
#[pyo3(signature = (a, b, *, method, unit, ngram, profile, idf_corpus = None, n_threads = 1))]
#[allow(clippy::too_many_arguments)]
fn _similarity_pairs<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    method: &str,
    unit: &str,
    ngram: usize,
    profile: Option<&str>,
    idf_corpus: Option<&Bound<'py, PyAny>>,
    n_threads: i64,
) -> PyResult<Bound<'py, PyByteArray>> {
    let ScoringInputs {
        n,
        scorer: s,
        left: ta,
        right: tb,
        corpus,
    } = scoring_inputs(
        a,
        b,
        method,
        unit,
        ngram,
        profile,
        idf_corpus,
        threads(n_threads)?,
    )?;
    let (va, vb) = (ta.views(), tb.views());
    if va.len() != vb.len() {
        return Err(PyValueError::new_err(format!(
            "a and b differ in length: {} and {}",
            va.len(),
            vb.len()
        )));
    }
    let scores: Vec<f64> = py.detach(|| -> PyResult<Vec<f64>> {
        let s = with_idf(s, corpus.as_ref(), n)?;
        let pairs: Vec<(Option<&str>, Option<&str>)> = va.into_iter().zip(vb).collect();
        Ok(map_chunks(&pairs, n, |c| {
            c.iter()
                .map(|p| match p {
                    (Some(x), Some(y)) => s.similarity(x, y),
                    _ => f64::NAN,
                })
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect())
    })?;
    Ok(f64_out(py, &scores))
}

/// The machine's memory in bytes (`MemTotal`), read once; unknown: no limit.
fn memory_bytes() -> usize {
    static TOTAL: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *TOTAL.get_or_init(|| {
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                let line = m.lines().find(|l| l.starts_with("MemTotal:"))?;
                let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
                kib.checked_mul(1024)
            })
            .unwrap_or(isize::MAX as usize)
    })
}

/// The size in bytes of a result of `dims` values of `value_bytes` each, or a
/// `MemoryError` naming it when it cannot fit in this machine's memory: checked before
/// anything is allocated, so a huge request is an error, never an abort.
fn result_bytes(what: &str, dims: &[usize], value_bytes: usize) -> PyResult<usize> {
    let bytes = dims
        .iter()
        .try_fold(value_bytes, |acc, &d| acc.checked_mul(d))
        .filter(|&b| b <= isize::MAX as usize);
    let limit = memory_bytes();
    match bytes {
        Some(b) if b <= limit => Ok(b),
        _ => {
            let shape: Vec<String> = dims.iter().map(usize::to_string).collect();
            let need = dims
                .iter()
                .fold(value_bytes as f64, |acc, &d| acc * d as f64);
            Err(PyMemoryError::new_err(format!(
                "{what} of {} values needs {:.1} GB, more than this machine's memory ({:.1} GB)",
                shape.join(" × "),
                need / 1e9,
                limit as f64 / 1e9
            )))
        }
    }
}

/// A new C-contiguous numpy array of `shape` and `dtype`, its contents uninitialised,
/// for a kernel to fill in place (checked against the machine's memory first).
fn numpy_empty<'py, T: Element>(
    py: Python<'py>,
    what: &str,
    shape: &[usize],
    dtype: &str,
) -> PyResult<(Bound<'py, PyAny>, PyBuffer<T>)> {
    result_bytes(what, shape, std::mem::size_of::<T>())?;
    let np = py.import("numpy")?;
    let arr = np
        .getattr("empty")?
        .call1((PyTuple::new(py, shape)?, dtype))?;
    let buf = PyBuffer::<T>::get(&arr)?;
    Ok((arr, buf))
}

/// The data of an array made by [`numpy_empty`], writable from Rust.
///
/// # Safety
/// `buf` views an array nobody else holds yet (just made by [`numpy_empty`] and not
/// returned), and the slice is dropped before the array is handed to Python.
unsafe fn data_mut<T: Element>(buf: &mut PyBuffer<T>) -> PyResult<&mut [T]> {
    let ptr = buf
        .as_slice_ptr()
        .filter(|_| !buf.readonly())
        .ok_or_else(|| PyValueError::new_err("numpy.empty gave a non-contiguous array"))?;
    // SAFETY: numpy.empty gives a writable, C-contiguous, aligned buffer of
    // `item_count` elements (`PyBuffer::get` checked the element type and alignment),
    // alive as long as `buf`; the caller guarantees nothing else reads or writes it.
    Ok(unsafe { &mut *ptr.as_ptr() })
}

/// The `len(queries) × len(choices)` score matrix as a numpy array (float32 or float64),
/// filled in place; half of it is scored when both arguments are the same object and
/// the method is symmetric.
#[pyfunction]
#[pyo3(signature = (queries, choices, *, method, unit, ngram, profile, idf_corpus = None, float32 = false, workers = 1))]
#[allow(clippy::too_many_arguments)]
fn _cdist<'py>(
    py: Python<'py>,
    queries: &Bound<'py, PyAny>,
    choices: &Bound<'py, PyAny>,
    method: &str,
    unit: &str,
    ngram: usize,
    profile: Option<&str>,
    idf_corpus: Option<&Bound<'py, PyAny>>,
    float32: bool,
    workers: i64,
) -> PyResult<Bound<'py, PyAny>> {
    let same = queries.is(choices);
    let ScoringInputs {
        n,
        scorer: s,
        left: tq,
        right: tc,
        corpus,
    } = scoring_inputs(
        queries,
        choices,
        method,
        unit,
        ngram,
        profile,
        idf_corpus,
        threads_named(workers, "workers")?,
    )?;
    let (vq, vc) = (tq.views(), tc.views());
    let shape = [vq.len(), vc.len()];
    fn fill<T: Element + Score>(
        py: Python<'_>,
        shape: [usize; 2],
        fill: impl FnOnce(&mut [T]) -> PyResult<()> + Send,
    ) -> PyResult<Bound<'_, PyAny>> {
        let dtype = if std::mem::size_of::<T>() == 4 {
            "float32"
        } else {
            "float64"
        };
        let (arr, mut buf) = numpy_empty::<T>(py, "a cdist result", &shape, dtype)?;
        // SAFETY: `arr` was just made and is returned only after `out` is dropped.
        let out = unsafe { data_mut(&mut buf) }?;
        py.detach(|| fill(out))?;
        drop(buf);
        Ok(arr)
    }
    let score = |s: Scorer| -> PyResult<(Scorer, Vec<Option<Prepared>>)> {
        let s = with_idf(s, corpus.as_ref(), n)?;
        let prepared = prepare_all(&s, &vc, n);
        Ok((s, prepared))
    };
    if float32 {
        fill::<f32>(py, shape, |out| {
            let (s, prepared) = score(s)?;
            cdist_into(&s, &vq, &prepared, same, out, &Pool(n)).map_err(to_py)
        })
    } else {
        fill::<f64>(py, shape, |out| {
            let (s, prepared) = score(s)?;
            cdist_into(&s, &vq, &prepared, same, out, &Pool(n)).map_err(to_py)
        })
    }
}

/// For each query, the `k` best choices as numpy arrays (indices int64, scores
/// float64), `-1` / NaN padding when fewer than `k` choices score.
#[pyfunction]
#[pyo3(signature = (queries, choices, *, k, method, unit, ngram, profile, idf_corpus = None, workers = 1))]
#[allow(clippy::too_many_arguments)]
fn _top_k<'py>(
    py: Python<'py>,
    queries: &Bound<'py, PyAny>,
    choices: &Bound<'py, PyAny>,
    k: usize,
    method: &str,
    unit: &str,
    ngram: usize,
    profile: Option<&str>,
    idf_corpus: Option<&Bound<'py, PyAny>>,
    workers: i64,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let ScoringInputs {
        n,
        scorer: s,
        left: tq,
        right: tc,
        corpus,
    } = scoring_inputs(
        queries,
        choices,
        method,
        unit,
        ngram,
        profile,
        idf_corpus,
        threads_named(workers, "workers")?,
    )?;
    let (vq, vc) = (tq.views(), tc.views());
    // Indices (i64) and scores (f64) together: 16 bytes per query and rank.
    result_bytes("a top_k row", &[k], 16)?;
    result_bytes("a top_k result", &[vq.len(), k], 16)?;
    let (idx, mut idx_buf) = numpy_empty::<i64>(py, "a top_k result", &[vq.len(), k], "int64")?;
    let (sc, mut sc_buf) = numpy_empty::<f64>(py, "a top_k result", &[vq.len(), k], "float64")?;
    {
        // SAFETY: both arrays were just made and are returned only after these drop.
        let (idx_out, sc_out) = unsafe { (data_mut(&mut idx_buf)?, data_mut(&mut sc_buf)?) };
        py.detach(|| -> PyResult<()> {
            let s = with_idf(s, corpus.as_ref(), n)?;
            let prepared = prepare_all(&s, &vc, n);
            top_k_into(&s, &vq, &prepared, k, idx_out, sc_out, &Pool(n)).map_err(to_py)
        })?;
    }
    drop(idx_buf);
    drop(sc_buf);
    Ok((idx, sc))
}

/// MinHash signatures of a column (see `misfat.MinHasher`).
#[pyclass(frozen, subclass, module = "misfat._core", name = "MinHasher")]
pub struct MinHasher {
    core: CoreMinHasher,
    unit: Unit,
    profile: Option<String>,
}

#[pymethods]
impl MinHasher {
    #[new]
    // The text signature spells `profile`'s default (pyo3 would show `...` for `Some`).
    #[pyo3(
        signature = (num_perm = 128, ngram = 3, unit = "word", seed = 1, profile = Some("search")),
        text_signature = "(num_perm=128, ngram=3, unit='word', seed=1, profile='search')"
    )]
    fn new(
        num_perm: usize,
        ngram: usize,
        unit: &str,
        seed: u64,
        profile: Option<&str>,
    ) -> PyResult<Self> {
        let u = Unit::parse(unit).map_err(to_py)?;
        Ok(MinHasher {
            core: CoreMinHasher::new(num_perm, u, ngram, seed, profile).map_err(to_py)?,
            unit: u,
            profile: profile.map(str::to_owned),
        })
    }

    #[getter]
    fn num_perm(&self) -> usize {
        self.core.num_perm
    }
    #[getter]
    fn ngram(&self) -> usize {
        self.core.shingler().ngram
    }
    #[getter]
    fn unit(&self) -> &'static str {
        self.unit.name()
    }
    #[getter]
    fn seed(&self) -> u64 {
        self.core.seed
    }
    #[getter]
    fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    /// Row-major u32 signatures (missing rows: all 0xFFFFFFFF, like empty texts).
    #[pyo3(signature = (texts, *, n_threads = 1))]
    fn _signatures<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        n_threads: i64,
    ) -> PyResult<Bound<'py, PyByteArray>> {
        let n = threads(n_threads)?;
        let t = Texts::extract(texts, Errors::Strict)?;
        let views = t.views();
        let k = self.core.num_perm;
        let core = &self.core;
        let buf: Vec<u8> = py.detach(|| {
            map_chunks(&views, n, |c| {
                let mut scratch = Scratch::default();
                let mut sig = vec![0u32; k];
                let mut out = Vec::with_capacity(c.len() * k * 4);
                for v in c {
                    match v {
                        Some(t) => core.signature_into(t, &mut scratch, &mut sig),
                        None => sig.fill(u32::MAX),
                    }
                    for x in &sig {
                        out.extend_from_slice(&x.to_le_bytes());
                    }
                }
                out
            })
            .concat()
        });
        Ok(PyByteArray::new(py, &buf))
    }

    fn __getnewargs__(&self) -> (usize, usize, &'static str, u64, Option<&str>) {
        (
            self.num_perm(),
            self.ngram(),
            self.unit(),
            self.core.seed,
            self.profile(),
        )
    }

    fn __repr__(&self) -> String {
        let profile = match &self.profile {
            Some(p) => format!("'{p}'"),
            None => "None".to_owned(),
        };
        format!(
            "MinHasher(num_perm={}, ngram={}, unit='{}', seed={}, profile={profile})",
            self.num_perm(),
            self.ngram(),
            self.unit(),
            self.core.seed,
        )
    }
}

/// `bands` u64 keys per signature row (row-major bytes).
#[pyfunction]
#[pyo3(signature = (signatures, num_perm, bands, rows, *, n_threads = 1))]
fn _band_keys<'py>(
    py: Python<'py>,
    signatures: &Bound<'py, PyBytes>,
    num_perm: usize,
    bands: usize,
    rows: usize,
    n_threads: i64,
) -> PyResult<Bound<'py, PyByteArray>> {
    let n = threads(n_threads)?;
    check_bands(num_perm, bands, rows).map_err(to_py)?;
    let data = signatures.as_bytes();
    if data.len() % (num_perm * 4) != 0 {
        return Err(PyValueError::new_err(
            "signature bytes are not a whole number of rows",
        ));
    }
    let buf: Vec<u8> = py.detach(|| {
        let rows_bytes: Vec<&[u8]> = data.chunks_exact(num_perm * 4).collect();
        map_chunks(&rows_bytes, n, |c| {
            let mut keys = Vec::with_capacity(c.len() * bands);
            for r in c {
                band_keys_into(&u32_from(r), bands, rows, &mut keys);
            }
            keys.iter()
                .flat_map(|k| k.to_le_bytes())
                .collect::<Vec<u8>>()
        })
        .concat()
    });
    Ok(PyByteArray::new(py, &buf))
}

/// `(bands, rows)` for a threshold (datasketch's weighted error criterion).
#[pyfunction]
#[pyo3(signature = (threshold, num_perm, fp_weight = 0.5, fn_weight = 0.5))]
fn _lsh_params(
    threshold: f64,
    num_perm: usize,
    fp_weight: f64,
    fn_weight: f64,
) -> PyResult<(usize, usize)> {
    optimal_params(threshold, num_perm, fp_weight, fn_weight).map_err(to_py)
}

fn key_of(obj: &Bound<'_, PyAny>) -> PyResult<Key> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Key::Str(s.to_str()?.to_owned()));
    }
    // Python ints and integer scalars that say they are one (`__index__`: numpy's np.int64
    // and friends, so `insert_many(df.index, ...)` works); never bools (numpy's refuse
    // `__index__`), which would silently become keys 0 and 1.
    if !obj.is_instance_of::<pyo3::types::PyBool>() {
        if let Ok(int) = obj.call_method0(pyo3::intern!(obj.py(), "__index__")) {
            return int.extract::<i64>().map(Key::Int).map_err(|_| {
                PyValueError::new_err(format!("int keys must fit in 64 bits (signed), got {int}"))
            });
        }
    }
    Err(PyTypeError::new_err(format!(
        "keys must be str or int (64-bit), got {}",
        obj.get_type().name()?
    )))
}

fn key_py<'py>(py: Python<'py>, k: &Key) -> PyResult<Bound<'py, PyAny>> {
    Ok(match k {
        Key::Int(i) => i.into_pyobject(py)?.into_any(),
        Key::Str(s) => PyString::new(py, s).into_any(),
    })
}

/// A list of keys, allocated once at its final length.
fn keys_list<'py>(py: Python<'py>, keys: &[Key]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(
        py,
        keys.iter()
            .map(|k| key_py(py, k))
            .collect::<PyResult<Vec<_>>>()?,
    )
}

/// A banded LSH index over MinHash signatures (see `misfat.LSHIndex`).
///
/// Lock discipline: the lock is only ever taken with the interpreter detached
/// (`py.detach`), and released before any Python object is created. Waiting for a lock
/// with the GIL held, or creating objects (which can run the garbage collector and its
/// callbacks, i.e. any Python code) while holding one, deadlocks against another thread.
#[pyclass(frozen, subclass, module = "misfat._core", name = "LSHIndex")]
pub struct LSHIndex {
    inner: RwLock<LshIndex>,
}

impl LSHIndex {
    /// Runs `f` under the read lock, taken and held only while detached.
    fn with_read<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&LshIndex) -> R + Send) -> R {
        py.detach(|| f(&self.inner.read().unwrap_or_else(|e| e.into_inner())))
    }

    /// [`Self::with_read`] for work of a few microseconds (one query): when the lock is
    /// free it is taken without detaching (releasing the GIL would cost more than the
    /// work); `f` is pure Rust, so no Python runs while the lock is held, and a busy lock
    /// is still waited for detached.
    fn with_read_brief<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&LshIndex) -> R + Send) -> R {
        match self.inner.try_read() {
            Ok(g) => f(&g),
            Err(std::sync::TryLockError::Poisoned(e)) => f(&e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => self.with_read(py, f),
        }
    }

    /// Runs `f` under the write lock, taken and held only while detached.
    fn with_write<R: Send>(&self, py: Python<'_>, f: impl FnOnce(&mut LshIndex) -> R + Send) -> R {
        py.detach(|| f(&mut self.inner.write().unwrap_or_else(|e| e.into_inner())))
    }
}

/// Queries of at most this many signature bytes (four rows of 128 values) run without
/// releasing the GIL.
const BRIEF_QUERY_BYTES: usize = 4 * 128 * 4;

#[pymethods]
impl LSHIndex {
    #[new]
    #[pyo3(signature = (threshold = 0.5, num_perm = 128, bands = None, rows = None))]
    fn new(
        threshold: f64,
        num_perm: usize,
        bands: Option<usize>,
        rows: Option<usize>,
    ) -> PyResult<Self> {
        let params = band_params(bands, rows)?;
        Ok(LSHIndex {
            inner: RwLock::new(LshIndex::new(threshold, num_perm, params).map_err(to_py)?),
        })
    }

    #[getter]
    fn threshold(&self, py: Python<'_>) -> f64 {
        self.with_read(py, |g| g.threshold)
    }
    #[getter]
    fn num_perm(&self, py: Python<'_>) -> usize {
        self.with_read(py, |g| g.num_perm)
    }
    #[getter]
    fn bands(&self, py: Python<'_>) -> usize {
        self.with_read(py, |g| g.bands)
    }
    #[getter]
    fn rows(&self, py: Python<'_>) -> usize {
        self.with_read(py, |g| g.rows)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.with_read(py, |g| g.len())
    }

    fn __contains__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        let key = key_of(key)?;
        Ok(self.with_read(py, |g| g.contains(&key)))
    }

    /// Inserts `keys[i]` with signature row `i` (u32 row-major bytes).
    fn _insert(
        &self,
        py: Python<'_>,
        keys: &Bound<'_, PyList>,
        signatures: &Bound<'_, PyBytes>,
    ) -> PyResult<()> {
        let keys: Vec<Key> = keys.iter().map(|k| key_of(&k)).collect::<PyResult<_>>()?;
        let data = signatures.as_bytes();
        let (num_perm, bands, rows) = self.with_read(py, |g| (g.num_perm, g.bands, g.rows));
        if Some(data.len()) != keys.len().checked_mul(num_perm * 4) {
            return Err(PyValueError::new_err(format!(
                "expected {} signatures of num_perm = {num_perm} values",
                keys.len()
            )));
        }
        let bk: Vec<u64> = py.detach(|| {
            let mut out = Vec::with_capacity(keys.len() * bands);
            for r in data.chunks_exact(num_perm * 4) {
                band_keys_into(&u32_from(r), bands, rows, &mut out);
            }
            out
        });
        self.with_write(py, move |g| -> Result<(), String> {
            // Another thread may have loaded an index of other parameters meanwhile.
            if (g.num_perm, g.bands, g.rows) != (num_perm, bands, rows) {
                return Err("the index was replaced during the insert; try again".into());
            }
            g.insert_many(keys, &bk).map_err(|e| e.to_string())
        })
        .map_err(PyValueError::new_err)
    }

    /// The hits of one signature given as a 1-D buffer of `num_perm` native uint32
    /// values (a row of `MinHasher.signatures`), or `None` for any other input, which
    /// the Python side checks and converts. One call, no intermediate bytes.
    fn _query_row<'py>(
        &self,
        py: Python<'py>,
        signature: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyList>>> {
        let Ok(buf) = PyBuffer::<u32>::get(signature) else {
            return Ok(None);
        };
        // pyo3 accepts any byte order of a 4-byte unsigned format; only native order
        // can be read as it is (a '>u4' row goes through the converting path).
        let native = match buf.format().to_bytes() {
            [b'@' | b'=', t] | [t] => matches!(t, b'I' | b'L'),
            [b'<', t] => cfg!(target_endian = "little") && matches!(t, b'I' | b'L'),
            _ => false,
        };
        if !native || buf.dimensions() != 1 {
            return Ok(None);
        }
        let mut sig = vec![0u32; buf.item_count()];
        buf.copy_to_slice(py, &mut sig)?;
        drop(buf);
        let hits = self.with_read_brief(py, |g| -> Option<Vec<Key>> {
            let mut docs = Vec::new();
            g.query_docs(&sig, &mut docs).ok()?;
            Some(docs.iter().map(|&d| g.keys()[d as usize].clone()).collect())
        });
        // A wrong length falls back to the Python path and its error message.
        hits.map(|h| keys_list(py, &h)).transpose()
    }

    /// Keys of the documents sharing a band with each signature row (u32 row-major
    /// bytes), one list per row.
    fn _query<'py>(
        &self,
        py: Python<'py>,
        signatures: &Bound<'py, PyBytes>,
    ) -> PyResult<Bound<'py, PyList>> {
        let data = signatures.as_bytes();
        // The hits are copied out under the lock (keys of all rows in one vector, with
        // each row's end); Python objects are made after it.
        let query = |g: &LshIndex| -> Result<(Vec<Key>, Vec<usize>), String> {
            if data.is_empty() || data.len() % (g.num_perm * 4) != 0 {
                return Err(format!(
                    "signatures must have num_perm = {} values per row",
                    g.num_perm
                ));
            }
            let rows = data.len() / (g.num_perm * 4);
            let (mut keys, mut ends) = (Vec::new(), Vec::with_capacity(rows));
            let (mut sig, mut docs) = (vec![0u32; g.num_perm], Vec::new());
            for r in data.chunks_exact(g.num_perm * 4) {
                for (v, c) in sig.iter_mut().zip(r.chunks_exact(4)) {
                    *v = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                }
                g.query_docs(&sig, &mut docs).map_err(|e| e.to_string())?;
                keys.extend(docs.iter().map(|&d| g.keys()[d as usize].clone()));
                ends.push(keys.len());
            }
            Ok((keys, ends))
        };
        // A few rows are brief work; a batch releases the GIL while it runs.
        let (keys, ends) = if data.len() <= BRIEF_QUERY_BYTES {
            self.with_read_brief(py, query)
        } else {
            self.with_read(py, query)
        }
        .map_err(PyValueError::new_err)?;
        let mut start = 0;
        let rows = ends.iter().map(|&end| {
            let row = keys_list(py, &keys[start..end]);
            start = end;
            row
        });
        PyList::new(py, rows.collect::<PyResult<Vec<_>>>()?)
    }

    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let keys = self.with_read(py, |g| g.keys().to_vec());
        let out = PyList::empty(py);
        for k in &keys {
            out.append(key_py(py, k)?)?;
        }
        Ok(out)
    }

    /// Versioned bytes (`LSHIndex.from_bytes` reads them back, validating).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let b = self.with_read(py, |g| g.to_bytes());
        PyBytes::new(py, &b)
    }

    /// Replaces the contents with an index read from `data` (validated first).
    fn _load(&self, py: Python<'_>, data: &Bound<'_, PyBytes>) -> PyResult<()> {
        let bytes = data.as_bytes();
        let idx = py.detach(|| LshIndex::from_bytes(bytes)).map_err(to_py)?;
        self.with_write(py, |g| *g = idx);
        Ok(())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let (threshold, num_perm, bands, rows, len) =
            self.with_read(py, |g| (g.threshold, g.num_perm, g.bands, g.rows, g.len()));
        format!(
            "LSHIndex(threshold={threshold}, num_perm={num_perm}, bands={bands}, rows={rows}) \
             with {len} documents"
        )
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_similarity_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(_cdist, m)?)?;
    m.add_function(wrap_pyfunction!(_top_k, m)?)?;
    m.add_function(wrap_pyfunction!(_band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(_lsh_params, m)?)?;
    m.add_class::<MinHasher>()?;
    m.add_class::<LSHIndex>()?;
    m.add("SIMILARITY_METHODS", Method::NAMES.to_vec())?;
    Ok(())
}
