//! Parallelism is the caller's choice: `n_threads` per call, one private rayon pool.
//!
//! The pool is built on first use, holds one thread per core, and is shared by every
//! call: a call asking for `n` threads runs `n` workers on it, so the number of threads
//! misfat keeps alive never exceeds the core count, whatever values callers pass. The
//! pool remembers the process that built it; a forked child (which inherits the pool
//! but none of its threads) builds its own instead of waiting forever on dead workers.

use pyo3::exceptions::PyValueError;
use pyo3::PyResult;
use std::sync::{Arc, Mutex, OnceLock};

/// The number of cores this process may use (read once: the lookup reads cgroup files).
pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Resolves `n_threads` (1 = this thread, -1 = all cores, n > 1 = n threads), clamped
/// to the core count: more workers than cores only adds switching.
pub fn threads(n_threads: i64) -> PyResult<usize> {
    threads_named(n_threads, "n_threads")
}

/// `threads` for a parameter the Python API calls `name` (`workers` in `cdist`, `top_k`).
pub fn threads_named(n_threads: i64, name: &str) -> PyResult<usize> {
    match n_threads {
        -1 => Ok(cores()),
        n if n >= 1 => Ok(usize::try_from(n).map_or(cores(), |n| n.min(cores()))),
        n => Err(PyValueError::new_err(format!(
            "{name} must be -1 (all cores) or a positive integer, got {n}"
        ))),
    }
}

/// The pool and the id of the process that built it.
struct Shared {
    pid: u32,
    pool: Arc<rayon::ThreadPool>,
}

/// The process's pool, built on first use (so importing before a `fork` is safe) and
/// rebuilt in a forked child.
fn pool() -> Arc<rayon::ThreadPool> {
    static POOL: OnceLock<Mutex<Option<Shared>>> = OnceLock::new();
    let pid = std::process::id();
    let slot = POOL.get_or_init(Default::default);
    {
        let guard = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = guard.as_ref().filter(|s| s.pid == pid) {
            return s.pool.clone();
        }
    }
    // Built outside the lock, so a fork never catches the lock held for long.
    let fresh = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores())
            .thread_name(|i| format!("misfat-{i}"))
            .build()
            .expect("building the misfat thread pool"),
    );
    let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref() {
        // Another thread of this process built one meanwhile: use that one.
        Some(s) if s.pid == pid => s.pool.clone(),
        _ => {
            if let Some(stale) = guard.take() {
                // A pool inherited through fork: its threads do not exist here, so
                // dropping it would signal workers that never answer. Leak it.
                std::mem::forget(stale);
            }
            *guard = Some(Shared {
                pid,
                pool: fresh.clone(),
            });
            fresh
        }
    }
}

/// Runs `f` on every job on `n` workers of the pool, results in the jobs' order.
fn run<J: Send, R: Send>(n: usize, jobs: Vec<J>, f: impl Fn(J) -> R + Sync) -> Vec<R> {
    let total = jobs.len();
    let queue = Mutex::new(jobs.into_iter().enumerate());
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(total));
    let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).next();
    let workers = n.min(total);
    pool().scope(|s| {
        for _ in 0..workers {
            s.spawn(|_| {
                let mut mine = Vec::new();
                while let Some((i, job)) = next() {
                    mine.push((i, f(job)));
                }
                done.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    debug_assert_eq!(done.len(), total);
    done.sort_unstable_by_key(|d| d.0);
    done.into_iter().map(|d| d.1).collect()
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
    run(n, items.chunks(chunk).collect(), f)
}

/// Calls `f(a, b)` for each pair of `a` and `b` on up to `n` threads.
pub fn zip_each<A: Send, B: Sync>(n: usize, a: Vec<A>, b: &[B], f: impl Fn(A, &B) + Sync + Send) {
    if n <= 1 {
        a.into_iter().zip(b).for_each(|(x, y)| f(x, y));
        return;
    }
    run(n, a.into_iter().zip(b).collect(), |(x, y)| f(x, y));
}
