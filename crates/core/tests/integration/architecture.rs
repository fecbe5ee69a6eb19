//! The layering of the code, as ARCHITECTURE.md describes it, checked: no module of the core
//! uses a module beside it that uses it back (directly or round a circle), at any depth, and
//! the core depends on no GUI crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The core's source folder.
fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file: `coverage/radio/engine/mod.rs` → coverage, radio, engine.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The module paths a file names: `crate::a::b…` (also inside `use crate::{a::b, c}`) and
/// `super::x`, resolved against the file's own module. Unit tests (after `#[cfg(test)]`) and
/// comments are left out: they may reach anywhere.
fn uses(file: &Path) -> BTreeSet<Vec<String>> {
    let text = std::fs::read_to_string(file).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap();
    let code: String = code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let me = module_of(file);
    // A `mod.rs`/`lib.rs` file is its module; `super` of a plain file is its folder's module.
    let is_mod_file = matches!(file.file_stem().and_then(|s| s.to_str()), Some("mod" | "lib"));
    let parent: Vec<String> = if is_mod_file { me[..me.len().saturating_sub(1)].to_vec() } else { me[..me.len() - 1].to_vec() };
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    let mut out = BTreeSet::new();
    for (k, _) in code.match_indices("crate::") {
        let rest = &code[k + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            for item in group.split('}').next().unwrap().split(',') {
                let path: Vec<String> = item.trim().split("::").map(ident).take_while(|s| !s.is_empty()).collect();
                out.insert(path);
            }
        } else {
            let path: Vec<String> = rest
                .split("::")
                .map(ident)
                .take_while(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
                .collect();
            out.insert(path);
        }
    }
    for (k, _) in code.match_indices("super::") {
        let name = ident(&code[k + 7..]);
        if !name.is_empty() && name.chars().next().unwrap().is_ascii_lowercase() && name != "super" {
            let mut path = parent.clone();
            path.push(name);
            out.insert(path);
        }
    }
    out
}

/// Strongly connected groups of more than one module in `graph`.
fn circles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    // Reachability by depth-first search is enough at this size (a few hundred edges).
    let reach = |from: &Vec<String>| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(v) = stack.pop() {
            for w in graph.get(&v).into_iter().flatten() {
                if seen.insert(w.clone()) {
                    stack.push(w.clone());
                }
            }
        }
        seen
    };
    let mut found: Vec<Vec<Vec<String>>> = Vec::new();
    for v in graph.keys() {
        let from_v = reach(v);
        let mut group: Vec<Vec<String>> = from_v.iter().filter(|w| *w != v && reach(w).contains(v)).cloned().collect();
        if !group.is_empty() {
            group.push(v.clone());
            group.sort();
            if !found.contains(&group) {
                found.push(group);
            }
        }
    }
    found
}

#[test]
fn no_module_uses_a_sibling_that_uses_it_back() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut edges: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for f in &files {
        let me = module_of(f);
        for target in uses(f) {
            edges.push((me.clone(), target));
        }
    }
    // At each depth, the edges between siblings: from the ancestor of the user and the ancestor
    // of the used module that share a parent. A parent and its own children are one concept
    // split into files; their uses of each other are not layering.
    let mut problems = Vec::new();
    let max_depth = edges.iter().map(|(a, b)| a.len().max(b.len())).max().unwrap_or(0);
    for depth in 1..=max_depth {
        let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (a, b) in &edges {
            if a.len() < depth || b.len() < depth {
                continue;
            }
            let (a, b) = (a[..depth].to_vec(), b[..depth].to_vec());
            if a != b && a[..depth - 1] == b[..depth - 1] {
                graph.entry(a).or_default().insert(b);
            }
        }
        for c in circles(&graph) {
            problems.push(c.iter().map(|m| m.join("::")).collect::<Vec<_>>().join(" ↔ "));
        }
    }
    assert!(problems.is_empty(), "modules that use each other (move the shared part below both): {problems:#?}");
}

#[test]
fn the_core_depends_on_no_gui_crate() {
    let manifest = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    for gui in ["eframe", "egui", "wgpu", "winit", "rfd", "glow"] {
        assert!(!deps.lines().any(|l| l.trim_start().starts_with(gui)), "covplan-core must not depend on {gui}");
    }
}
