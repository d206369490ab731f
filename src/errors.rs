//! The one place where core errors become Python exceptions.

use misfat_core::CoreError;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::PyErr;

/// Maps a core error to the Python exception a user expects: every core error is a
/// bad value or option, so `ValueError`.
pub fn to_py(err: CoreError) -> PyErr {
    PyValueError::new_err(err.to_string())
}

/// A `TypeError` for element `index` of the input, naming its type.
pub fn bad_element(index: usize, type_name: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "element {index} has type {type_name}; expected str or a missing value (None, NaN, pd.NA)"
    ))
}

/// A `ValueError` for element `index` holding a lone surrogate.
pub fn bad_unicode(index: usize, detail: &str) -> PyErr {
    PyValueError::new_err(format!(
        "element {index} is not valid Unicode ({detail}); pass errors=\"replace\" to replace lone surrogates with U+FFFD"
    ))
}
