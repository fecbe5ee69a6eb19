//! The run record: which covplan, which inputs (with SHA-256), which settings and profile, so
//! that a result can be traced and reproduced. No timestamps: reruns give the same bytes.

use crate::analysis::Analysis;
use crate::project::Project;
use serde::Serialize;
use std::path::{Path, PathBuf};

pub use crate::fsutil::InputFile;

/// The run record of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    /// covplan's version.
    pub covplan_version: &'static str,
    /// The project file, every layer file (with a shapefile's side files) and a profile file.
    pub inputs: Vec<InputFile>,
    /// Foundation settings.
    pub settings: crate::project::file::Settings,
    /// Coverage settings.
    pub coverage: crate::settings::CoverageSettings,
    /// The profile as used.
    pub profile: crate::targets::profile::Profile,
    /// Where the profile came from.
    pub profile_source: String,
}

pub use crate::fsutil::sha256_file;

/// A shapefile's parts that exist beside it.
fn with_side_files(path: &Path) -> Vec<PathBuf> {
    let is_shp = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if !is_shp {
        return vec![path.to_path_buf()];
    }
    ["shp", "shx", "dbf", "prj", "cpg"].iter().map(|e| path.with_extension(e)).filter(|p| p.exists()).collect()
}

/// The record for an analysis of `p`.
pub fn record(p: &Project, a: &Analysis) -> std::io::Result<RunRecord> {
    let inputs = match &p.partition {
        Some(part) => part.inputs.clone(),
        None => inputs(p, &a.profile_source)?,
    };
    Ok(RunRecord {
        covplan_version: env!("CARGO_PKG_VERSION"),
        inputs,
        settings: p.file.settings.clone(),
        coverage: p.file.coverage.clone(),
        profile: a.profile.clone(),
        profile_source: a.profile_source.clone(),
    })
}

/// The project file, every layer file (with a shapefile's side files) and a profile file
/// (`profile_source`, when it is a file), with their checksums.
pub fn inputs(p: &Project, profile_source: &str) -> std::io::Result<Vec<InputFile>> {
    let dir = p.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut files = vec![p.path.clone()];
    for l in &p.file.layers {
        files.extend(with_side_files(&dir.join(&l.path)));
    }
    if Path::new(profile_source).is_file() {
        files.push(PathBuf::from(profile_source));
    }
    // Files hashed side by side (the order of the list is kept).
    use rayon::prelude::*;
    files
        .par_iter()
        .map(|f| {
            let (sha256, bytes) = sha256_file(f)?;
            let shown = f.strip_prefix(&dir).unwrap_or(f).to_string_lossy().replace('\\', "/");
            Ok(InputFile { path: shown, sha256, bytes })
        })
        .collect::<std::io::Result<Vec<InputFile>>>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_bytes() {
        let dir = std::env::temp_dir().join(format!("covplan-sha-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("abc.txt");
        std::fs::write(&f, b"abc").unwrap();
        // FIPS 180-2 test vector.
        assert_eq!(sha256_file(&f).unwrap().0, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
