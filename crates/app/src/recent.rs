//! The recently opened projects, kept in the user's configuration folder (%APPDATA% on Windows,
//! $XDG_CONFIG_HOME or ~/.config elsewhere) as one path a line.

use std::path::{Path, PathBuf};

/// The list's file in the user's configuration folder, where the system names one.
pub fn default_file() -> Option<PathBuf> {
    let base = std::env::var_os("APPDATA")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("covplan").join("recent.txt"))
}

/// The projects listed in `file`, newest first (no file, or one that cannot be read: none).
pub fn load(file: Option<&Path>) -> Vec<PathBuf> {
    file.and_then(|f| std::fs::read_to_string(f).ok()).map(|t| t.lines().filter(|l| !l.is_empty()).map(PathBuf::from).collect()).unwrap_or_default()
}

/// Writes `list` to `file` atomically (no file: nothing to do; a failure only loses the list).
pub fn save(file: Option<&Path>, list: &[PathBuf]) {
    let Some(f) = file else { return };
    if let Some(dir) = f.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let text: String = list.iter().map(|p| format!("{}\n", p.display())).collect();
    let _ = covplan_core::fsutil::atomic_write(f, text.as_bytes());
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_survives_a_round_trip() {
        let dir = std::env::temp_dir().join(format!("covplan-recent-{}", std::process::id()));
        let file = dir.join("covplan/recent.txt");
        let list = vec![std::path::PathBuf::from("/a/甲.toml"), std::path::PathBuf::from("/b/乙.toml")];
        super::save(Some(&file), &list);
        assert_eq!(super::load(Some(&file)), list);
        assert!(super::load(None).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
