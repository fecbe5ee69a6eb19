//! `covplan report`: one gap map of a project, from loading to the file written (atomically),
//! as PDF, SVG or PNG by the output's extension.

use super::export;
use super::print::{Drawn, Paper, PrintSpec, compose};
use crate::analysis::Analysis;
use crate::error::{InputError, Location, Result};
use crate::project::Project;
use crate::render::{Bounds, Scene, VerdictTheme};
use crate::targets::evaluate::State;
use std::path::Path;
use std::sync::Arc;

/// The choices of a printed map.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Target id (default: the first with places not met).
    pub target: Option<String>,
    /// Admin area or village by code or name (default: the whole project).
    pub area: Option<String>,
    /// Paper.
    pub paper: Paper,
    /// Landscape.
    pub landscape: bool,
    /// PNG resolution.
    pub dpi: f64,
    /// Footnote date (default: today, UTC).
    pub date: Option<String>,
    /// Title instead of the default.
    pub title: Option<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions { target: None, area: None, paper: Paper::A3, landscape: true, dpi: 300.0, date: None, title: None }
    }
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock (civil-from-days, no time zone data).
pub fn today() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() / 86_400).unwrap_or(0) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The frame bounds and name of an area given by code or name: an admin area, else a village.
pub fn area_bounds(p: &Project, area: &str) -> Option<(Bounds, String)> {
    let d = &p.data;
    let mp = d
        .admin_areas
        .iter()
        .find(|a| a.code.as_deref() == Some(area) || a.name == area)
        .map(|a| (&a.boundary, a.name.clone()))
        .or_else(|| d.villages.iter().find(|v| v.id == area || v.name == area).and_then(|v| v.area.as_ref().map(|a| (a, v.name.clone()))))?;
    let r = p.frame.polygon_metrics(mp.0).rect;
    Some((r, mp.1))
}

/// A short hash of every input file (the run record's SHA-256s, hashed together).
pub fn input_hash(p: &Project, a: &Analysis) -> Result<String> {
    use sha2::{Digest, Sha256};
    let rec = super::run_record::record(p, a).map_err(|e| InputError::new(Location::file(&p.path), format!("cannot hash the inputs: {e}")))?;
    let mut h = Sha256::new();
    for f in &rec.inputs {
        h.update(f.sha256.as_bytes());
    }
    Ok(h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect())
}

/// The page for `a` on `p` (scene from the project's layers, coloured by the target).
pub fn page(p: &Project, a: &Analysis, o: &ReportOptions) -> Result<(String, Drawn)> {
    page_of(p, a, Scene::for_print(p), o)
}

/// [`page`] on a scene already built (e.g. alongside the analysis, see [`analyse_and_scene`]).
pub fn page_of(p: &Project, a: &Analysis, mut scene: Scene, o: &ReportOptions) -> Result<(String, Drawn)> {
    let loc = Location::file(&p.path);
    let target = match &o.target {
        Some(id) => Some(a.targets.iter().position(|t| &t.target.id == id).ok_or_else(|| {
            let ids: Vec<&str> = a.targets.iter().map(|t| t.target.id.as_str()).collect();
            InputError::new(loc.clone(), format!("the profile has no target '{id}'")).with_hint(format!("targets: {}", ids.join(", ")))
        })?),
        None => a.targets.iter().position(|t| t.count(State::NotMet) > 0).or((!a.targets.is_empty()).then_some(0)),
    };
    scene.theme = target.map(|i| Arc::new(VerdictTheme::of(&a.targets[i])));
    let county =
        p.data.admin_areas.iter().find(|x| x.level.as_deref().is_some_and(|l| l.contains("县") || l.contains("county"))).or(p.data.admin_areas.first());
    let (bounds, area_name) = match &o.area {
        Some(name) => area_bounds(p, name).ok_or_else(|| {
            InputError::new(loc.clone(), format!("no admin area or village polygon has the code or name '{name}'"))
                .with_hint("give a township or county name or code from the admin layers")
        })?,
        None => (
            scene.extent().ok_or_else(|| InputError::new(loc.clone(), "the project has nothing to draw"))?,
            county.map_or_else(|| p.file.project.name.clone(), |c| c.name.clone()),
        ),
    };
    let gaps = crate::targets::gaps::gaps(p, a);
    let spec = PrintSpec {
        paper: o.paper,
        landscape: o.landscape,
        margin_mm: 10.0,
        title: o.title.clone(),
        bounds,
        area_name,
        target,
        date: o.date.clone().unwrap_or_else(today),
        input_hash: input_hash(p, a)?,
    };
    Ok(compose(p, &scene, a, &gaps, &spec))
}

/// The analysis of `p` with a profile and its map scene, computed at the same time.
pub fn analyse_and_scene(p: &Project, profile: crate::targets::profile::Profile, source: String) -> Result<(Analysis, Scene)> {
    let (a, scene) = rayon::join(|| crate::analysis::run(p, profile, source), || Scene::for_print(p));
    Ok((a?, scene))
}

/// Writes the page to `out` as PDF, SVG or PNG (by extension), atomically.
pub fn write(svg: &str, out: &Path, dpi: f64) -> Result<()> {
    let loc = Location::file(out);
    let ext = out.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let bytes = match ext.as_str() {
        "svg" => svg.as_bytes().to_vec(),
        "png" | "pdf" => {
            let tree = export::parse(svg).map_err(|e| InputError::new(loc.clone(), e))?;
            if ext == "png" { export::to_png(&tree, dpi) } else { export::to_pdf(&tree) }.map_err(|e| InputError::new(loc.clone(), e))?
        }
        _ => return Err(InputError::new(loc, "unknown output type").with_hint("name the output .pdf, .svg or .png")),
    };
    crate::fsutil::atomic_write(out, &bytes).map_err(|e| InputError::io(out, &e))
}
