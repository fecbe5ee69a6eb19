//! Crash-safe editing: after every scenario edit the app writes the scenario in force to an
//! autosave file beside the project (`项目.toml` → `项目.toml.autosave`), atomically (a temporary
//! file, synced, renamed over the old one, the folder synced), so that a crash or a power cut
//! loses at most the edit under way. The next start finds the file and offers to recover; a save
//! of the project removes it. The project file itself is never written by the autosave.
//!
//! Each autosave is the whole scenario (a few kilobytes even after hundreds of edits), not a
//! log of edits: there is nothing to replay, so a file is either the state after some edit or
//! absent, never half of one. It also records the SHA-256 of the project file it was made
//! against, so a project changed since (saved by another copy of covplan, edited by hand) is
//! noticed before its edits are mixed in.

use super::{ProjectFile, ScenarioSpec};
use crate::error::{InputError, Location, Result};
use crate::fsutil::atomic_write;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What an autosave holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Autosave {
    /// About the autosave.
    pub autosave: AutosaveMeta,
    /// The scenario in force after the last edit.
    #[serde(default)]
    pub scenario: ScenarioSpec,
}

/// The autosave's own record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutosaveMeta {
    /// SHA-256 (hex) of the project file the edits were made on.
    pub project_sha256: String,
    /// Edits made since the project was opened or saved (undo and redo count).
    pub edits: u64,
    /// SHA-256 (hex) of each layer's file when the edits were made, by layer name.
    #[serde(default)]
    pub layers: BTreeMap<String, String>,
}

/// Unsaved edits found when a project is opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// The autosave.
    pub autosave: Autosave,
    /// The project file changed since the edits were made.
    pub project_changed: bool,
    /// Layers whose file changed (or went missing) since the edits were made.
    pub layers_changed: Vec<String>,
}

/// SHA-256 of each layer's file of the project file `file` at `project` (layer paths relative to
/// its folder); a file that cannot be read hashes as empty.
pub fn layer_hashes(project: &Path, file: &ProjectFile) -> BTreeMap<String, String> {
    let dir = project.parent().unwrap_or(Path::new("."));
    file.layers.iter().map(|l| (l.name.clone(), crate::fsutil::sha256_file(&dir.join(&l.path)).map(|(h, _)| h).unwrap_or_default())).collect()
}

/// The autosave file of the project at `project`.
pub fn path_for(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_os_string();
    name.push(".autosave");
    project.with_file_name(name)
}

/// SHA-256 (hex) of the project file (empty when it cannot be read).
pub fn project_hash(project: &Path) -> String {
    crate::fsutil::sha256_file(project).map(|(h, _)| h).unwrap_or_default()
}

/// Writes the autosave of `project`: `scenario` after `edits` edits, made on layers whose files
/// hash to `layers` (see [`layer_hashes`]).
pub fn write(project: &Path, scenario: &ScenarioSpec, edits: u64, layers: &BTreeMap<String, String>) -> std::io::Result<()> {
    let a = Autosave { autosave: AutosaveMeta { project_sha256: project_hash(project), edits, layers: layers.clone() }, scenario: scenario.clone() };
    let body = toml::to_string(&a).map_err(std::io::Error::other)?;
    let name = project.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let text = format!(
        "# covplan: unsaved scenario edits of {name}, kept in case covplan stops before a save.\n# Removed when the project is saved; covplan offers to recover them when the project is opened.\n{body}"
    );
    atomic_write(&path_for(project), text.as_bytes())
}

/// The autosave of `project`, if there is one. A file that cannot be read or parsed is an
/// error naming it (it is never silently ignored: it may hold hours of edits).
pub fn read(project: &Path) -> Result<Option<Autosave>> {
    let path = path_for(project);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(InputError::io(&path, &e)),
    };
    toml::from_str(&text).map(Some).map_err(|e| {
        InputError::new(Location::file(&path), format!("the autosave cannot be read: {}", e.message()))
            .with_hint("it was not written by this version of covplan, or was edited by hand; move it away to open the project without it")
    })
}

/// Removes the autosave of `project` (after a save, or when its edits are discarded).
pub fn remove(project: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path_for(project)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// What opening `project`, whose file holds the scenario `saved` and whose layers hash to
/// `layers` now (see [`layer_hashes`]), should offer: the autosave when its scenario differs
/// from the saved one, with what changed on disk since.
pub fn pending(project: &Path, saved: &ScenarioSpec, now: &BTreeMap<String, String>) -> Result<Option<Offer>> {
    let Some(a) = read(project)?.filter(|a| &a.scenario != saved) else { return Ok(None) };
    let project_changed = a.autosave.project_sha256 != project_hash(project);
    let layers_changed = a.autosave.layers.iter().filter(|(name, h)| now.get(*name) != Some(*h)).map(|(name, _)| name.clone()).collect();
    Ok(Some(Offer { autosave: a, project_changed, layers_changed }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::ScenarioCable;

    #[test]
    fn an_autosave_round_trips_and_is_offered_only_when_it_differs() {
        let dir = std::env::temp_dir().join(format!("covplan-autosave-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let project = dir.join("项目.toml");
        std::fs::write(&project, "[project]\nname = \"x\"\n\n[[layers]]\nname = \"村\"\nrole = \"villages\"\npath = \"村.csv\"\n").unwrap();
        std::fs::write(dir.join("村.csv"), "名称,经度,纬度\n石门村,112.5,23.5\n").unwrap();
        let mut file = ProjectFile::load(&project).unwrap();
        assert!(pending(&project, &file.scenario, &layer_hashes(&project, &file)).unwrap().is_none());
        let spec =
            ScenarioSpec { cables: vec![ScenarioCable { id: "新增光缆-1".into(), route: vec![[112.0, 23.0], [112.01, 23.0]] }], ..Default::default() };
        write(&project, &spec, 3, &layer_hashes(&project, &file)).unwrap();
        assert_eq!(path_for(&project), dir.join("项目.toml.autosave"));
        let offer = pending(&project, &file.scenario, &layer_hashes(&project, &file)).unwrap().expect("the edits are offered");
        assert_eq!((&offer.autosave.scenario, offer.autosave.autosave.edits, offer.project_changed), (&spec, 3, false));
        assert!(offer.layers_changed.is_empty());
        // A layer file changed since: named.
        std::fs::write(dir.join("村.csv"), "名称,经度,纬度\n石门村,112.6,23.5\n").unwrap();
        assert_eq!(pending(&project, &file.scenario, &layer_hashes(&project, &file)).unwrap().unwrap().layers_changed, vec!["村".to_string()]);
        // Edits equal to what the project holds are nothing to recover.
        file.scenario = spec.clone();
        assert!(pending(&project, &file.scenario, &layer_hashes(&project, &file)).unwrap().is_none());
        file.scenario = ScenarioSpec::default();
        // The project file changed since: said so.
        std::fs::write(&project, "[project]\nname = \"y\"\n").unwrap();
        assert!(pending(&project, &file.scenario, &layer_hashes(&project, &file)).unwrap().unwrap().project_changed);
        // A damaged autosave is an error naming it, not ignored.
        std::fs::write(path_for(&project), "[autosave]\nproject_sha256 = 5\n").unwrap();
        let e = read(&project).unwrap_err().to_string();
        assert!(e.contains("项目.toml.autosave") && e.contains("cannot be read"), "{e}");
        remove(&project).unwrap();
        remove(&project).unwrap();
        assert!(read(&project).unwrap().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
