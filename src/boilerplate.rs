//! Boilerplate stripping: glue around `misfat_core::boilerplate` (extract, release the GIL,
//! map errors). No rules live here.

use crate::errors::to_py;
use crate::io::{text_output, Errors, TextColumn, Texts};
use crate::pool::{map_chunks, threads};
use misfat_core::boilerplate::{
    Aggressiveness, CorpusModel, Line, ModelBuilder, ModelOptions, Options, Stripper,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString, PyTuple};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

fn stripper(keep_titles: bool, keep_captions: bool, aggressiveness: &str) -> PyResult<Stripper> {
    Ok(Stripper::new(Options {
        keep_titles,
        keep_captions,
        aggressiveness: Aggressiveness::parse(aggressiveness).map_err(to_py)?,
    }))
}

/// Per-row sites: `None`, one `str` for every row, or a list aligned with the rows.
enum Sites {
    None,
    One(String),
    Each(Vec<Option<String>>),
}

impl Sites {
    fn extract(sites: Option<&Bound<'_, PyAny>>, rows: usize) -> PyResult<Self> {
        let Some(obj) = sites.filter(|s| !s.is_none()) else {
            return Ok(Sites::None);
        };
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Sites::One(s.to_str()?.to_owned()));
        }
        let list = obj.cast::<PyList>().map_err(|_| {
            PyTypeError::new_err("sites must be None, a str, or a list with one site per row")
        })?;
        if list.len() != rows {
            return Err(PyValueError::new_err(format!(
                "sites has {} elements but there are {rows} texts",
                list.len()
            )));
        }
        let mut out = Vec::with_capacity(rows);
        for (i, item) in list.iter().enumerate() {
            if let Ok(s) = item.cast::<PyString>() {
                out.push(Some(s.to_str()?.to_owned()));
            } else if crate::io::is_missing(&item)? {
                out.push(None);
            } else {
                return Err(PyTypeError::new_err(format!(
                    "sites element {i} has type {}; expected str or None",
                    item.get_type().name()?
                )));
            }
        }
        Ok(Sites::Each(out))
    }

    fn get(&self, i: usize) -> Option<&str> {
        match self {
            Sites::None => None,
            Sites::One(s) => Some(s),
            Sites::Each(v) => v[i].as_deref(),
        }
    }
}

/// Strips a list of str (or an Arrow string array); same shape back. With
/// `return_removed`, a list of `(text, removed_lines)` tuples (missing rows as given).
#[pyfunction]
#[pyo3(signature = (
    data, *, keep_titles = true, keep_captions = false, aggressiveness = "normal",
    model = None, sites = None, n_threads = 1, errors = "strict", return_removed = false
))]
#[allow(clippy::too_many_arguments)]
pub fn _strip_batch<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    keep_titles: bool,
    keep_captions: bool,
    aggressiveness: &str,
    model: Option<PyRef<'py, BoilerplateModel>>,
    sites: Option<&Bound<'py, PyAny>>,
    n_threads: i64,
    errors: &str,
    return_removed: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let s = stripper(keep_titles, keep_captions, aggressiveness)?;
    let texts = Texts::extract(data, Errors::parse(errors)?)?;
    let (col, removed) = strip_texts(py, &texts, &s, model, sites, n_threads)?;
    if !return_removed {
        return text_output(py, &texts, col);
    }
    let out = PyList::empty(py);
    for (i, r) in removed.iter().enumerate() {
        match col.get(i) {
            Some(text) => out.append((text, *r))?,
            None => out.append(texts.missing_object(py, i))?,
        }
    }
    Ok(out.into_any())
}

/// Strips a list of str or an Arrow string array: the stripped texts in the same shape
/// and the removed-line count of every row (0 for a missing one) as little-endian `u32`,
/// so a column stays in Arrow from end to end (the corpus job).
#[pyfunction]
#[pyo3(signature = (
    data, *, keep_titles = true, keep_captions = false, aggressiveness = "normal",
    model = None, sites = None, n_threads = 1, errors = "strict"
))]
#[allow(clippy::too_many_arguments)]
pub fn _strip_counted<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    keep_titles: bool,
    keep_captions: bool,
    aggressiveness: &str,
    model: Option<PyRef<'py, BoilerplateModel>>,
    sites: Option<&Bound<'py, PyAny>>,
    n_threads: i64,
    errors: &str,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyByteArray>)> {
    let s = stripper(keep_titles, keep_captions, aggressiveness)?;
    let texts = Texts::extract(data, Errors::parse(errors)?)?;
    let (col, removed) = strip_texts(py, &texts, &s, model, sites, n_threads)?;
    let counts: Vec<u8> = removed
        .iter()
        .flat_map(|&r| u32::try_from(r).unwrap_or(u32::MAX).to_le_bytes())
        .collect();
    Ok((text_output(py, &texts, col)?, PyByteArray::new(py, &counts)))
}

