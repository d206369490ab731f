//! The Arrow PyCapsule interface: import a string column without copying its text,
//! export results so pyarrow, pandas and polars take them without copying either.

use crate::io::{array_views, Errors, StringKind, TextColumn};
use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{
    make_array, Array, ArrayRef, GenericStringArray, LargeStringArray, OffsetSizeTrait,
    StringArray, StringViewArray,
};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_data::ArrayData;
use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use std::ffi::{c_char, c_int, CStr};

const STREAM: &CStr = c"arrow_array_stream";
const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

/// An imported string column: its chunks, all of one string layout, checked on import
/// (structure, every row's offsets or view, every row's UTF-8).
pub struct StringChunks {
    kind: StringKind,
    chunks: Vec<ArrayRef>,
    /// Rows (numbered across chunks, ascending) whose invalid UTF-8 was replaced with
    /// U+FFFD under `errors="replace"`.
    replaced: Vec<(usize, String)>,
}

impl StringChunks {
    pub fn kind(&self) -> StringKind {
        self.kind
    }

    pub fn views(&self) -> Vec<Option<&str>> {
        let mut out = Vec::with_capacity(self.chunks.iter().map(|c| c.len()).sum());
        let mut replaced = self.replaced.iter().peekable();
        for c in &self.chunks {
            for i in 0..c.len() {
                let row = out.len();
                if let Some((_, text)) = replaced.next_if(|r| r.0 == row) {
                    out.push(Some(text.as_str()));
                    continue;
                }
                let bytes = row_bytes(c, self.kind, i).expect("rows are checked on import");
                // SAFETY: every present row not replaced was checked to be UTF-8 on import
                // (`check_rows`), and the arrays are immutable since.
                out.push(bytes.map(|b| unsafe { std::str::from_utf8_unchecked(b) }));
            }
        }
        out
    }
}

/// The bytes of row `i` (`None` if null), every offset and view bounds-checked: an
/// `Err` names what is out of range. Reads no arrow accessor that skips checks.
/// Offsets are checked for null rows too (Arrow requires them valid everywhere); the
/// view of a null row is never read.
fn row_bytes(array: &ArrayRef, kind: StringKind, i: usize) -> Result<Option<&[u8]>, String> {
    let any = array.as_any();
    let bytes = match kind {
        StringKind::Utf8 => offset_bytes(downcast::<StringArray>(any), i)?,
        StringKind::LargeUtf8 => offset_bytes(downcast::<LargeStringArray>(any), i)?,
        StringKind::Utf8View if array.is_null(i) => return Ok(None),
        StringKind::Utf8View => view_bytes(downcast::<StringViewArray>(any), i)?,
    };
    Ok((!array.is_null(i)).then_some(bytes))
}

fn offset_bytes<O: OffsetSizeTrait>(a: &GenericStringArray<O>, i: usize) -> Result<&[u8], String> {
    let offsets = a.value_offsets();
    let values = a.values().as_slice();
    let (start, end) = (offsets[i], offsets[i + 1]);
    let range = start.to_usize().zip(end.to_usize());
    range.and_then(|(s, e)| values.get(s..e)).ok_or_else(|| {
        format!(
            "its offsets {start:?}..{end:?} are decreasing or outside the {}-byte data buffer",
            values.len()
        )
    })
}

fn view_bytes(a: &StringViewArray, i: usize) -> Result<&[u8], String> {
    // The Arrow view layout, 16 little-endian bytes: length, then the bytes themselves
    // (length <= 12) or a prefix, a buffer index and an offset.
    let view = &a.views().inner().as_slice()[i * 16..(i + 1) * 16];
    let word = |k: usize| u32::from_le_bytes(view[k..k + 4].try_into().expect("4 bytes")) as usize;
    let len = word(0);
    if len <= 12 {
        return Ok(&view[4..4 + len]);
    }
    let (buffer, offset) = (word(8), word(12));
    a.data_buffers()
        .get(buffer)
        .and_then(|b| b.as_slice().get(offset..offset.checked_add(len)?))
        .ok_or_else(|| {
            format!("its view (buffer {buffer}, bytes {offset}+{len}) is outside the data buffers")
        })
}

