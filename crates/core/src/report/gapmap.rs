//! `covplan report`: one gap map of a project, from loading to the file written (atomically),
//! as PDF, SVG or PNG by the output's extension.

use super::export;
use super::print::{Drawn, Paper, PrintSpec, compose};
use crate::analysis::Analysis;
use crate::analysis::gaps::Gap;
use crate::error::{InputError, Location, Result};
use crate::project::Project;
use crate::render::view::holds;
use crate::render::{Bounds, Scene, VerdictTheme};
use crate::targets::evaluate::Verdict;
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
    /// Margins, mm.
    pub margin_mm: f64,
    /// PNG resolution.
    pub dpi: f64,
    /// Footnote date (default: today, UTC).
    pub date: Option<String>,
    /// Title instead of the default.
    pub title: Option<String>,
    /// Meridians and parallels with lon/lat labels.
    pub graticule: bool,
    /// One page per admin area of this level (a PDF atlas) instead of one map.
    pub atlas: Option<AtlasLevel>,
    /// Frame the map around the N-th gap (1-based, in the gap list's order) of the target.
    pub gap: Option<usize>,
}

/// The admin level of an atlas's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtlasLevel {
    /// A page per township (乡、镇、街道).
    Township,
    /// A page per county (县、县级市、区).
    County,
}

impl AtlasLevel {
    /// `township` or `county` (also 乡镇, 县).
    pub fn parse(s: &str) -> Option<AtlasLevel> {
        match s.to_ascii_lowercase().as_str() {
            "township" | "town" | "乡镇" | "乡" | "镇" => Some(AtlasLevel::Township),
            "county" | "district" | "县" | "区县" => Some(AtlasLevel::County),
            _ => None,
        }
    }

    /// Whether an admin area is of this level: by its level field, else by its code's length
    /// (9 digits for townships, 6 for counties not ending in 00, which are cities).
    pub fn holds(self, area: &crate::model::AdminArea) -> bool {
        if let Some(level) = area.level.as_deref().map(str::to_lowercase) {
            let township = ["乡", "镇", "街道", "town", "street", "subdistrict"].iter().any(|k| level.contains(k));
            let county = ["县", "区", "county", "district"].iter().any(|k| level.contains(k)) && !township;
            if township || county {
                return match self {
                    AtlasLevel::Township => township,
                    AtlasLevel::County => county,
                };
            }
        }
        let code = area.code.as_deref().unwrap_or("");
        code.bytes().all(|b| b.is_ascii_digit())
            && match self {
                AtlasLevel::Township => code.len() == 9,
                AtlasLevel::County => code.len() == 6 && !code.ends_with("00"),
            }
    }
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            target: None,
            area: None,
            paper: Paper::A3,
            landscape: true,
            margin_mm: 10.0,
            dpi: 300.0,
            date: None,
            title: None,
            graticule: false,
            atlas: None,
            gap: None,
        }
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

/// Half the side of the map around a place that has no polygon (a natural village, a gap), m.
const SURROUNDINGS_M: f64 = 1_500.0;

/// The frame bounds and name of an area given by code or name: an admin area, else a village
/// (its polygon, or the surroundings of its point).
pub fn area_bounds(p: &Project, area: &str) -> Option<(Bounds, String)> {
    let d = &p.data;
    if let Some(a) = d.admin_areas.iter().find(|a| a.code.as_deref() == Some(area) || a.name == area) {
        return Some((p.frame.polygon_metrics(&a.boundary).rect, a.name.clone()));
    }
    let v = d.villages.iter().find(|v| v.id == area || v.name == area)?;
    let rect = match &v.area {
        Some(mp) => p.frame.polygon_metrics(mp).rect,
        None => around(p.frame.forward(v.location.x(), v.location.y())),
    };
    Some((rect, v.name.clone()))
}

