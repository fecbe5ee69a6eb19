//! Errors and warnings about user input, always naming the file, the record and the field.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a user's file something went wrong: the file, and when known the record and the field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// 1-based record (feature, row) number, when the problem is in one record.
    pub record: Option<u64>,
    /// The field (column) name, when the problem is in one field.
    pub field: Option<String>,
}

impl Location {
    /// A location covering a whole file.
    pub fn file(path: impl AsRef<Path>) -> Self {
        Location { file: path.as_ref().to_path_buf(), record: None, field: None }
    }

    /// The same file, narrowed to one record (1-based).
    pub fn record(&self, record: u64) -> Self {
        Location { record: Some(record), ..self.clone() }
    }

    /// The same place, narrowed to one field.
    pub fn field(&self, field: impl Into<String>) -> Self {
        Location { field: Some(field.into()), ..self.clone() }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(r) = self.record {
            write!(f, ", record {r}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field '{field}'")?;
        }
        Ok(())
    }
}

/// A problem with input that stops a read: bad file, bad record, bad setting.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How the user can fix it, when we can say.
    pub hint: Option<String>,
}

impl InputError {
    /// An error at `location`.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        InputError { location, message: message.into(), hint: None }
    }

    /// An error about a whole file.
    pub fn in_file(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::new(Location::file(path), message)
    }

    /// Adds a hint telling the user how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// An I/O failure on `path` (missing file, permission …).
    pub fn io(path: impl AsRef<Path>, err: &std::io::Error) -> Self {
        let hint = match err.kind() {
            std::io::ErrorKind::NotFound => Some("check the path; relative paths in a project file are relative to the project file"),
            std::io::ErrorKind::PermissionDenied => Some("check the file's permissions"),
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                Some("free space on that disk or write to another (a province's shards take about twice its building layers)")
            }
            _ => None,
        };
        let verb = if matches!(err.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded) { "cannot write" } else { "cannot read" };
        let e = Self::in_file(path, format!("{verb}: {err}"));
        match hint {
            Some(h) => e.with_hint(h),
            None => e,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// Something odd in the input that does not stop the read, reported to the user.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// Where it is.
    pub location: Location,
    /// What was found and what was done about it.
    pub message: String,
}

impl Warning {
    /// A warning at `location`.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Warning { location, message: message.into() }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Result of reading user input.
pub type Result<T, E = InputError> = std::result::Result<T, E>;

/// Declares an error type that is a message (for a library function whose caller words the
/// context: which file, which record): `Display`, `std::error::Error` and `Into<String>`.
macro_rules! message_error {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::error::Error for $name {}

        impl From<$name> for String {
            fn from(e: $name) -> String {
                e.0
            }
        }
    };
}
pub(crate) use message_error;
