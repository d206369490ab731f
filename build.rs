// The interpreter's cfgs (Py_LIMITED_API, PyPy, GraalPy), so the CPython string-buffer
// fast paths in `io.rs` compile only where that buffer exists.
fn main() {
    pyo3_build_config::use_pyo3_cfgs();
}
