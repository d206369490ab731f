//! Cosine similarity of term-frequency vectors, optionally weighted by idf.

use crate::error::{CoreError, Result};

/// A sparse term-frequency vector: sorted distinct term hashes and their counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermCounts {
    pub terms: Vec<u64>,
    pub counts: Vec<u32>,
}

impl TermCounts {
    /// Counts the (repeated, unsorted) term hashes in `hashes`; sorts `hashes` in place.
    pub fn from_hashes(hashes: &mut [u64]) -> Self {
        hashes.sort_unstable();
        let mut tc = TermCounts::default();
        for &h in hashes.iter() {
            if tc.terms.last() == Some(&h) {
                *tc.counts.last_mut().unwrap() += 1;
            } else {
                tc.terms.push(h);
                tc.counts.push(1);
            }
        }
        tc
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Inverse document frequencies fitted on a corpus (smoothed like scikit-learn:
/// `idf = ln((1 + n) / (1 + df)) + 1`, unseen terms get `df = 0`).
#[derive(Debug, Clone, PartialEq)]
pub struct Idf {
    n_docs: u64,
    terms: Vec<u64>,
    df: Vec<u32>,
}

impl Idf {
    /// Fits from the distinct term sets of each document.
    pub fn fit<'a>(docs: impl IntoIterator<Item = &'a TermCounts>) -> Self {
        let mut all: Vec<u64> = Vec::new();
        let mut n_docs = 0u64;
        for d in docs {
            all.extend_from_slice(&d.terms);
            n_docs += 1;
        }
        let counted = TermCounts::from_hashes(&mut all);
        Idf {
            n_docs,
            terms: counted.terms,
            df: counted.counts,
        }
    }

    /// Rebuilds from saved parts, checking them.
    pub fn from_parts(n_docs: u64, terms: Vec<u64>, df: Vec<u32>) -> Result<Self> {
        if terms.len() != df.len() {
            return Err(CoreError::InvalidState(
                "idf terms and df differ in length".into(),
            ));
        }
        if terms.windows(2).any(|w| w[0] >= w[1]) {
            return Err(CoreError::InvalidState("idf terms are not sorted".into()));
        }
        if df.iter().any(|&d| d as u64 > n_docs || d == 0) {
            return Err(CoreError::InvalidState("idf df out of range".into()));
        }
        Ok(Idf { n_docs, terms, df })
    }

    pub fn parts(&self) -> (u64, &[u64], &[u32]) {
        (self.n_docs, &self.terms, &self.df)
    }

    pub fn idf(&self, term: u64) -> f64 {
        let df = match self.terms.binary_search(&term) {
            Ok(i) => self.df[i] as f64,
            Err(_) => 0.0,
        };
        ((1.0 + self.n_docs as f64) / (1.0 + df)).ln() + 1.0
    }
}

/// Cosine of two term vectors (weights `count · idf`); two empty vectors score 1.
pub fn cosine(a: &TermCounts, b: &TermCounts, idf: Option<&Idf>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    let w = |t: u64, c: u32| -> f64 {
        match idf {
            Some(m) => c as f64 * m.idf(t),
            None => c as f64,
        }
    };
    // Squared norms, multiplied before the root: identical vectors give exactly 1.
    let norm2 = |v: &TermCounts| -> f64 {
        v.terms
            .iter()
            .zip(&v.counts)
            .map(|(&t, &c)| w(t, c).powi(2))
            .sum::<f64>()
    };
    let (mut i, mut j, mut dot) = (0, 0, 0.0f64);
    while i < a.terms.len() && j < b.terms.len() {
        match a.terms[i].cmp(&b.terms[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += w(a.terms[i], a.counts[i]) * w(b.terms[j], b.counts[j]);
                i += 1;
                j += 1;
            }
        }
    }
    (dot / (norm2(a) * norm2(b)).sqrt()).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tf_cosine_values() {
        let a = TermCounts::from_hashes(&mut [1, 1, 2]);
        let b = TermCounts::from_hashes(&mut [1, 2, 2]);
        assert_eq!(a.counts, vec![2, 1]);
        let want = 4.0 / 5.0;
        assert!((cosine(&a, &b, None) - want).abs() < 1e-12);
        assert_eq!(cosine(&a, &a, None), 1.0);
        assert_eq!(cosine(&a, &TermCounts::default(), None), 0.0);
    }

    #[test]
    fn idf_downweights_common_terms() {
        let docs = [
            TermCounts::from_hashes(&mut [1, 2]),
            TermCounts::from_hashes(&mut [1, 3]),
            TermCounts::from_hashes(&mut [1, 4]),
        ];
        let idf = Idf::fit(docs.iter());
        assert!(idf.idf(1) < idf.idf(2));
        assert!(idf.idf(99) > idf.idf(2));
        let a = TermCounts::from_hashes(&mut [1, 2]);
        let b = TermCounts::from_hashes(&mut [1, 3]);
        assert!(cosine(&a, &b, Some(&idf)) < cosine(&a, &b, None));
        let (n, t, d) = idf.parts();
        assert_eq!(Idf::from_parts(n, t.to_vec(), d.to_vec()).unwrap(), idf);
        assert!(Idf::from_parts(1, vec![2, 1], vec![1, 1]).is_err());
    }
}