fn around((x, y): (f64, f64)) -> Bounds {
    [x - SURROUNDINGS_M, y - SURROUNDINGS_M, x + SURROUNDINGS_M, y + SURROUNDINGS_M]
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
pub fn page_of(p: &Project, a: &Analysis, scene: Scene, o: &ReportOptions) -> Result<(String, Drawn)> {
    let mut pages = pages_of(p, a, scene, &ReportOptions { atlas: None, ..o.clone() })?;
    Ok(pages.remove(0))
}

/// What one page frames: the map's bounds, the area's name and (atlas) the township.
struct PageFrame {
    bounds: Bounds,
    area_name: String,
    township: Option<String>,
}

/// Every page of the report: one, or one per admin area of the atlas level (within `--area`
/// when given), in code order.
pub fn pages_of(p: &Project, a: &Analysis, mut scene: Scene, o: &ReportOptions) -> Result<Vec<(String, Drawn)>> {
    let loc = Location::file(&p.path);
    let target = match &o.target {
        Some(id) => Some(a.targets.iter().position(|t| &t.target.id == id).ok_or_else(|| {
            let ids: Vec<&str> = a.targets.iter().map(|t| t.target.id.as_str()).collect();
            InputError::new(loc.clone(), format!("the profile has no target '{id}'")).with_hint(format!("targets: {}", ids.join(", ")))
        })?),
        None => a.targets.iter().position(|t| t.count(Verdict::NotMet) > 0).or((!a.targets.is_empty()).then_some(0)),
    };
    scene.theme = target.map(|i| Arc::new(VerdictTheme::of(&a.targets[i])));
    let extent = scene.extent().ok_or_else(|| InputError::new(loc.clone(), "the project has nothing to draw"))?;
    let frames = page_frames(p, a, o, target, extent)?;
    let (date, input_hash) = (o.date.clone().unwrap_or_else(today), input_hash(p, a)?);
    let spec = |f: PageFrame| PrintSpec {
        paper: o.paper,
        landscape: o.landscape,
        margin_mm: o.margin_mm,
        title: o.title.clone(),
        bounds: f.bounds,
        area_name: f.area_name,
        target,
        date: date.clone(),
        input_hash: input_hash.clone(),
        graticule: o.graticule,
        overview: Some(extent),
        township: f.township,
        raster_above: super::print::RASTER_ABOVE,
    };
    // Pages are independent: compose them in parallel (order kept, so the bytes are the same).
    use rayon::prelude::*;
    Ok(frames
        .into_par_iter()
        .map(|f| {
            let gaps = target.map(|ti| page_gaps(p, a, ti, &f)).unwrap_or_default();
            compose(p, &scene, a, &gaps, &spec(f))
        })
        .collect())
}

/// Gap rows a page can hold at most (an A1 portrait side panel).
const MAX_GAP_ROWS: usize = 250;

/// The largest gaps of target `ti` inside the page's frame (and township, for atlas pages).
fn page_gaps(p: &Project, a: &Analysis, ti: usize, f: &PageFrame) -> Vec<Gap> {
    let g = &a.geography;
    let b = f.bounds;
    let keep = |place, [x, y]: [f64; 2]| {
        x >= b[0]
            && x <= b[2]
            && y >= b[1]
            && y <= b[3]
            && f.township.as_ref().is_none_or(|t| g.township(p, place).map(|c| g.township_name(c)) == Some(t.as_str()))
    };
    crate::analysis::gaps::top_gaps(p, a, ti, keep, MAX_GAP_ROWS)
}

fn page_frames(p: &Project, a: &Analysis, o: &ReportOptions, target: Option<usize>, extent: Bounds) -> Result<Vec<PageFrame>> {
    let loc = Location::file(&p.path);
    let no_area = |name: &str| {
        InputError::new(loc.clone(), format!("no admin area or village has the code or name '{name}'"))
            .with_hint("give a township or county name or code from the admin layers, or a village's id or name")
    };
    let within = match &o.area {
        Some(name) => Some(area_bounds(p, name).ok_or_else(|| no_area(name))?),
        None => None,
    };
    if let Some(level) = o.atlas {
        let mut areas: Vec<&crate::model::AdminArea> = p.data.admin_areas.iter().filter(|x| level.holds(x)).collect();
        areas.sort_by(|x, y| (x.code.as_deref(), &x.name).cmp(&(y.code.as_deref(), &y.name)));
        let frames: Vec<PageFrame> = areas
            .into_iter()
            .map(|x| PageFrame {
                bounds: p.frame.polygon_metrics(&x.boundary).rect,
                area_name: x.name.clone(),
                township: (level == AtlasLevel::Township).then(|| x.name.clone()),
            })
            .filter(|f| within.as_ref().is_none_or(|(w, _)| holds(*w, centre(f.bounds))))
            .collect();
        if frames.is_empty() {
            return Err(InputError::new(loc, format!("no admin area of level {level:?} to make atlas pages of"))
                .with_hint("the admin layers need a level field (级别: 乡镇/县级) or 9-digit township / 6-digit county codes"));
        }
        return Ok(frames);
    }
    if let Some(n) = o.gap {
        let t = target.map(|i| a.targets[i].target.id.as_str()).unwrap_or("");
        let of_target = target.map(|ti| crate::analysis::gaps::top_gaps(p, a, ti, |_, _| true, n)).unwrap_or_default();
        let g = n.checked_sub(1).and_then(|k| of_target.get(k)).ok_or_else(|| {
            InputError::new(loc.clone(), format!("target '{t}' has {} gaps; there is no gap {n}", of_target.len()))
                .with_hint("gaps are numbered from 1 in the order of gaps.csv")
        })?;
        let name = if g.township.is_empty() { g.name.clone() } else { format!("{} {}", g.township, g.name) };
        return Ok(vec![PageFrame { bounds: around(p.frame.forward(g.lon, g.lat)), area_name: name, township: None }]);
    }
    let county = p.data.admin_areas.iter().find(|x| AtlasLevel::County.holds(x)).or(p.data.admin_areas.first());
    Ok(vec![match within {
        Some((bounds, area_name)) => {
            let township = p.data.admin_areas.iter().find(|x| x.name == area_name && AtlasLevel::Township.holds(x)).map(|x| x.name.clone());
            PageFrame { bounds, area_name, township }
        }
        None => PageFrame { bounds: extent, area_name: county.map_or_else(|| p.file.project.name.clone(), |c| c.name.clone()), township: None },
    }])
}

fn centre(b: Bounds) -> [f64; 2] {
    [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]
}

/// The analysis of `p` with a profile and its map scene, computed at the same time.
pub fn analyse_and_scene(p: &Project, profile: crate::targets::profile::Profile, source: String) -> Result<(Analysis, Scene)> {
    let (a, scene) = rayon::join(|| crate::analysis::run_for_gaps(p, profile, source), || Scene::for_print(p));
    Ok((a?, scene))
}

/// Writes the pages to `out` as PDF (every page), SVG or PNG (one page), by extension, atomically.
pub fn write(pages: &[String], out: &Path, dpi: f64) -> Result<()> {
    let loc = Location::file(out);
    let ext = out.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if pages.len() != 1 && ext != "pdf" {
        return Err(InputError::new(loc, format!("{} pages cannot go into one .{ext} file", pages.len())).with_hint("write an atlas as .pdf"));
    }
    let bytes = match ext.as_str() {
        "svg" => pages[0].as_bytes().to_vec(),
        "png" | "pdf" => {
            let trees = pages.iter().map(|svg| export::parse(svg)).collect::<std::result::Result<Vec<_>, _>>().map_err(|e| InputError::new(loc.clone(), e))?;
            if ext == "png" { export::to_png(&trees[0], dpi) } else { export::to_pdf(&trees) }.map_err(|e| InputError::new(loc.clone(), e))?
        }
        _ => return Err(InputError::new(loc, "unknown output type").with_hint("name the output .pdf, .svg or .png")),
    };
    crate::fsutil::atomic_write(out, &bytes).map_err(|e| InputError::io(out, &e))
}