/// Checks every row of every chunk; gives the rows whose UTF-8 was replaced, or the
/// message of a `ValueError`.
fn check_rows(
    chunks: &[ArrayRef],
    kind: StringKind,
    errors: Errors,
) -> Result<Vec<(usize, String)>, String> {
    let mut replaced = Vec::new();
    let mut row = 0;
    for c in chunks {
        for i in 0..c.len() {
            let bytes = row_bytes(c, kind, i)
                .map_err(|e| format!("element {row} of the Arrow array is invalid: {e}"))?;
            // simdutf8 validates Arabic text (two-byte sequences) about ten times faster
            // than std, which checks those byte by byte; std then says where it broke.
            if let Some(Err(e)) = bytes
                .filter(|b| simdutf8::basic::from_utf8(b).is_err())
                .map(std::str::from_utf8)
            {
                if errors == Errors::Strict {
                    return Err(format!(
                        "element {row} of the Arrow array is not valid UTF-8 (invalid byte at \
                         position {}); pass errors=\"replace\" to replace invalid bytes with U+FFFD",
                        e.valid_up_to()
                    ));
                }
                let lossy = String::from_utf8_lossy(bytes.expect("present"));
                replaced.push((row, lossy.into_owned()));
            }
            row += 1;
        }
    }
    Ok(replaced)
}

fn downcast<T: 'static>(any: &dyn std::any::Any) -> &T {
    any.downcast_ref::<T>()
        .expect("array type checked on import")
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

/// Imports any object with `__arrow_c_stream__` (or `__arrow_c_array__`), checking it
/// in O(n): structure, offsets or views, and UTF-8 of every row (invalid UTF-8 is a
/// `ValueError` naming the row, or U+FFFD with `errors="replace"`).
pub fn import_strings(obj: &Bound<'_, PyAny>, errors: Errors) -> PyResult<StringChunks> {
    check_pyarrow(obj)?;
    let (dtype, chunks) = if obj.hasattr("__arrow_c_stream__")? {
        import_stream(obj)?
    } else {
        import_array(obj)?
    };
    let kind = kind_of(&dtype)?;
    let replaced = obj
        .py()
        .detach(|| check_rows(&chunks, kind, errors))
        .map_err(PyValueError::new_err)?;
    Ok(StringChunks {
        kind,
        chunks,
        replaced,
    })
}

/// The C data interface does not carry the size of a string array's data buffer (the
/// reader takes the last offset on trust), so pyarrow objects first run pyarrow's own
/// O(1)-per-chunk structural check, which knows the real buffer sizes.
fn check_pyarrow(obj: &Bound<'_, PyAny>) -> PyResult<()> {
    let ty = obj.get_type();
    let module = ty.module()?;
    if !module.to_str()?.starts_with("pyarrow") || !obj.hasattr("validate")? {
        return Ok(());
    }
    obj.call_method0("validate")
        .map_err(|e| arrow_err(format!("{e}")))
        .map(drop)
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
        chunks.push(unsafe { import_chunk(array, &schema, &dtype) }?);
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
    // SAFETY: as above; the capsule's array is taken over exactly once.
    let array = unsafe { FFI_ArrowArray::from_raw(array_ptr.cast()) };
    let dtype = DataType::try_from(schema).map_err(arrow_err)?;
    kind_of(&dtype)?;
    // SAFETY: the array comes with this schema.
    let chunk = unsafe { import_chunk(array, schema, &dtype) }?;
    Ok((dtype, vec![chunk]))
}

/// Imports one array of a string type and checks its structure (buffer sizes, end
/// offsets) before anything reads it.
///
/// # Safety
/// `array` follows the C data interface for the type `schema` describes.
unsafe fn import_chunk(
    array: FFI_ArrowArray,
    schema: &FFI_ArrowSchema,
    dtype: &DataType,
) -> PyResult<ArrayRef> {
    let width = match dtype {
        DataType::Utf8 => 4,
        DataType::LargeUtf8 => 8,
        _ => 0,
    };
    let offsets = array.buffer(1);
    let data = if width > 0 && array.num_buffers() == 3 && !(offsets as usize).is_multiple_of(width)
    {
        // SAFETY: as this function's.
        unsafe { import_unaligned(array, dtype, width) }?
    } else {
        // SAFETY: as this function's; imported without validation, checked below.
        unsafe { from_ffi(array, schema) }.map_err(arrow_err)?
    };
    data.validate().map_err(arrow_err)?;
    Ok(make_array(data))
}

