//! Reading and sealing persisted bytes (LSH indexes, boilerplate models).
//!
//! Every format is `magic, version, xxh3(payload), payload`. The checksum is verified
//! before the payload is parsed, so a damaged file is an error rather than a silently
//! different index or model; the parser still checks every length and count against the
//! bytes left before allocating anything, because anyone can compute a checksum.

use crate::error::{CoreError, Result};
use xxhash_rust::xxh3::xxh3_64;

pub(crate) fn bad(msg: impl Into<String>) -> CoreError {
    CoreError::InvalidState(msg.into())
}

/// `header` (magic and version), then the payload's checksum, then the payload.
pub(crate) fn seal(header: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(header.len() + 8 + payload.len());
    out.extend_from_slice(header);
    out.extend_from_slice(&xxh3_64(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The payload after a checksum read at the reader's position, once it matches.
pub(crate) fn verified<'a>(r: &mut Reader<'a>) -> Result<Reader<'a>> {
    let stored = r.u64()?;
    let payload = r.rest();
    if xxh3_64(payload) != stored {
        return Err(bad(
            "checksum mismatch: the data is damaged or was not written by misfat",
        ));
    }
    Ok(Reader::new(payload))
}

/// A cursor over untrusted bytes: every read is bounds-checked.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(bad("data ends early (truncated)"));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn rest(&mut self) -> &'a [u8] {
        let s = &self.bytes[self.pos..];
        self.pos = self.bytes.len();
        s
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    pub(crate) fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    pub(crate) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub(crate) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub(crate) fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    /// A count of items taking at least `min_size` bytes each, checked against the bytes
    /// left (so it can size an allocation).
    pub(crate) fn count(&mut self, raw: u64, min_size: usize, what: &str) -> Result<usize> {
        let fits = usize::try_from(raw).ok().filter(|&n| {
            n.checked_mul(min_size.max(1))
                .is_some_and(|b| b <= self.remaining())
        });
        fits.ok_or_else(|| {
            bad(format!(
                "{what} count {raw} exceeds the data ({} bytes left)",
                self.remaining()
            ))
        })
    }

    /// Fails unless every byte was read.
    pub(crate) fn finish(&self, what: &str) -> Result<()> {
        if self.remaining() != 0 {
            return Err(bad(format!("trailing bytes after the {what}")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! Damaged and hand-crafted bytes of both persisted formats: always an error, never
    //! a panic, a huge allocation or a silently different object.

    use super::*;
    use crate::boilerplate::{CorpusModel, ModelOptions};
    use crate::similarity::lsh::{Key, LshIndex};
    use crate::similarity::minhash::MinHasher;
    use crate::similarity::tokens::Unit;

    fn small_index() -> LshIndex {
        let m = MinHasher::new(32, Unit::Word, 1, 1, None).unwrap();
        let mut idx = LshIndex::new(0.5, 32, None).unwrap();
        idx.insert(Key::Int(-3), &m.signature("a b c d")).unwrap();
        idx.insert(Key::Str("مفتاح".into()), &m.signature("x y z"))
            .unwrap();
        idx
    }

    fn small_model() -> CorpusModel {
        let pages: Vec<String> = (0..4)
            .map(|i| format!("Story number {i} begins here.\nتابعونا\nFooter line"))
            .collect();
        CorpusModel::fit(
            pages.iter().map(|p| (p.as_str(), Some("site"))),
            ModelOptions::default(),
        )
        .unwrap()
    }

    /// Every truncation and every single-bit flip of `bytes` is refused by `read`.
    fn check_damage<T>(bytes: &[u8], read: impl Fn(&[u8]) -> Result<T>) {
        assert!(read(bytes).is_ok());
        for end in 0..bytes.len() {
            assert!(read(&bytes[..end]).is_err(), "truncated to {end} bytes");
        }
        let mut flipped = bytes.to_vec();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                flipped[i] ^= 1 << bit;
                assert!(read(&flipped).is_err(), "bit {bit} of byte {i} flipped");
                flipped[i] ^= 1 << bit;
            }
        }
    }

    /// The seeds of the parser fuzz targets (`fuzz/seeds/`): these objects' bytes as given
    /// (first byte even) and their payloads to seal (first byte odd). Fails when the
    /// formats change until the seeds are written again with `MISFAT_WRITE_FUZZ_SEEDS=1`.
    #[test]
    fn fuzz_seeds_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
        let write = std::env::var_os("MISFAT_WRITE_FUZZ_SEEDS").is_some();
        for (target, bytes, header) in [
            ("lsh_index_bytes", small_index().to_bytes(), 12),
            ("model_bytes", small_model().to_bytes(), 10),
        ] {
            let raw = [&[0u8][..], &bytes].concat();
            let payload = [&[1u8][..], &bytes[header + 8..]].concat();
            for (name, seed) in [("valid", raw), ("valid_payload", payload)] {
                let path = dir.join(target).join(name);
                if write {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, &seed).unwrap();
                }
                let stored = std::fs::read(&path).unwrap_or_default();
                assert!(
                    stored == seed,
                    "{} is stale: run with MISFAT_WRITE_FUZZ_SEEDS=1",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn damaged_index_is_refused() {
        check_damage(&small_index().to_bytes(), LshIndex::from_bytes);
    }

    #[test]
    fn damaged_model_is_refused() {
        check_damage(&small_model().to_bytes(), CorpusModel::from_bytes);
    }

    fn index_bytes(params: (u32, u32, u32), threshold: f64, n: u64, rest: &[u8]) -> Vec<u8> {
        let mut payload = Vec::new();
        for v in [params.0, params.1, params.2] {
            payload.extend_from_slice(&v.to_le_bytes());
        }
        payload.extend_from_slice(&threshold.to_le_bytes());
        payload.extend_from_slice(&n.to_le_bytes());
        payload.extend_from_slice(rest);
        seal(b"MSFTLSH\0\x02\0\0\0", &payload)
    }

    #[test]
    fn crafted_index_counts_are_refused() {
        // A valid checksum does not make huge or absurd values acceptable.
        let max = u32::MAX;
        for (params, threshold, n) in [
            ((max, max, 1), 0.5, 0),
            ((max, 1, max), 0.5, 0),
            ((128, 16, 8), 0.5, u64::MAX),
            ((128, 16, 8), 0.5, 1 << 40),
            ((128, 16, 8), f64::NAN, 0),
            ((128, 16, 8), f64::INFINITY, 0),
            ((128, 16, 8), 1.5, 0),
            ((128, 0, 8), 0.5, 0),
        ] {
            let err = LshIndex::from_bytes(&index_bytes(params, threshold, n, &[]));
            assert!(err.is_err(), "{params:?} {threshold} {n}");
        }
        // A string key claiming more bytes than there are.
        let mut key = vec![1u8];
        key.extend_from_slice(&u64::MAX.to_le_bytes());
        key.extend_from_slice(&[0; 64]);
        assert!(LshIndex::from_bytes(&index_bytes((4, 1, 4), 0.5, 1, &key)).is_err());
        // The same bytes with a correct count read fine.
        let mut ok = vec![0u8];
        ok.extend_from_slice(&7i64.to_le_bytes());
        ok.extend_from_slice(&9u64.to_le_bytes());
        let idx = LshIndex::from_bytes(&index_bytes((4, 1, 4), 0.5, 1, &ok)).unwrap();
        assert_eq!(idx.keys(), [Key::Int(7)]);
    }

    #[test]
    fn old_versions_are_refused_by_name() {
        let mut v1 = small_index().to_bytes();
        v1[8] = 1;
        let err = LshIndex::from_bytes(&v1).unwrap_err().to_string();
        assert!(err.contains("version 1"), "{err}");
        let mut v1 = small_model().to_bytes();
        v1[8] = 1;
        let err = CorpusModel::from_bytes(&v1).unwrap_err().to_string();
        assert!(err.contains("version 1"), "{err}");
    }

    #[test]
    fn crafted_model_counts_are_refused() {
        let header = b"MISFATBP\x02\0";
        let opts = [3u32.to_le_bytes(), 5u32.to_le_bytes()].concat();
        // Huge site count, huge site name, huge entry count, overflowing page totals.
        let huge_sites = [opts.clone(), u32::MAX.to_le_bytes().to_vec()].concat();
        let huge_name = [
            opts.clone(),
            1u32.to_le_bytes().to_vec(),
            u32::MAX.to_le_bytes().to_vec(),
            vec![b'a'; 16],
        ]
        .concat();
        let huge_entries = [
            opts.clone(),
            0u32.to_le_bytes().to_vec(),
            u64::MAX.to_le_bytes().to_vec(),
        ]
        .concat();
        let site = |name: &[u8], pages: u32| {
            [
                (name.len() as u32).to_le_bytes().to_vec(),
                name.to_vec(),
                pages.to_le_bytes().to_vec(),
            ]
            .concat()
        };
        let overflow = [
            opts.clone(),
            2u32.to_le_bytes().to_vec(),
            site(b"a", u32::MAX),
            site(b"b", 2),
            0u64.to_le_bytes().to_vec(),
        ]
        .concat();
        for payload in [huge_sites, huge_name, huge_entries, overflow] {
            assert!(CorpusModel::from_bytes(&seal(header, &payload)).is_err());
        }
        let fine = [
            opts,
            1u32.to_le_bytes().to_vec(),
            site(b"a", 2),
            0u64.to_le_bytes().to_vec(),
        ]
        .concat();
        assert_eq!(
            CorpusModel::from_bytes(&seal(header, &fine))
                .unwrap()
                .n_pages(),
            2
        );
        // A model can hold u32::MAX pages; merging two such is an error, not an overflow
        // (found by the model_bytes fuzz target).
        let big = [
            [3u32.to_le_bytes(), 5u32.to_le_bytes()].concat(),
            1u32.to_le_bytes().to_vec(),
            site(b"a", u32::MAX - 1),
            0u64.to_le_bytes().to_vec(),
        ]
        .concat();
        let big = CorpusModel::from_bytes(&seal(header, &big)).unwrap();
        let err = big.merge(&big).unwrap_err().to_string();
        assert!(err.contains("more than"), "{err}");
    }
}