/// Strips extracted texts with the GIL released (see [`strip_rows`]).
fn strip_texts(
    py: Python<'_>,
    texts: &Texts,
    s: &Stripper,
    model: Option<PyRef<'_, BoilerplateModel>>,
    sites: Option<&Bound<'_, PyAny>>,
    n_threads: i64,
) -> PyResult<(TextColumn, Vec<usize>)> {
    let n = threads(n_threads)?;
    let views = texts.views();
    let sites = Sites::extract(sites, views.len())?;
    let model = model.map(|m| m.core.clone());
    let rows: Vec<(Option<&str>, Option<&str>)> = views
        .iter()
        .enumerate()
        .map(|(i, v)| (*v, sites.get(i)))
        .collect();
    Ok(py.detach(|| strip_rows(&rows, n, s, model.as_deref())))
}

/// Strips every present row on `n` threads: the kept text and the removed-line count.
fn strip_rows(
    rows: &[(Option<&str>, Option<&str>)],
    n: usize,
    s: &Stripper,
    model: Option<&CorpusModel>,
) -> (TextColumn, Vec<usize>) {
    let parts = map_chunks(rows, n, |chunk| {
        let bytes: usize = chunk.iter().map(|r| r.0.map_or(0, str::len)).sum();
        let mut col = TextColumn {
            data: String::with_capacity(bytes),
            offsets: Vec::with_capacity(chunk.len() + 1),
            valid: Vec::with_capacity(chunk.len()),
        };
        let mut removed = Vec::with_capacity(chunk.len());
        col.offsets.push(0);
        for (text, site) in chunk {
            let r = text.map_or(0, |t| s.strip_into(t, model, *site, &mut col.data));
            col.offsets.push(col.data.len());
            col.valid.push(text.is_some());
            removed.push(r);
        }
        (col, removed)
    });
    let mut out = TextColumn {
        data: String::new(),
        offsets: vec![0],
        valid: Vec::new(),
    };
    let mut removed = Vec::with_capacity(rows.len());
    for (p, r) in parts {
        let base = out.data.len();
        out.data.push_str(&p.data);
        out.offsets.extend(p.offsets[1..].iter().map(|o| o + base));
        out.valid.extend(p.valid);
        removed.extend(r);
    }
    (out, removed)
}

/// The lines of every page of a list of str (or an Arrow string array) with their verdicts,
/// in one call (one page: a list of one): the columns `(page, line, kept, reason, start,
/// end, text)`, one entry per line, `page` the page's position, `start`/`end` in
/// characters; a missing page has no lines.
#[pyfunction]
#[pyo3(signature = (
    data, *, keep_titles = true, keep_captions = false, aggressiveness = "normal",
    model = None, sites = None
))]
pub fn _classify_batch<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    keep_titles: bool,
    keep_captions: bool,
    aggressiveness: &str,
    model: Option<PyRef<'py, BoilerplateModel>>,
    sites: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let s = stripper(keep_titles, keep_captions, aggressiveness)?;
    let texts = Texts::extract(data, Errors::Strict)?;
    let views = texts.views();
    let sites = Sites::extract(sites, views.len())?;
    let model = model.map(|m| m.core.clone());
    let pages: Vec<Vec<Line>> = py.detach(|| {
        views
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.map_or_else(Vec::new, |t| s.classify(t, model.as_deref(), sites.get(i)))
            })
            .collect()
    });
    let n = pages.iter().map(Vec::len).sum();
    let mut page = Vec::with_capacity(n);
    let mut line = Vec::with_capacity(n);
    let mut kept = Vec::with_capacity(n);
    let mut reason = Vec::with_capacity(n);
    let mut start = Vec::with_capacity(n);
    let mut end = Vec::with_capacity(n);
    let mut text = Vec::with_capacity(n);
    for (i, (lines, view)) in pages.iter().zip(&views).enumerate() {
        let Some(t) = view else { continue };
        for l in lines {
            page.push(i);
            line.push(l.index);
            kept.push(l.kept);
            reason.push(l.reason.as_str());
            start.push(l.char_start);
            end.push(l.char_end);
            text.push(&t[l.start..l.end]);
        }
    }
    PyTuple::new(
        py,
        [
            page.into_pyobject(py)?,
            line.into_pyobject(py)?,
            kept.into_pyobject(py)?,
            reason.into_pyobject(py)?,
            start.into_pyobject(py)?,
            end.into_pyobject(py)?,
            text.into_pyobject(py)?,
        ],
    )
}

