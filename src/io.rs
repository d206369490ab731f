//! Text columns in and out: a Python list of `str` or anything speaking the Arrow
//! PyCapsule interface. Extraction happens with the GIL held; the result is plain Rust
//! data that kernels read with the GIL released.
//!
//! Python strings are read from and written to CPython's own buffers (UCS-1/2/4), so no
//! UTF-8 copy is left cached inside the caller's `str` objects (it would double the
//! memory of Arabic text) and each conversion is one tight loop.

use crate::arrow;
use crate::errors::{bad_element, bad_unicode};
use arrow_array::{Array, ArrayRef, LargeStringArray, StringArray, StringViewArray};
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
use pyo3::ffi;
use pyo3::prelude::*;
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
use pyo3::types::string::PyStringData;
use pyo3::types::{PyFloat, PyList, PyString};

/// How lone surrogates in Python strings are handled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Errors {
    Strict,
    Replace,
}

impl Errors {
    pub fn parse(name: &str) -> PyResult<Self> {
        match name {
            "strict" => Ok(Errors::Strict),
            "replace" => Ok(Errors::Replace),
            _ => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "unknown errors policy {name:?}; valid: strict, replace"
            ))),
        }
    }
}

pub enum Item {
    /// The row's text: `start..end` of the column's arena.
    Text(usize, usize),
    /// A missing value; the original object is given back unchanged.
    Missing(Py<PyAny>),
}

/// An extracted text column.
pub enum Texts {
    /// A Python list: the rows' text, transcoded once into one UTF-8 arena.
    List {
        items: Vec<Item>,
        arena: String,
    },
    Arrow(arrow::StringChunks),
}

impl Texts {
    /// The object a missing row `i` of a list was given as (`None` for Arrow nulls).
    pub fn missing_object<'py>(&self, py: Python<'py>, i: usize) -> Bound<'py, PyAny> {
        match self {
            Texts::List { items, .. } => match &items[i] {
                Item::Missing(obj) => obj.bind(py).clone(),
                Item::Text(..) => py.None().into_bound(py),
            },
            Texts::Arrow(_) => py.None().into_bound(py),
        }
    }

    /// Reads `data`: a `list` of `str`/missing, or an Arrow string array/stream.
    pub fn extract(data: &Bound<'_, PyAny>, errors: Errors) -> PyResult<Self> {
        if let Ok(list) = data.cast::<PyList>() {
            let mut items = Vec::with_capacity(list.len());
            let mut arena = String::new();
            for (i, obj) in list.iter().enumerate() {
                items.push(extract_item(i, &obj, errors, &mut arena)?);
            }
            return Ok(Texts::List { items, arena });
        }
        if data.hasattr("__arrow_c_stream__")? || data.hasattr("__arrow_c_array__")? {
            return Ok(Texts::Arrow(arrow::import_strings(data, errors)?));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a list of str or an Arrow string array, got {}",
            data.get_type().name()?
        )))
    }

    /// One view per row, `None` for missing; cheap, and `Sync` for the kernels.
    pub fn views(&self) -> Vec<Option<&str>> {
        match self {
            Texts::List { items, arena } => items
                .iter()
                .map(|it| match it {
                    Item::Text(a, b) => Some(&arena[*a..*b]),
                    Item::Missing(_) => None,
                })
                .collect(),
            Texts::Arrow(chunks) => chunks.views(),
        }
    }
}

fn extract_item(
    index: usize,
    obj: &Bound<'_, PyAny>,
    errors: Errors,
    arena: &mut String,
) -> PyResult<Item> {
    if let Ok(s) = obj.cast::<PyString>() {
        let start = arena.len();
        push_utf8(index, s, errors, arena)?;
        return Ok(Item::Text(start, arena.len()));
    }
    if is_missing(obj)? {
        return Ok(Item::Missing(obj.clone().unbind()));
    }
    Err(bad_element(index, &obj.get_type().name()?.to_string()))
}

/// Appends `s` to `arena` as UTF-8, read from the str's own code points; a lone
/// surrogate is an error or U+FFFD, as `errors` says.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
fn push_utf8(
    index: usize,
    s: &Bound<'_, PyString>,
    errors: Errors,
    arena: &mut String,
) -> PyResult<()> {
    // SAFETY: `s` is a live, immutable str; its buffer is only read during this call.
    match unsafe { s.data()? } {
        PyStringData::Ucs1(bytes) if bytes.is_ascii() => {
            // SAFETY: ASCII is UTF-8.
            arena.push_str(unsafe { std::str::from_utf8_unchecked(bytes) });
            Ok(())
        }
        PyStringData::Ucs1(bytes) => {
            arena.extend(bytes.iter().map(|&b| b as char));
            Ok(())
        }
        PyStringData::Ucs2(units) => {
            encode_utf8(units.iter().map(|&u| u as u32), 3, index, errors, arena)
        }
        PyStringData::Ucs4(units) => encode_utf8(units.iter().copied(), 4, index, errors, arena),
    }
}

