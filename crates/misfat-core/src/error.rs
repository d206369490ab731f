//! The one error type of the core; the binding crate maps it to Python once.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    /// An option name that does not exist; `valid` lists the accepted names.
    #[error("unknown {kind} {name:?}; expected one of: {valid}")]
    UnknownName {
        kind: &'static str,
        name: String,
        valid: String,
    },
    /// A value outside its accepted range or form.
    #[error("{0}")]
    InvalidValue(String),
    /// Serialized state that cannot be read back.
    #[error("invalid serialized state: {0}")]
    InvalidState(String),
}

impl CoreError {
    pub fn unknown(kind: &'static str, name: &str, valid: &[&str]) -> Self {
        CoreError::UnknownName {
            kind,
            name: name.to_owned(),
            valid: valid.join(", "),
        }
    }
}

pub type Result<T> = std::result::Result<T, CoreError>;