/// Lines a site repeats on many pages, learned from a corpus (see `misfat.BoilerplateModel`).
#[pyclass(frozen, subclass, module = "misfat._core", name = "BoilerplateModel")]
pub struct BoilerplateModel {
    core: Arc<CorpusModel>,
}

#[pymethods]
impl BoilerplateModel {
    /// Reads the bytes of `to_bytes()` (validated; a `ValueError` if corrupt), or freezes
    /// the counts of a `_ModelBuilder` (which is then empty): no bytes in between.
    #[new]
    fn new(py: Python<'_>, state: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(builder) = state.cast::<ModelFitter>() {
            let builder = builder.get();
            let model = py.detach(|| builder.take().map(ModelBuilder::build))?;
            return Ok(BoilerplateModel {
                core: Arc::new(model),
            });
        }
        let bytes = state.cast::<PyBytes>().map_err(|_| {
            PyTypeError::new_err(format!(
                "state must be bytes (from to_bytes) or a _ModelBuilder, got {}",
                state
                    .get_type()
                    .name()
                    .map_or_else(|_| "?".into(), |n| n.to_string())
            ))
        })?;
        let bytes = bytes.as_bytes();
        Ok(BoilerplateModel {
            core: Arc::new(
                py.detach(|| CorpusModel::from_bytes(bytes))
                    .map_err(to_py)?,
            ),
        })
    }

    /// A new model with the counts of both (fitted on different partitions).
    fn merge(&self, py: Python<'_>, other: PyRef<'_, BoilerplateModel>) -> PyResult<Self> {
        let (a, b) = (self.core.clone(), other.core.clone());
        let merged = py.detach(|| a.merge(&b)).map_err(to_py)?;
        Ok(BoilerplateModel {
            core: Arc::new(merged),
        })
    }

    /// The versioned binary state (what `save` writes and pickling uses).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let core = self.core.clone();
        let bytes = py.detach(|| core.to_bytes());
        PyBytes::new(py, &bytes)
    }

    /// Writes the model to `path`.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let core = self.core.clone();
        py.detach(|| std::fs::write(&path, core.to_bytes()))?;
        Ok(())
    }

    /// Reads a model written by `save`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let bytes = py.detach(|| std::fs::read(&path))?;
        let model = py
            .detach(|| CorpusModel::from_bytes(&bytes))
            .map_err(to_py)?;
        Ok(BoilerplateModel {
            core: Arc::new(model),
        })
    }

    fn __getnewargs__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, [self.to_bytes(py)])
    }

    #[getter]
    fn min_df(&self) -> u32 {
        self.core.options().min_df
    }

    #[getter]
    fn prose_min_df(&self) -> u32 {
        self.core.options().prose_min_df
    }

    /// Pages the model was fitted on.
    #[getter]
    fn n_pages(&self) -> u64 {
        self.core.n_pages()
    }

    /// Site names (`""` collects pages fitted without a site).
    #[getter]
    fn sites(&self) -> Vec<String> {
        self.core.sites().to_vec()
    }

    /// Distinct (site, line) pairs counted.
    #[getter]
    fn n_entries(&self) -> usize {
        self.core.n_entries()
    }

    /// Distinct (site, line) pairs seen in at least `min_df` stories.
    #[getter]
    fn n_repeated(&self) -> usize {
        self.core.n_repeated()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<BoilerplateModel>()
            .is_ok_and(|o| *o.get().core == *self.core)
    }

    fn __repr__(&self) -> String {
        format!(
            "BoilerplateModel(n_pages={}, sites={}, n_entries={}, n_repeated={}, min_df={}, prose_min_df={})",
            self.core.n_pages(),
            self.core.sites().len(),
            self.core.n_entries(),
            self.core.n_repeated(),
            self.core.options().min_df,
            self.core.options().prose_min_df,
        )
    }
}