/// [`push_utf8`] without CPython's string buffer (the limited API, PyPy, GraalPy): the
/// same result through the public API, one copy more.
#[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
fn push_utf8(
    index: usize,
    s: &Bound<'_, PyString>,
    errors: Errors,
    arena: &mut String,
) -> PyResult<()> {
    if let Ok(text) = s.to_str() {
        arena.push_str(text);
        return Ok(());
    }
    // Only lone surrogates fail: encode them through (WTF-8) to find or replace them.
    let wtf8 = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
    let bytes = wtf8.cast::<pyo3::types::PyBytes>()?.as_bytes();
    // In WTF-8 a surrogate is the 3-byte sequence ED A0..BF xx, which UTF-8 forbids;
    // everything between two of them is UTF-8.
    let mut rest = bytes;
    while let Some(at) = rest.windows(2).position(|w| w[0] == 0xED && w[1] >= 0xA0) {
        let before =
            std::str::from_utf8(&rest[..at]).map_err(|e| bad_unicode(index, &e.to_string()))?;
        if errors == Errors::Strict {
            // Strict stops at the first surrogate, so `before` is everything before it.
            let position = before.chars().count();
            let cp = (u32::from(rest[at] & 0x0F) << 12)
                | (u32::from(rest[at + 1] & 0x3F) << 6)
                | u32::from(rest[at + 2] & 0x3F);
            return Err(bad_unicode(
                index,
                &format!("lone surrogate U+{cp:04X} at position {position}"),
            ));
        }
        arena.push_str(before);
        arena.push('\u{FFFD}');
        rest = &rest[at + 3..];
    }
    arena.push_str(std::str::from_utf8(rest).map_err(|e| bad_unicode(index, &e.to_string()))?);
    Ok(())
}

/// UTF-8 encoding of code points into `arena`, one tight loop (most Arabic text is
/// two-byte code points).
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
fn encode_utf8(
    units: impl ExactSizeIterator<Item = u32>,
    max_bytes: usize,
    index: usize,
    errors: Errors,
    arena: &mut String,
) -> PyResult<()> {
    let mut bytes = std::mem::take(arena).into_bytes();
    let start = bytes.len();
    // Two bytes are written for every unit below 0x800, so at least two are reserved.
    debug_assert!(max_bytes >= 2);
    bytes.reserve(units.len() * max_bytes);
    let spare = bytes.spare_capacity_mut();
    let mut w = 0;
    for (position, cp) in units.enumerate() {
        match cp {
            // One branch-free path for one- and two-byte code points: Arabic text mixes
            // them every few characters (letters and spaces), which a branch mispredicts.
            // The second byte is always written and overwritten when not needed.
            0..0x800 => {
                let two = cp >= 0x80;
                let lead = if two { 0xC0 | (cp >> 6) } else { cp };
                spare[w].write(lead as u8);
                spare[w + 1].write(0x80 | (cp & 0x3F) as u8);
                w += 1 + usize::from(two);
            }
            0xD800..0xE000 if errors == Errors::Strict => {
                // SAFETY: the first `w` spare bytes were written with whole characters.
                unsafe { bytes.set_len(start + w) };
                *arena = String::from_utf8(bytes).expect("only whole characters written");
                return Err(bad_unicode(
                    index,
                    &format!("lone surrogate U+{cp:04X} at position {position}"),
                ));
            }
            _ => {
                let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
                let mut utf8 = [0u8; 4];
                for &x in c.encode_utf8(&mut utf8).as_bytes() {
                    spare[w].write(x);
                    w += 1;
                }
            }
        }
    }
    // SAFETY: the first `w` spare bytes were written above (at most `max_bytes` per
    // unit, which is what was reserved).
    unsafe { bytes.set_len(start + w) };
    // SAFETY: only whole UTF-8 sequences of valid scalar values were appended to a
    // buffer that was UTF-8 before.
    *arena = unsafe { String::from_utf8_unchecked(bytes) };
    Ok(())
}

