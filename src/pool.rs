//! Parallelism is the caller's choice: `n_threads` per call, a private rayon pool.

use pyo3::exceptions::PyValueError;
use pyo3::PyResult;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Resolves `n_threads` (1 = this thread, -1 = all cores, n > 1 = n threads).
pub fn threads(n_threads: i64) -> PyResult<usize> {
    match n_threads {
        -1 => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
        n if n >= 1 => Ok(n as usize),
        n => Err(PyValueError::new_err(format!(
            "n_threads must be -1 (all cores) or a positive integer, got {n}"
        ))),
    }
}

/// A private pool of exactly `n` threads, built on first use (so importing before a
/// `fork` is safe) and kept for later calls with the same `n`.
fn pool(n: usize) -> Arc<rayon::ThreadPool> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    pools
        .entry(n)
        .or_insert_with(|| {
            Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .thread_name(|i| format!("misfat-{i}"))
                    .build()
                    .expect("building the misfat thread pool"),
            )
        })
        .clone()
}

/// Applies `f` to contiguous chunks of `items` on up to `n` threads, results in order.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    n: usize,
    f: impl Fn(&[T]) -> R + Sync + Send,
) -> Vec<R> {
    if n <= 1 || items.len() < 2 {
        return vec![f(items)];
    }
    // A few chunks per thread balances uneven documents without much merge work.
    let chunk = items.len().div_ceil(n * 4).max(1);
    pool(n).install(|| items.par_chunks(chunk).map(&f).collect())
}

/// Calls `f(a, b)` for each pair of `a` and `b` on up to `n` threads.
pub fn zip_each<A: Send, B: Sync>(n: usize, a: Vec<A>, b: &[B], f: impl Fn(A, &B) + Sync + Send) {
    if n <= 1 {
        a.into_iter().zip(b).for_each(|(x, y)| f(x, y));
        return;
    }
    pool(n).install(|| {
        a.into_par_iter()
            .zip(b.par_iter())
            .for_each(|(x, y)| f(x, y))
    });
}
