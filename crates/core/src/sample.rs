//! The built-in sample county (四会市, Zhaoqing): where it lives and what `covplan` prints of it.

use crate::model::{Tech, VillageKind};
use crate::project::Project;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The sample county's project file: in the source tree the executable was built from, or in
/// `sample_maps/` next to the executable for an installed copy.
pub fn sample_project_path() -> PathBuf {
    // This crate lives in `crates/core` of the repository, whose root holds `sample_maps/`.
    let repository = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).unwrap_or(std::path::Path::new("."));
    let in_tree = repository.join("sample_maps/sihui/project.toml");
    if in_tree.is_file() {
        return in_tree;
    }
    std::env::current_exe().ok().and_then(|e| e.parent().map(|d| d.join("sample_maps/sihui/project.toml"))).filter(|p| p.is_file()).unwrap_or(in_tree)
}

/// A one-screen description of a loaded project: counts per role, households, networks.
pub fn describe(p: &Project) -> String {
    use std::fmt::Write;
    let d = &p.data;
    let mut s = String::new();
    let _ = writeln!(s, "{} — {}", p.file.project.name, p.path.display());
    let nat = d.villages.iter().filter(|v| v.kind == VillageKind::Natural).count();
    let hh: f64 = d.villages.iter().filter(|v| v.kind == VillageKind::Natural).filter_map(|v| v.households).sum();
    let ge20 = d.villages.iter().filter(|v| v.kind == VillageKind::Natural && v.households.is_some_and(|h| h >= 20.0)).count();
    let urban = d.villages.iter().filter(|v| v.is_urban() == Some(true)).count();
    let _ = writeln!(
        s,
        "villages        {} administrative, {nat} natural ({ge20} with ≥ 20 households), {hh:.0} households in natural villages, {urban} urban",
        d.villages.len() - nat
    );
    let est = d.buildings.iter().filter(|b| b.households_estimated).count();
    let bhh: f64 = d.buildings.iter().map(|b| b.households).sum();
    let assigned = d.buildings.iter().filter(|b| b.village.is_some()).count();
    let _ =
        writeln!(s, "buildings       {} ({bhh:.0} households, {est} estimated from footprint × floors), {assigned} assigned to a village", d.buildings.len());
    let mut by_op: BTreeMap<(String, Tech), usize> = BTreeMap::new();
    for sec in &d.sectors {
        *by_op.entry((sec.operator.clone().unwrap_or_else(|| "?".into()), sec.tech)).or_default() += 1;
    }
    let ops: Vec<String> = by_op.iter().map(|((o, t), n)| format!("{o} {} {n}", t.name())).collect();
    let _ = writeln!(s, "sectors         {} ({})", d.sectors.len(), ops.join(", "));
    let km = |ls: &[&geo::MultiLineString<f64>]| -> f64 {
        use geo::{Distance, Haversine};
        ls.iter().flat_map(|m| m.0.iter()).flat_map(|l| l.0.windows(2)).map(|w| Haversine.distance(geo::Point(w[0]), geo::Point(w[1]))).sum::<f64>() / 1000.0
    };
    let _ = writeln!(
        s,
        "fiber           {} cables, {:.1} km; {} access points",
        d.cables.len(),
        km(&d.cables.iter().map(|c| &c.route).collect::<Vec<_>>()),
        d.access_points.len()
    );
    let _ = writeln!(s, "roads           {} ({:.1} km)", d.roads.len(), km(&d.roads.iter().map(|r| &r.line).collect::<Vec<_>>()));
    let mut cats: BTreeMap<&str, usize> = BTreeMap::new();
    for poi in &d.pois {
        *cats.entry(poi.category.as_str()).or_default() += 1;
    }
    let _ = writeln!(s, "points of int.  {} ({})", d.pois.len(), cats.iter().map(|(c, n)| format!("{c} {n}")).collect::<Vec<_>>().join(", "));
    let _ = writeln!(s, "admin areas     {}", d.admin_areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "));
    if let Some(t) = &p.terrain {
        let (lo, hi) = t.raster.min_max().unwrap_or((0.0, 0.0));
        let _ = writeln!(s, "terrain         {} × {} cells, {lo:.0} … {hi:.0} m", t.raster.cols, t.raster.rows);
    }
    let warnings: usize = p.summaries.iter().map(|l| l.warnings.len()).sum::<usize>() + p.warnings.len();
    let _ = write!(s, "warnings        {warnings}");
    let joins = p.warnings.iter().map(|w| w.to_string());
    for w in p.summaries.iter().flat_map(|l| l.warnings.iter().cloned()).chain(joins).take(10) {
        let _ = write!(s, "\n  {w}");
    }
    s
}
