//! Score matrices and top-k filled in place: the caller owns the output (a numpy array
//! in the binding), so a `len(queries) × len(choices)` matrix is written once, with no
//! intermediate vector per chunk and no copy afterwards.

use super::dedup::Executor;
use super::edit::LANES;
use super::{top_k, Prepared, Scorer};
use crate::error::{CoreError, Result};
use std::sync::Mutex;

/// A matrix element: `f64`, or `f32` for half the memory.
pub trait Score: Copy + Send + Sync {
    fn from_f64(v: f64) -> Self;
}

impl Score for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
}

impl Score for f32 {
    #[allow(clippy::cast_possible_truncation)] // the caller asked for single precision
    fn from_f64(v: f64) -> Self {
        v as f32
    }
}

/// Query rows per parallel job: a multiple of the edit kernel's lanes, small enough that
/// a triangle's uneven rows still spread over the workers.
fn rows_per_job(rows: usize) -> usize {
    rows.div_ceil(64).max(1).next_multiple_of(LANES)
}

fn check_len(what: &str, got: usize, rows: usize, cols: usize) -> Result<()> {
    if Some(got) != rows.checked_mul(cols) {
        return Err(CoreError::InvalidValue(format!(
            "{what} has {got} cells, expected {rows} × {cols}"
        )));
    }
    Ok(())
}

/// Fills `out` (row-major, `queries.len() × choices.len()`) with the scores of each
/// query against each prepared choice; NaN where either is missing.
///
/// `same`: the choices are the queries themselves (`choices[i]` prepared from
/// `queries[i]`). For a symmetric method only the upper triangle (diagonal included) is
/// scored and the lower one is mirrored from it: about half the work.
pub fn cdist_into<T: Score>(
    scorer: &Scorer,
    queries: &[Option<&str>],
    choices: &[Option<Prepared>],
    same: bool,
    out: &mut [T],
    exec: &impl Executor,
) -> Result<()> {
    let (n, w) = (queries.len(), choices.len());
    check_len("the cdist output", out.len(), n, w)?;
    if same && n != w {
        return Err(CoreError::InvalidValue(
            "the same column as queries and choices must have one length".into(),
        ));
    }
    if n == 0 || w == 0 {
        return Ok(());
    }
    let half = same && scorer.method.is_symmetric();
    let per_job = rows_per_job(n);
    // Each job owns its rows of `out`; the mutex is never contended (one job, one
    // taker) and only makes the `&mut` rows shareable with the executor.
    let jobs: Vec<(usize, Mutex<&mut [T]>)> = out
        .chunks_mut(per_job * w)
        .enumerate()
        .map(|(j, rows)| (j * per_job, Mutex::new(rows)))
        .collect();
    exec.map(&jobs, &|(first, rows)| {
        let mut rows = rows.lock().unwrap_or_else(|e| e.into_inner());
        let mut scores = Vec::with_capacity(LANES * w);
        for (b, dst) in rows.chunks_mut(LANES * w).enumerate() {
            let r0 = first + b * LANES;
            let block = &queries[r0..r0 + dst.len() / w];
            // A triangle row block starts at its own diagonal.
            let from = if half { r0 } else { 0 };
            let cols = w - from;
            scores.clear();
            scorer.score_rows(block, &choices[from..], &mut scores);
            for (dst_row, src_row) in dst.chunks_exact_mut(w).zip(scores.chunks_exact(cols)) {
                for (d, &s) in dst_row[from..].iter_mut().zip(src_row) {
                    *d = T::from_f64(s);
                }
            }
        }
    });
    if half {
        mirror_upper(out, n);
    }
    Ok(())
}

/// Copies the upper triangle of the `n × n` matrix onto the lower one, in tiles so both
/// the rows read and the rows written stay in cache.
fn mirror_upper<T: Copy>(m: &mut [T], n: usize) {
    const TILE: usize = 64;
    for bi in (0..n).step_by(TILE) {
        for bj in (0..=bi).step_by(TILE) {
            for i in bi..(bi + TILE).min(n) {
                for j in bj..(bj + TILE).min(i) {
                    m[i * n + j] = m[j * n + i];
                }
            }
        }
    }
}