/// The one definition of a missing value: None, a float NaN, pandas' `NA` and `NaT`,
/// and numpy scalars that differ from themselves (NaN of every float width, `NaT`).
pub fn is_missing(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if obj.is_none() {
        return Ok(true);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(f.value().is_nan());
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(false);
    }
    let ty = obj.get_type();
    let name = ty.name()?;
    let name = name.to_str()?;
    if name == "NAType" || name == "NaTType" {
        return Ok(true);
    }
    if ty.module()?.to_str()? == "numpy" && name != "ndarray" {
        // numpy.float32('nan') != itself; so is numpy.datetime64('NaT').
        // An array has no single truth value: not a missing scalar.
        return Ok(obj.ne(obj).unwrap_or(false));
    }
    Ok(false)
}

/// `misfat._shapes.is_missing`: whether `obj` is a missing value (see `is_missing`).
#[pyfunction]
pub fn _is_missing(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    is_missing(obj)
}

/// A new Python str holding `s` (the public API: the limited API, PyPy, GraalPy).
#[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
pub fn new_str<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyString>> {
    Ok(PyString::new(py, s))
}

/// A new Python str holding `s`, written straight into CPython's buffer of the
/// narrowest kind that fits (what `PyUnicode_DecodeUTF8` does, in one tight loop).
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
pub fn new_str<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyString>> {
    let b = s.as_bytes();
    if b.is_ascii() {
        return Ok(PyString::new(py, s));
    }
    // The kind follows from the lead bytes: C4+ starts a code point >= U+0100, F0+ one
    // >= U+10000. CPython needs the narrowest kind (equal strings must have equal kinds).
    let len = b.iter().filter(|&&x| x & 0xC0 != 0x80).count();
    let max = match b.iter().copied().max().unwrap_or(0) {
        0xF0.. => 0x10FFFF,
        _ if b.iter().any(|&x| (0xC4..0xF0).contains(&x)) => 0xFFFF,
        _ => 0xFF,
    };
    // SAFETY: PyUnicode_New gives a fresh str of `len` code points of the kind `max`
    // selects; all of them are written below before the object is shared.
    unsafe {
        let ptr = ffi::PyUnicode_New(len as ffi::Py_ssize_t, max);
        if ptr.is_null() {
            return Err(PyErr::fetch(py));
        }
        let data = ffi::PyUnicode_DATA(ptr);
        match ffi::PyUnicode_KIND(ptr) {
            ffi::PyUnicode_1BYTE_KIND => {
                decode_utf8(b, std::slice::from_raw_parts_mut(data.cast::<u8>(), len))
            }
            ffi::PyUnicode_2BYTE_KIND => {
                decode_utf8(b, std::slice::from_raw_parts_mut(data.cast::<u16>(), len))
            }
            _ => decode_utf8(b, std::slice::from_raw_parts_mut(data.cast::<u32>(), len)),
        }
        Ok(Bound::from_owned_ptr(py, ptr).cast_into_unchecked())
    }
}

