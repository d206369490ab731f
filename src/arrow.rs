//! The Arrow PyCapsule interface: import a string column without copying its text,
//! export results so pyarrow, pandas and polars take them without copying either.

use crate::io::{array_views, StringKind, TextColumn};
use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{make_array, Array, ArrayRef, LargeStringArray, StringArray, StringViewArray};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use std::ffi::{c_char, c_int, CStr};

const STREAM: &CStr = c"arrow_array_stream";
const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

/// An imported string column: its chunks, all of one string layout.
pub struct StringChunks {
    kind: StringKind,
    chunks: Vec<ArrayRef>,
}

impl StringChunks {
    pub fn kind(&self) -> StringKind {
        self.kind
    }

    pub fn views(&self) -> Vec<Option<&str>> {
        let mut out = Vec::with_capacity(self.chunks.iter().map(|c| c.len()).sum());
        for c in &self.chunks {
            array_views(c, self.kind, &mut out);
        }
        out
    }
}

fn arrow_err(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(format!("cannot read the Arrow data: {e}"))
}

fn kind_of(dt: &DataType) -> PyResult<StringKind> {
    match dt {
        DataType::Utf8 => Ok(StringKind::Utf8),
        DataType::LargeUtf8 => Ok(StringKind::LargeUtf8),
        DataType::Utf8View => Ok(StringKind::Utf8View),
        other => Err(PyTypeError::new_err(format!(
            "expected an Arrow string column (string, large_string or string_view), got {other}"
        ))),
    }
}

/// Imports any object with `__arrow_c_stream__` (or `__arrow_c_array__`).
pub fn import_strings(obj: &Bound<'_, PyAny>) -> PyResult<StringChunks> {
    let (dtype, chunks) = if obj.hasattr("__arrow_c_stream__")? {
        import_stream(obj)?
    } else {
        import_array(obj)?
    };
    let kind = kind_of(&dtype)?;
    Ok(StringChunks { kind, chunks })
}

/// The pointer held by `obj`, which must be a PyCapsule called `name`.
fn capsule_ptr(obj: &Bound<'_, PyAny>, name: &CStr) -> PyResult<*mut std::ffi::c_void> {
    let cap = obj.cast::<PyCapsule>()?;
    Ok(cap.pointer_checked(Some(name))?.as_ptr())
}

fn import_stream(obj: &Bound<'_, PyAny>) -> PyResult<(DataType, Vec<ArrayRef>)> {
    let cap = obj.call_method0("__arrow_c_stream__")?;
    let ptr = capsule_ptr(&cap, STREAM)?;
    // SAFETY: the capsule holds an FFI_ArrowArrayStream (checked by name); `from_raw`
    // moves it out and marks the original released, so it is released exactly once.
    let mut stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr.cast()) };
    let mut schema = FFI_ArrowSchema::empty();
    let get_schema = stream
        .get_schema()
        .ok_or_else(|| arrow_err("released stream"))?;
    let get_next = stream
        .get_next()
        .ok_or_else(|| arrow_err("released stream"))?;
    // SAFETY: valid stream and out-pointer, per the Arrow C stream interface.
    if unsafe { get_schema(&mut stream, &mut schema) } != 0 {
        return Err(arrow_err("get_schema failed"));
    }
    let dtype = DataType::try_from(&schema).map_err(arrow_err)?;
    kind_of(&dtype)?;
    let mut chunks = Vec::new();
    loop {
        let mut array = FFI_ArrowArray::empty();
        // SAFETY: as above.
        if unsafe { get_next(&mut stream, &mut array) } != 0 {
            return Err(arrow_err("get_next failed"));
        }
        if array.is_released() {
            break;
        }
        // SAFETY: the array was produced by the stream whose schema we hold.
        let data = unsafe { from_ffi(array, &schema) }.map_err(arrow_err)?;
        chunks.push(make_array(data));
    }
    Ok((dtype, chunks))
}

fn import_array(obj: &Bound<'_, PyAny>) -> PyResult<(DataType, Vec<ArrayRef>)> {
    let pair = obj.call_method0("__arrow_c_array__")?;
    let pair = pair.cast::<PyTuple>()?;
    let schema_ptr = capsule_ptr(&pair.get_item(0)?, SCHEMA)?;
    let array_ptr = capsule_ptr(&pair.get_item(1)?, ARRAY)?;
    // SAFETY: capsules checked by name; the array is moved out (`from_raw` marks the
    // original released) and the schema is only borrowed while `pair` keeps it alive.
    let schema = unsafe { &*(schema_ptr as *const FFI_ArrowSchema) };
    let array = unsafe { FFI_ArrowArray::from_raw(array_ptr.cast()) };
    let dtype = DataType::try_from(schema).map_err(arrow_err)?;
    kind_of(&dtype)?;
    let data = unsafe { from_ffi(array, schema) }.map_err(arrow_err)?;
    Ok((dtype, vec![make_array(data)]))
}

/// Builds an array of `kind` from a result column, moving its buffers (no copy for
/// large_string; string falls back to large_string past 2 GiB).
pub fn string_array(col: TextColumn, kind: StringKind) -> PyResult<ArrayRef> {
    let nulls = if col.valid.iter().all(|&v| v) {
        None
    } else {
        Some(NullBuffer::from(col.valid))
    };
    let values = Buffer::from_vec(col.data.into_bytes());
    let small = kind == StringKind::Utf8 && values.len() <= i32::MAX as usize;
    let array: ArrayRef = if small {
        let offsets: Vec<i32> = col.offsets.iter().map(|&o| o as i32).collect();
        let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
        // SAFETY: the values are the bytes of a Rust `String` and every offset is a row
        // boundary the kernel recorded, so each row is valid UTF-8 (no re-validation).
        std::sync::Arc::new(unsafe { StringArray::new_unchecked(offsets, values, nulls) })
    } else {
        let offsets: Vec<i64> = col.offsets.iter().map(|&o| o as i64).collect();
        let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
        // SAFETY: as above.
        let large = unsafe { LargeStringArray::new_unchecked(offsets, values, nulls) };
        if kind == StringKind::Utf8View {
            std::sync::Arc::new(StringViewArray::from_iter(large.iter()))
        } else {
            std::sync::Arc::new(large)
        }
    };
    Ok(array)
}

