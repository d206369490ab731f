//! misfat-core: refining scraped Arabic news text.
//!
//! Pure Rust, no Python: every kernel here works on `&str` and plain
//! collections so it can be tested, benchmarked and reused without an
//! interpreter. The binding crate at the root (`src/`) is the only place that knows Python.

pub mod boilerplate;
pub mod error;
pub mod normalize;
mod persist;
pub mod similarity;

pub use error::{CoreError, Result};