/// Decodes valid UTF-8 `b` into `out`, one unit per code point (each fits in `T`).
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
fn decode_utf8<T: TryFrom<u32>>(b: &[u8], out: &mut [T]) {
    let mut i = 0;
    for slot in out.iter_mut() {
        let x = b[i] as u32;
        let (cp, n) = match x {
            // One branch-free path for one- and two-byte sequences (see `encode_utf8`).
            0..0xE0 => {
                let two = x >= 0x80;
                let next = b.get(i + 1).map_or(0, |&y| y as u32 & 0x3F);
                let cp = if two { ((x & 0x1F) << 6) | next } else { x };
                (cp, 1 + usize::from(two))
            }
            0xE0..0xF0 => (
                ((x & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F),
                3,
            ),
            _ => (
                ((x & 0x07) << 18)
                    | ((b[i + 1] as u32 & 0x3F) << 12)
                    | ((b[i + 2] as u32 & 0x3F) << 6)
                    | (b[i + 3] as u32 & 0x3F),
                4,
            ),
        };
        *slot = T::try_from(cp).unwrap_or_else(|_| unreachable!("the kind fits every code point"));
        i += n;
    }
}

/// A column of results as one text buffer plus offsets, built without the GIL.
pub struct TextColumn {
    pub data: String,
    /// `offsets[i]..offsets[i + 1]` is row `i`; `len() == rows + 1`.
    pub offsets: Vec<usize>,
    pub valid: Vec<bool>,
}

impl TextColumn {
    /// Runs `f` on every present row on `n` threads (missing rows stay missing), one
    /// column per contiguous part the threads computed, in order.
    pub fn map_parts(
        views: &[Option<&str>],
        n: usize,
        f: impl Fn(&str, &mut String) + Sync + Send,
    ) -> Vec<Self> {
        crate::pool::map_chunks(views, n, |chunk| {
            let bytes: usize = chunk.iter().map(|v| v.map_or(0, str::len)).sum();
            let mut col = TextColumn {
                data: String::with_capacity(bytes),
                offsets: Vec::with_capacity(chunk.len() + 1),
                valid: Vec::with_capacity(chunk.len()),
            };
            col.offsets.push(0);
            for v in chunk {
                if let Some(s) = v {
                    f(s, &mut col.data);
                }
                col.offsets.push(col.data.len());
                col.valid.push(v.is_some());
            }
            col
        })
    }

    /// Joins the parts; the text is copied in parallel, each part into its own slice.
    pub fn concat(mut parts: Vec<TextColumn>, n: usize) -> Self {
        if parts.len() == 1 {
            return parts.pop().expect("one part");
        }
        let bytes = parts.iter().map(|p| p.data.len()).sum();
        let rows = parts.iter().map(|p| p.valid.len()).sum::<usize>();
        let mut data = vec![0u8; bytes];
        let mut slices = Vec::with_capacity(parts.len());
        let mut rest = &mut data[..];
        for p in &parts {
            let (head, tail) = std::mem::take(&mut rest).split_at_mut(p.data.len());
            slices.push(head);
            rest = tail;
        }
        crate::pool::zip_each(n, slices, &parts, |dst, p| {
            dst.copy_from_slice(p.data.as_bytes())
        });
        let mut offsets = Vec::with_capacity(rows + 1);
        let mut valid = Vec::with_capacity(rows);
        offsets.push(0);
        let mut base = 0;
        for p in parts {
            offsets.extend(p.offsets[1..].iter().map(|o| o + base));
            valid.extend(p.valid);
            base += p.data.len();
        }
        // SAFETY: `data` is the concatenation of whole `String`s, so it is UTF-8.
        let data = unsafe { String::from_utf8_unchecked(data) };
        TextColumn {
            data,
            offsets,
            valid,
        }
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        self.valid[i].then(|| &self.data[self.offsets[i]..self.offsets[i + 1]])
    }
}

/// Gives results back in the input's shape: a list (missing objects returned as they
/// came) or an Arrow array of the input's string type.
pub fn text_output<'py>(
    py: Python<'py>,
    input: &Texts,
    col: TextColumn,
) -> PyResult<Bound<'py, PyAny>> {
    text_output_parts(py, input, vec![col], 1)
}

/// Like `text_output` for a column computed in parts: Arrow output keeps one chunk per
/// part (no copy); a list is built from the parts joined.
pub fn text_output_parts<'py>(
    py: Python<'py>,
    input: &Texts,
    parts: Vec<TextColumn>,
    n: usize,
) -> PyResult<Bound<'py, PyAny>> {
    match input {
        Texts::List { items, .. } => {
            let col = TextColumn::concat(parts, n);
            let out = PyList::empty(py);
            for (i, item) in items.iter().enumerate() {
                match (item, col.get(i)) {
                    (Item::Missing(obj), _) => out.append(obj.bind(py))?,
                    (_, Some(s)) => out.append(new_str(py, s)?)?,
                    (_, None) => out.append(py.None())?,
                }
            }
            Ok(out.into_any())
        }
        Texts::Arrow(chunks) => {
            let arrays = parts
                .into_iter()
                .map(|p| arrow::string_array(p, chunks.kind()))
                .collect::<PyResult<Vec<_>>>()?;
            arrow::export(py, arrays)
        }
    }
}

/// The string layouts of Arrow this crate reads and writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StringKind {
    Utf8,
    LargeUtf8,
    Utf8View,
}

/// Views of a string array's rows.
pub fn array_views<'a>(array: &'a ArrayRef, kind: StringKind, out: &mut Vec<Option<&'a str>>) {
    fn push<'a>(out: &mut Vec<Option<&'a str>>, it: impl Iterator<Item = Option<&'a str>>) {
        out.extend(it)
    }
    let any = array.as_any();
    match kind {
        StringKind::Utf8 => push(out, downcast::<StringArray>(any).iter()),
        StringKind::LargeUtf8 => push(out, downcast::<LargeStringArray>(any).iter()),
        StringKind::Utf8View => push(out, downcast::<StringViewArray>(any).iter()),
    }
}

fn downcast<T: 'static>(any: &dyn std::any::Any) -> &T {
    any.downcast_ref::<T>()
        .expect("array type checked on import")
}