/// For each query, the `k` best choices: `indices` (`-1` padding) and `scores` (NaN
/// padding), both row-major `queries.len() × k`, best first, ties by lower index.
pub fn top_k_into(
    scorer: &Scorer,
    queries: &[Option<&str>],
    choices: &[Option<Prepared>],
    k: usize,
    indices: &mut [i64],
    scores: &mut [f64],
    exec: &impl Executor,
) -> Result<()> {
    let n = queries.len();
    check_len("the top_k indices", indices.len(), n, k)?;
    check_len("the top_k scores", scores.len(), n, k)?;
    let w = choices.len();
    if w == 0 {
        indices.fill(-1);
        scores.fill(f64::NAN);
    }
    if n == 0 || k == 0 || w == 0 {
        return Ok(());
    }
    let per_job = rows_per_job(n);
    type Rows<'a> = Mutex<(&'a mut [i64], &'a mut [f64])>;
    let jobs: Vec<(usize, Rows<'_>)> = indices
        .chunks_mut(per_job * k)
        .zip(scores.chunks_mut(per_job * k))
        .enumerate()
        .map(|(j, rows)| (j * per_job, Mutex::new(rows)))
        .collect();
    exec.map(&jobs, &|(first, rows)| {
        let mut guard = rows.lock().unwrap_or_else(|e| e.into_inner());
        let (idx, sc) = &mut *guard;
        let mut block_scores = Vec::with_capacity(LANES * w);
        let blocks = idx.chunks_mut(LANES * k).zip(sc.chunks_mut(LANES * k));
        for (b, (idx, sc)) in blocks.enumerate() {
            let r0 = first + b * LANES;
            let block = &queries[r0..r0 + idx.len() / k];
            block_scores.clear();
            scorer.score_rows(block, choices, &mut block_scores);
            let rows = idx.chunks_exact_mut(k).zip(sc.chunks_exact_mut(k));
            for ((oi, os), row) in rows.zip(block_scores.chunks_exact(w)) {
                let best = top_k(row.iter().copied(), k);
                for (j, (i, s)) in oi.iter_mut().zip(os.iter_mut()).enumerate() {
                    (*i, *s) = best.get(j).map_or((-1, f64::NAN), |&(c, v)| {
                        (i64::try_from(c).unwrap_or(i64::MAX), v)
                    });
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::dedup::Sequential;
    use super::super::tokens::Unit;
    use super::super::Method;
    use super::*;

    /// Runs jobs in reverse order, as a parallel executor may finish them.
    struct Reversed;
    impl Executor for Reversed {
        fn map<T: Sync, R: Send>(&self, items: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
            let mut out: Vec<R> = items.iter().rev().map(f).collect();
            out.reverse();
            out
        }
    }

    fn texts() -> Vec<Option<String>> {
        let mut t: Vec<Option<String>> = (0..37)
            .map(|i| {
                Some(format!(
                    "كتب {} الخبر {} عن {}",
                    i % 5,
                    i % 3,
                    "ب".repeat(i % 70)
                ))
            })
            .collect();
        t[4] = None;
        t[20] = Some(String::new());
        t
    }

    #[test]
    fn cdist_matches_pairwise_and_same_is_the_full_matrix() {
        let owned = texts();
        let qs: Vec<Option<&str>> = owned.iter().map(|t| t.as_deref()).collect();
        for method in [
            Method::Ratio,
            Method::Jaccard,
            Method::Containment,
            Method::Cosine,
        ] {
            let s = Scorer::new(method, Unit::Word, 1, None).unwrap();
            let prepared: Vec<Option<Prepared>> =
                qs.iter().map(|q| q.map(|t| s.prepare(t))).collect();
            let n = qs.len();
            let mut full = vec![0.0f64; n * n];
            cdist_into(&s, &qs, &prepared, false, &mut full, &Sequential).unwrap();
            let mut same = vec![0.0f64; n * n];
            cdist_into(&s, &qs, &prepared, true, &mut same, &Reversed).unwrap();
            for i in 0..n {
                for j in 0..n {
                    let (f, h) = (full[i * n + j], same[i * n + j]);
                    match (qs[i], qs[j]) {
                        (Some(a), Some(b)) => {
                            assert_eq!(f, s.similarity(a, b), "{method:?} {i} {j}");
                            assert!((f - h).abs() < 1e-12, "{method:?} {i} {j}: {f} {h}");
                        }
                        _ => assert!(f.is_nan() && h.is_nan()),
                    }
                }
            }
            let mut f32s = vec![0.0f32; n * n];
            cdist_into(&s, &qs, &prepared, false, &mut f32s, &Sequential).unwrap();
            assert!(f32s
                .iter()
                .zip(&full)
                .all(|(a, b)| a.to_bits() == (*b as f32).to_bits()));
        }
    }

    #[test]
    fn top_k_rows_are_the_best_of_the_matrix() {
        let owned = texts();
        let qs: Vec<Option<&str>> = owned.iter().map(|t| t.as_deref()).collect();
        let s = Scorer::new(Method::Jaccard, Unit::Word, 1, None).unwrap();
        let prepared: Vec<Option<Prepared>> = qs.iter().map(|q| q.map(|t| s.prepare(t))).collect();
        let n = qs.len();
        let mut full = vec![0.0f64; n * n];
        cdist_into(&s, &qs, &prepared, false, &mut full, &Sequential).unwrap();
        let k = 3;
        let (mut idx, mut sc) = (vec![0i64; n * k], vec![0.0; n * k]);
        top_k_into(&s, &qs, &prepared, k, &mut idx, &mut sc, &Reversed).unwrap();
        for i in 0..n {
            let best = top_k(full[i * n..(i + 1) * n].iter().copied(), k);
            for j in 0..k {
                let (bi, bs) = best.get(j).map_or((-1, f64::NAN), |&(c, v)| (c as i64, v));
                assert_eq!(idx[i * k + j], bi);
                assert!(sc[i * k + j] == bs || (bs.is_nan() && sc[i * k + j].is_nan()));
            }
        }
        assert!(top_k_into(&s, &qs, &prepared, k, &mut idx[1..], &mut sc, &Sequential).is_err());
    }
}