/// A result column handed to Python through the PyCapsule interface: one chunk per
/// worker thread, so results of several threads are never copied into one buffer.
#[pyclass(frozen, module = "misfat._core", name = "ArrowArray")]
pub struct ArrowExport {
    dtype: DataType,
    chunks: Vec<ArrayRef>,
}

#[pymethods]
impl ArrowExport {
    /// The column as one array (several chunks are joined here: a copy, which readers
    /// of `__arrow_c_stream__` avoid).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)> {
        let _ = requested_schema; // we always give our own type; consumers cast
        let joined;
        let array = match self.chunks.as_slice() {
            [one] => one,
            _ => {
                joined = self.joined()?;
                &joined
            }
        };
        let (array, schema) = to_ffi(&array.to_data()).map_err(arrow_err)?;
        // Dropping a capsule drops the struct, which calls `release` unless the
        // consumer already moved it out: the Arrow ownership rule.
        let schema = PyCapsule::new_with_value(py, schema, SCHEMA)?;
        let array = PyCapsule::new_with_value(py, array, ARRAY)?;
        Ok((schema, array))
    }

    /// The column as a stream of its chunks.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let state = Box::new(ChunkStream {
            dtype: self.dtype.clone(),
            chunks: self.chunks.clone().into_iter(),
        });
        // SAFETY: the callbacks below implement the C stream interface over the boxed
        // state, which `release_stream` frees exactly once.
        let stream = unsafe {
            FFI_ArrowArrayStream::new_unchecked(
                Some(stream_schema),
                Some(stream_next),
                Some(stream_error),
                Some(release_stream),
                Box::into_raw(state).cast(),
            )
        };
        PyCapsule::new_with_value(py, stream, STREAM)
    }

    fn __len__(&self) -> usize {
        self.chunks.iter().map(|c| c.len()).sum()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowArray(type={}, len={}, chunks={})",
            self.dtype,
            self.__len__(),
            self.chunks.len()
        )
    }
}

impl ArrowExport {
    fn joined(&self) -> PyResult<ArrayRef> {
        let kind = kind_of(&self.dtype)?;
        let mut views = Vec::with_capacity(self.chunks.iter().map(|c| c.len()).sum());
        for c in &self.chunks {
            array_views(c, kind, &mut views);
        }
        Ok(match kind {
            StringKind::Utf8 => std::sync::Arc::new(StringArray::from_iter(views)),
            StringKind::LargeUtf8 => std::sync::Arc::new(LargeStringArray::from_iter(views)),
            StringKind::Utf8View => std::sync::Arc::new(StringViewArray::from_iter(views)),
        })
    }
}

/// What an exported stream owns: the type and the chunks still to hand out.
struct ChunkStream {
    dtype: DataType,
    chunks: std::vec::IntoIter<ArrayRef>,
}

/// # Safety
/// `stream` is a live stream made by `__arrow_c_stream__`; `out` is writable.
unsafe extern "C" fn stream_schema(
    stream: *mut FFI_ArrowArrayStream,
    out: *mut FFI_ArrowSchema,
) -> c_int {
    let state = unsafe { &*(*stream).private_data().cast::<ChunkStream>() };
    match FFI_ArrowSchema::try_from(&state.dtype) {
        Ok(schema) => {
            unsafe { std::ptr::write(out, schema) };
            0
        }
        Err(_) => EINVAL,
    }
}

/// # Safety
/// As for `stream_schema`; the end of the stream is a released array.
unsafe extern "C" fn stream_next(
    stream: *mut FFI_ArrowArrayStream,
    out: *mut FFI_ArrowArray,
) -> c_int {
    let state = unsafe { &mut *(*stream).private_data().cast::<ChunkStream>() };
    let array = match state.chunks.next() {
        Some(chunk) => FFI_ArrowArray::new(&chunk.to_data()),
        None => FFI_ArrowArray::empty(),
    };
    unsafe { std::ptr::write(out, array) };
    0
}

unsafe extern "C" fn stream_error(_stream: *mut FFI_ArrowArrayStream) -> *const c_char {
    std::ptr::null()
}

/// # Safety
/// Called once by the stream's owner; frees the state and marks the stream released.
unsafe extern "C" fn release_stream(stream: *mut FFI_ArrowArrayStream) {
    let stream = unsafe { &mut *stream };
    let state = unsafe { stream.set_private_data(std::ptr::null_mut()) };
    if !state.is_null() {
        drop(unsafe { Box::from_raw(state.cast::<ChunkStream>()) });
    }
    unsafe { stream.set_release(None) };
}

const EINVAL: c_int = 22;

/// Exports result chunks of one string type (at least one chunk, possibly empty).
pub fn export(py: Python<'_>, chunks: Vec<ArrayRef>) -> PyResult<Bound<'_, PyAny>> {
    let dtype = chunks
        .first()
        .map_or(DataType::LargeUtf8, |c| c.data_type().clone());
    Ok(Bound::new(py, ArrowExport { dtype, chunks })?.into_any())
}
