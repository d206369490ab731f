//! Helpers shared by the fuzz targets (each target includes this file).
#![allow(dead_code)]

use xxhash_rust::xxh3::xxh3_64;

/// The input as text: invalid UTF-8 becomes U+FFFD, so every input reaches the kernel.
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Two texts: the input split at its first 0xFF byte (never part of valid UTF-8).
pub fn two_texts(data: &[u8]) -> (String, String) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (text(&data[..i]), text(&data[i + 1..])),
        None => (text(data), String::new()),
    }
}

/// The bytes a parser gets. The formats carry a checksum of their payload, which random
/// bytes never match; so the first byte chooses: even, the rest as given (magic, version
/// and checksum tested); odd, the rest is a payload sealed with a valid header and
/// checksum (the parser proper tested).
pub fn parser_input(data: &[u8], header: &[u8]) -> Vec<u8> {
    match data.split_first() {
        Some((mode, rest)) if mode & 1 == 1 => {
            let mut out = header.to_vec();
            out.extend_from_slice(&xxh3_64(rest).to_le_bytes());
            out.extend_from_slice(rest);
            out
        }
        Some((_, rest)) => rest.to_vec(),
        None => Vec::new(),
    }
}

/// Objects that are slow to build (a normalizer compiles a table), built once per key and
/// kept for the whole run, so the fuzzer spends its time in the kernels.
pub struct Cache<V: 'static>(std::sync::Mutex<Vec<(u64, &'static V)>>);

impl<V: Sync> Cache<V> {
    pub const fn new() -> Self {
        Cache(std::sync::Mutex::new(Vec::new()))
    }

    pub fn get(&self, key: u64, make: impl FnOnce() -> V) -> &'static V {
        let mut v = self.0.lock().unwrap();
        if let Some(&(_, x)) = v.iter().find(|(k, _)| *k == key) {
            return x;
        }
        let x: &'static V = Box::leak(Box::new(make()));
        v.push((key, x));
        x
    }
}
