//! The `misfat._core` extension: conversion, GIL release and error mapping around
//! `misfat-core`. No text processing lives here.

mod arrow;
mod boilerplate;
mod dedup;
mod errors;
mod io;
mod normalize;
mod pool;
mod similarity;

use pyo3::prelude::*;

#[pymodule(gil_used = false)]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // Lets the package warn when someone benchmarks an unoptimised build.
    m.add("_debug_build", cfg!(debug_assertions))?;
    m.add("PROFILES", misfat_core::normalize::PROFILES.to_vec())?;
    m.add("OPTIONS", misfat_core::normalize::Options::NAMES.to_vec())?;
    m.add_class::<normalize::Normalizer>()?;
    m.add_class::<arrow::ArrowExport>()?;
    m.add_function(wrap_pyfunction!(io::_is_missing, m)?)?;
    boilerplate::register(m)?;
    similarity::register(m)?;
    dedup::register(m)?;
    Ok(())
}
