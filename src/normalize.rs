//! `Normalizer`: the Python face of `misfat_core::normalize`.

use crate::errors::to_py;
use crate::io::{text_output_parts, Errors, TextColumn, Texts};
use crate::pool::threads;
use misfat_core::normalize::{Normalizer as Core, Options};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple};
use std::sync::Arc;

/// A compiled, immutable normalizer (see `misfat.Normalizer`).
#[pyclass(frozen, subclass, module = "misfat._core", name = "Normalizer")]
pub struct Normalizer {
    profile: String,
    core: Arc<Core>,
}

#[pymethods]
impl Normalizer {
    #[new]
    #[pyo3(signature = (profile = "search", **options))]
    fn new(profile: &str, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut overrides = Vec::new();
        if let Some(options) = options {
            for (key, value) in options.iter() {
                let key = key.cast::<PyString>()?.to_str()?.to_owned();
                let flag = value.cast::<PyBool>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "option {key:?} must be True or False, got {}",
                        value
                            .get_type()
                            .name()
                            .map_or("?".into(), |n| n.to_string())
                    ))
                })?;
                overrides.push((key, flag.is_true()));
            }
        }
        let overrides: Vec<(&str, bool)> =
            overrides.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let o = Options::with_overrides(profile, &overrides).map_err(to_py)?;
        Ok(Normalizer {
            profile: profile.to_owned(),
            core: Arc::new(Core::new(o)),
        })
    }

    /// The profile this normalizer started from.
    #[getter]
    fn profile(&self) -> &str {
        &self.profile
    }

    /// Every option and whether it is on.
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in self.core.options().items() {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Normalizes a list of str (or an Arrow string array); same shape back.
    #[pyo3(signature = (data, *, n_threads = 1, errors = "strict"))]
    fn _normalize_batch<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        n_threads: i64,
        errors: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let n = threads(n_threads)?;
        let texts = Texts::extract(data, Errors::parse(errors)?)?;
        let core = &*self.core;
        let parts = py.detach(|| {
            let parts = TextColumn::map_parts(&texts.views(), n, |s, out| {
                core.normalize_into(s, out, None)
            });
            // Arrow output keeps one chunk per thread; a list needs them joined.
            match texts {
                Texts::List { .. } => vec![TextColumn::concat(parts, n)],
                Texts::Arrow(_) => parts,
            }
        });
        text_output_parts(py, &texts, parts, n)
    }

    /// Like `_normalize_batch` on a list, each present row giving `(text, offsets)`.
    #[pyo3(signature = (data, *, n_threads = 1, errors = "strict"))]
    fn _normalize_offsets<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        n_threads: i64,
        errors: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let n = threads(n_threads)?;
        let texts = Texts::extract(data, Errors::parse(errors)?)?;
        let views = texts.views();
        let core = &*self.core;
        let results: Vec<Option<(String, Vec<u32>)>> = py.detach(|| {
            crate::pool::map_chunks(&views, n, |chunk| {
                chunk
                    .iter()
                    .map(|v| v.map(|s| core.normalize_with_offsets(s)))
                    .collect::<Vec<_>>()
            })
            .into_iter()
            .flatten()
            .collect()
        });
        let out = PyList::empty(py);
        for (i, r) in results.into_iter().enumerate() {
            match r {
                Some((text, offsets)) => out.append(PyTuple::new(
                    py,
                    [
                        text.into_pyobject(py)?.into_any(),
                        PyList::new(py, offsets)?.into_any(),
                    ],
                )?)?,
                None => out.append(texts.missing_object(py, i))?,
            }
        }
        Ok(out)
    }

    /// Pickling rebuilds from the profile and every option, so it survives new defaults.
    fn __getnewargs_ex__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        Ok((PyTuple::new(py, [&self.profile])?, self.options(py)?))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Normalizer>()
            .is_ok_and(|o| o.get().core.options() == self.core.options())
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.core.options().hash(&mut h);
        h.finish()
    }

    fn __repr__(&self) -> String {
        let base = Options::profile(&self.profile).unwrap_or_default();
        let changed: Vec<String> = self
            .core
            .options()
            .items()
            .into_iter()
            .filter(|(k, v)| base.get(k).ok() != Some(*v))
            .map(|(k, v)| format!(", {k}={}", if v { "True" } else { "False" }))
            .collect();
        format!("Normalizer(profile={:?}{})", self.profile, changed.concat())
    }
}

impl Normalizer {
    /// The core normalizer, for other bindings that normalize before their own work.
    pub fn core(&self) -> Arc<Core> {
        self.core.clone()
    }
}
