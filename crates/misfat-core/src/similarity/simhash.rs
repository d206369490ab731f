//! 64-bit SimHash (Charikar 2002; Manku et al. 2007): each shingle's 64-bit hash
//! votes ±1 per bit; the fingerprint keeps the bits with a positive total.

/// Fingerprint of a bag of shingle hashes (repeats count as extra weight).
pub fn fingerprint(shingles: &[u64]) -> u64 {
    let mut votes = [0i32; 64];
    for &h in shingles {
        for (bit, v) in votes.iter_mut().enumerate() {
            *v += (((h >> bit) & 1) as i32) * 2 - 1;
        }
    }
    votes
        .iter()
        .enumerate()
        .fold(0u64, |f, (bit, &v)| if v > 0 { f | (1 << bit) } else { f })
}

pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// `1 - hamming / 64`.
pub fn similarity(a: u64, b: u64) -> f64 {
    1.0 - hamming(a, b) as f64 / 64.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_sets_have_near_fingerprints() {
        let a: Vec<u64> = (0..200u64)
            .map(|i| crate::similarity::tokens::combine(7, i))
            .collect();
        let mut b = a.clone();
        b[0] = 12345;
        let far: Vec<u64> = (500..700u64)
            .map(|i| crate::similarity::tokens::combine(7, i))
            .collect();
        assert!(hamming(fingerprint(&a), fingerprint(&b)) <= 6);
        assert!(hamming(fingerprint(&a), fingerprint(&far)) > 12);
        assert_eq!(similarity(5, 5), 1.0);
        assert_eq!(fingerprint(&[]), 0);
    }
}