/// A string array whose offsets are not aligned to their width (pickled buffers, as
/// Dask ships them, land at any address). arrow's importer reads the last offset
/// through a typed pointer, which is undefined behaviour there (an abort in debug
/// builds), so the offsets are copied into aligned memory here; the text is not copied.
///
/// # Safety
/// `array` is a live Utf8 (`width` 4) or LargeUtf8 (`width` 8) array of the C data
/// interface with 3 buffers.
unsafe fn import_unaligned(
    array: FFI_ArrowArray,
    dtype: &DataType,
    width: usize,
) -> PyResult<ArrayData> {
    let (len, offset) = (array.len(), array.offset());
    let n = len
        .checked_add(offset)
        .and_then(|n| n.checked_add(1))
        .ok_or_else(|| arrow_err("array length overflows"))?;
    let (validity, offsets_ptr, values_ptr) = (array.buffer(0), array.buffer(1), array.buffer(2));
    if offsets_ptr.is_null() {
        return Err(arrow_err("string array without an offsets buffer"));
    }
    let read = |i: usize| -> i64 {
        // SAFETY: the producer promises `n` offsets of `width` bytes; read unaligned.
        unsafe {
            if width == 4 {
                i64::from(std::ptr::read_unaligned(offsets_ptr.cast::<i32>().add(i)))
            } else {
                std::ptr::read_unaligned(offsets_ptr.cast::<i64>().add(i))
            }
        }
    };
    let offsets: Buffer = if width == 4 {
        let v: Vec<i32> = (0..n).map(|i| read(i) as i32).collect();
        Buffer::from_vec(v)
    } else {
        let v: Vec<i64> = (0..n).map(read).collect();
        Buffer::from_vec(v)
    };
    let values_len = usize::try_from(read(n - 1))
        .map_err(|_| arrow_err("the last offset of a string array is negative"))?;
    let null_count = array.null_count_opt();
    let owner: std::sync::Arc<FFI_ArrowArray> = std::sync::Arc::new(array);
    let shared = |ptr: *const u8, bytes: usize| -> PyResult<Option<Buffer>> {
        if bytes == 0 {
            return Ok(Some(Buffer::from_vec(Vec::<u8>::new())));
        }
        let ptr = std::ptr::NonNull::new(ptr.cast_mut())
            .ok_or_else(|| arrow_err("a non-empty buffer is missing"))?;
        // SAFETY: the producer's buffer of `bytes` bytes, kept alive (and released
        // once) by `owner`, the imported array.
        Ok(Some(unsafe {
            Buffer::from_custom_allocation(ptr, bytes, owner.clone())
        }))
    };
    let values = shared(values_ptr, values_len)?.expect("always a buffer");
    let nulls = if validity.is_null() {
        None
    } else {
        shared(validity, n.div_ceil(8))?
    };
    let mut builder = ArrayData::builder(dtype.clone())
        .len(len)
        .offset(offset)
        .null_bit_buffer(nulls)
        .buffers(vec![offsets, values]);
    if let Some(c) = null_count {
        builder = builder.null_count(c);
    }
    // SAFETY: `import_chunk` validates the structure before use, as for `from_ffi`.
    Ok(unsafe { builder.build_unchecked() })
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
    // SAFETY: the stream is live (caller's contract), so its private data is the
    // `ChunkStream` that `export` boxed and nothing else mutates it meanwhile.
    let state = unsafe { &*(*stream).private_data().cast::<ChunkStream>() };
    match FFI_ArrowSchema::try_from(&state.dtype) {
        Ok(schema) => {
            // SAFETY: `out` is writable (caller's contract); it holds no value to drop.
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
    // SAFETY: as in `stream_schema`; the consumer calls the stream from one thread at a
    // time (the C stream interface), so this is the only reference.
    let state = unsafe { &mut *(*stream).private_data().cast::<ChunkStream>() };
    let array = match state.chunks.next() {
        Some(chunk) => FFI_ArrowArray::new(&chunk.to_data()),
        None => FFI_ArrowArray::empty(),
    };
    // SAFETY: `out` is writable (caller's contract); it holds no value to drop.
    unsafe { std::ptr::write(out, array) };
    0
}

unsafe extern "C" fn stream_error(_stream: *mut FFI_ArrowArrayStream) -> *const c_char {
    std::ptr::null()
}

/// # Safety
/// Called once by the stream's owner; frees the state and marks the stream released.
unsafe extern "C" fn release_stream(stream: *mut FFI_ArrowArrayStream) {
    // SAFETY: the owner passes its live stream, once, with no other reference to it.
    let stream = unsafe { &mut *stream };
    // SAFETY: the private data is ours (set by `export`); it is taken out and
    // nulled so a second release frees nothing.
    let state = unsafe { stream.set_private_data(std::ptr::null_mut()) };
    if !state.is_null() {
        // SAFETY: non-null private data is the `Box<ChunkStream>` leaked on export.
        drop(unsafe { Box::from_raw(state.cast::<ChunkStream>()) });
    }
    // SAFETY: a null release callback marks the stream released, as the interface asks.
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