/// A running model: pages counted batch by batch (`add`) or whole models absorbed
/// (`absorb`) into one set of counts, then frozen by `BoilerplateModel(builder)`. Nothing
/// is copied, serialized or merged twice on the way.
#[pyclass(frozen, module = "misfat._core", name = "_ModelBuilder")]
pub struct ModelFitter {
    /// `None` once frozen into a model. Locked only while detached from the interpreter.
    core: Mutex<Option<ModelBuilder>>,
}

impl ModelFitter {
    fn with<T>(&self, f: impl FnOnce(&mut ModelBuilder) -> T) -> PyResult<T> {
        let mut guard = self.core.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_mut() {
            Some(b) => Ok(f(b)),
            None => Err(frozen()),
        }
    }

    fn take(&self) -> PyResult<ModelBuilder> {
        let mut guard = self.core.lock().unwrap_or_else(|e| e.into_inner());
        guard.take().ok_or_else(frozen)
    }
}

fn frozen() -> PyErr {
    PyValueError::new_err("this _ModelBuilder was already turned into a BoilerplateModel")
}

#[pymethods]
impl ModelFitter {
    #[new]
    #[pyo3(signature = (*, min_df = 3, prose_min_df = 5))]
    fn new(min_df: u32, prose_min_df: u32) -> PyResult<Self> {
        let b = ModelBuilder::new(ModelOptions {
            min_df,
            prose_min_df,
        })
        .map_err(to_py)?;
        Ok(ModelFitter {
            core: Mutex::new(Some(b)),
        })
    }

    /// Counts a list of page texts (or an Arrow string array) with optional sites into
    /// the running counts; missing texts are skipped.
    #[pyo3(signature = (texts, sites = None, *, n_threads = 1))]
    fn add(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        sites: Option<&Bound<'_, PyAny>>,
        n_threads: i64,
    ) -> PyResult<()> {
        let n = threads(n_threads)?;
        let texts = Texts::extract(texts, Errors::Replace)?;
        let views = texts.views();
        let sites = Sites::extract(sites, views.len())?;
        let rows: Vec<(&str, Option<&str>)> = views
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|t| (t, sites.get(i))))
            .collect();
        py.detach(|| -> PyResult<()> {
            if n == 1 {
                return self.with(|b| {
                    for (text, site) in &rows {
                        b.add(text, *site);
                    }
                });
            }
            let options = self.with(|b| b.options())?;
            // Each thread counts its share of the rows; the shares join the running counts.
            let parts = map_chunks(&rows, n, |chunk| {
                let mut b = ModelBuilder::new(options)?;
                for (text, site) in chunk {
                    b.add(text, *site);
                }
                Ok::<_, misfat_core::CoreError>(b)
            });
            for p in parts {
                let p = p.map_err(to_py)?;
                self.with(|b| b.absorb(p))?.map_err(to_py)?;
            }
            Ok(())
        })
    }

    /// Adds the counts of a fitted model (same options), e.g. a partition's.
    fn absorb(&self, py: Python<'_>, model: PyRef<'_, BoilerplateModel>) -> PyResult<()> {
        let m = model.core.clone();
        py.detach(|| self.with(|b| b.absorb_model(&m)))?
            .map_err(to_py)
    }

    /// Pages counted so far.
    #[getter]
    fn n_pages(&self, py: Python<'_>) -> PyResult<u64> {
        py.detach(|| self.with(|b| b.n_pages()))
    }
}

/// Registers the boilerplate functions and class on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_strip_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_strip_counted, m)?)?;
    m.add_function(wrap_pyfunction!(_classify_batch, m)?)?;
    m.add_class::<BoilerplateModel>()?;
    m.add_class::<ModelFitter>()?;
    m.add("AGGRESSIVENESS", Aggressiveness::NAMES.to_vec())?;
    m.add(
        "REASONS",
        misfat_core::boilerplate::Reason::ALL
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
    )?;
    Ok(())
}
