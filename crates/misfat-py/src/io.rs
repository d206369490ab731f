//! Text columns in and out: a Python list of `str` or anything speaking the Arrow
//! PyCapsule interface. Extraction happens with the GIL held; the result is plain Rust
//! data that kernels read with the GIL released.

use crate::arrow;
use crate::errors::{bad_element, bad_unicode};
use arrow_array::{Array, ArrayRef, LargeStringArray, StringArray, StringViewArray};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
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
    Str(PyBackedStr),
    Owned(String),
    /// A missing value; the original object is given back unchanged.
    Missing(Py<PyAny>),
}

/// An extracted text column.
pub enum Texts {
    List(Vec<Item>),
    Arrow(arrow::StringChunks),
}

impl Texts {
    /// Reads `data`: a `list` of `str`/missing, or an Arrow string array/stream.
    pub fn extract(data: &Bound<'_, PyAny>, errors: Errors) -> PyResult<Self> {
        if let Ok(list) = data.cast::<PyList>() {
            let mut items = Vec::with_capacity(list.len());
            for (i, obj) in list.iter().enumerate() {
                items.push(extract_item(i, &obj, errors)?);
            }
            return Ok(Texts::List(items));
        }
        if data.hasattr("__arrow_c_stream__")? || data.hasattr("__arrow_c_array__")? {
            return Ok(Texts::Arrow(arrow::import_strings(data)?));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a list of str or an Arrow string array, got {}",
            data.get_type().name()?
        )))
    }

    /// One view per row, `None` for missing; cheap, and `Sync` for the kernels.
    pub fn views(&self) -> Vec<Option<&str>> {
        match self {
            Texts::List(items) => items
                .iter()
                .map(|it| match it {
                    Item::Str(s) => Some(&**s),
                    Item::Owned(s) => Some(s.as_str()),
                    Item::Missing(_) => None,
                })
                .collect(),
            Texts::Arrow(chunks) => chunks.views(),
        }
    }
}

fn extract_item(index: usize, obj: &Bound<'_, PyAny>, errors: Errors) -> PyResult<Item> {
    if let Ok(s) = obj.cast::<PyString>() {
        return match s.extract::<PyBackedStr>() {
            Ok(b) => Ok(Item::Str(b)),
            Err(e) => match errors {
                Errors::Strict => Err(bad_unicode(index, &e.value(obj.py()).to_string())),
                Errors::Replace => Ok(Item::Owned(replace_surrogates(s)?)),
            },
        };
    }
    if is_missing(obj)? {
        return Ok(Item::Missing(obj.clone().unbind()));
    }
    Err(bad_element(index, &obj.get_type().name()?.to_string()))
}

/// None, a float NaN (numpy's included) or pandas' `NA`.
fn is_missing(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if obj.is_none() {
        return Ok(true);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(f.value().is_nan());
    }
    Ok(obj.get_type().name()?.to_str()? == "NAType")
}

/// Decodes a Python string holding lone surrogates, one U+FFFD per surrogate.
fn replace_surrogates(s: &Bound<'_, PyString>) -> PyResult<String> {
    let units: Vec<u16> = s
        .call_method1("encode", ("utf-16-le", "surrogatepass"))?
        .extract::<Vec<u8>>()?
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    Ok(String::from_utf16_lossy(&units))
}

/// A column of results as one text buffer plus offsets, built without the GIL.
pub struct TextColumn {
    pub data: String,
    /// `offsets[i]..offsets[i + 1]` is row `i`; `len() == rows + 1`.
    pub offsets: Vec<usize>,
    pub valid: Vec<bool>,
}

impl TextColumn {
    /// Runs `f` on every present row on `n` threads; missing rows stay missing.
    pub fn map(
        views: &[Option<&str>],
        n: usize,
        f: impl Fn(&str, &mut String) + Sync + Send,
    ) -> Self {
        let parts = crate::pool::map_chunks(views, n, |chunk| {
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
        });
        Self::concat(parts, n)
    }

    /// Joins the parts; the text is copied in parallel, each part into its own slice.
    fn concat(mut parts: Vec<TextColumn>, n: usize) -> Self {
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
    match input {
        Texts::List(items) => {
            let out = PyList::empty(py);
            for (i, item) in items.iter().enumerate() {
                match (item, col.get(i)) {
                    (Item::Missing(obj), _) => out.append(obj.bind(py))?,
                    (_, Some(s)) => out.append(PyString::new(py, s))?,
                    (_, None) => out.append(py.None())?,
                }
            }
            Ok(out.into_any())
        }
        Texts::Arrow(chunks) => {
            let array = arrow::string_array(col, chunks.kind())?;
            arrow::export(py, array)
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
