//! Set resemblance on sorted, deduplicated shingle hashes (Broder 1997).
//!
//! Two empty sets are identical (1.0); an empty set against a non-empty one scores 0.

/// |A ∩ B| for two sorted, deduplicated slices (a linear merge).
pub fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[inline]
fn score(inter: usize, denom: usize, both_empty: bool) -> f64 {
    if both_empty {
        1.0
    } else if denom == 0 {
        0.0
    } else {
        inter as f64 / denom as f64
    }
}

/// |A ∩ B| / |A ∪ B|.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let inter = intersection_size(a, b);
    score(
        inter,
        a.len() + b.len() - inter,
        a.is_empty() && b.is_empty(),
    )
}

/// |A ∩ B| / |A|: how much of `a` is found in `b`.
pub fn containment(a: &[u64], b: &[u64]) -> f64 {
    let inter = intersection_size(a, b);
    score(inter, a.len(), a.is_empty() && b.is_empty())
}

/// |A ∩ B| / min(|A|, |B|): containment of the smaller set in the larger one.
pub fn overlap(a: &[u64], b: &[u64]) -> f64 {
    let inter = intersection_size(a, b);
    let denom = if a.is_empty() || b.is_empty() {
        0
    } else {
        a.len().min(b.len())
    };
    score(inter, denom, a.is_empty() && b.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn small_cases() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(containment(&[1, 2], &[2, 3, 4]), 0.5);
        assert_eq!(overlap(&[1, 2], &[1, 2, 3, 4]), 1.0);
        assert_eq!(jaccard(&[], &[]), 1.0);
        assert_eq!(jaccard(&[], &[1]), 0.0);
        assert_eq!(overlap(&[], &[1]), 0.0);
    }

    proptest! {
        #[test]
        fn matches_btreeset(a in prop::collection::btree_set(0u64..50, 0..30),
                            b in prop::collection::btree_set(0u64..50, 0..30)) {
            let av: Vec<u64> = a.iter().copied().collect();
            let bv: Vec<u64> = b.iter().copied().collect();
            let inter = a.intersection(&b).count();
            let union: BTreeSet<_> = a.union(&b).collect();
            prop_assert_eq!(intersection_size(&av, &bv), inter);
            if !union.is_empty() {
                prop_assert_eq!(jaccard(&av, &bv), inter as f64 / union.len() as f64);
            }
            prop_assert!(jaccard(&av, &bv) <= overlap(&av, &bv));
        }
    }
}
