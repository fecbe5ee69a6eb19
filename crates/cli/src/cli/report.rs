//! `covplan report`: a printed gap map, atlas or gap close-up (PDF, SVG or PNG).

use super::Failure;
use clap::Args;
use std::path::PathBuf;

/// The options of `covplan report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The project file (TOML).
    pub project: PathBuf,
    /// Profile id or file (default as for analyze).
    #[arg(long)]
    pub profile: Option<String>,
    /// Target id whose verdicts colour the map (default: the first with places not met).
    #[arg(long)]
    pub target: Option<String>,
    /// Admin area or village (code or name) the map frames (default: everything).
    #[arg(long)]
    pub area: Option<String>,
    /// Paper: A4, A3, A2, A1 or WIDTHxHEIGHT in mm.
    #[arg(long, default_value = "A3")]
    pub paper: String,
    /// Landscape (the long side horizontal).
    #[arg(long)]
    pub landscape: bool,
    /// Margins in mm.
    #[arg(long, default_value_t = 10.0)]
    pub margin: f64,
    /// PNG resolution.
    #[arg(long, default_value_t = 300.0)]
    pub dpi: f64,
    /// Footnote date (default: today); give one for byte-identical reruns.
    #[arg(long)]
    pub date: Option<String>,
    /// Title instead of the default one.
    #[arg(long)]
    pub title: Option<String>,
    /// Draw meridians and parallels with lon/lat labels.
    #[arg(long)]
    pub graticule: bool,
    /// An atlas: one page per `township` or `county` (within --area when given), in one PDF.
    #[arg(long)]
    pub atlas: Option<String>,
    /// Frame the map around the N-th gap of the target (1-based, as numbered in gaps.csv).
    #[arg(long)]
    pub gap: Option<usize>,
    /// Print the coverage grid under the map: rsrp, best-server or mbps (per household, busy hour).
    #[arg(long, value_name = "rsrp|best-server|mbps")]
    pub grid: Option<String>,
    /// The grid's operator and technology, e.g. "中国移动 LTE" or an operator (default: the first operator's LTE).
    #[arg(long, value_name = "NAME")]
    pub grid_layer: Option<String>,
    /// Print the plan `covplan plan --out DIR` wrote in DIR: routes, sites, closed and remaining
    /// gaps, bill of quantities and cost curve (A3 landscape unless told).
    #[arg(long, value_name = "DIR")]
    pub plan: Option<PathBuf>,
    /// Print the comparison with the project's measurements instead (A4): RSRP errors before and
    /// after calibration, the fits, predicted against measured, the error histogram and the
    /// challenged verdicts of the profile.
    #[arg(long)]
    pub measurements: bool,
    /// Output file: .pdf, .svg or .png.
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `covplan report`: loads, analyses, composes the pages and writes them.
pub fn report(args: ReportArgs) -> Result<(), Failure> {
    if let Some(dir) = args.plan.clone() {
        return plan_report(args, &dir);
    }
    if args.measurements {
        return measurements_report(args);
    }
    let ReportArgs {
        project,
        profile,
        target,
        area,
        paper,
        landscape,
        margin,
        dpi,
        date,
        title,
        graticule,
        atlas,
        gap,
        grid,
        grid_layer,
        plan: _,
        measurements: _,
        out,
    } = args;
    let t = std::time::Instant::now();
    let paper =
        covplan_core::report::print::Paper::parse(&paper).ok_or_else(|| Failure::Usage(format!("unknown paper '{paper}' (A4, A3, A2, A1 or 500x300)")))?;
    if !(10.0..=2400.0).contains(&dpi) {
        return Err(Failure::Usage(format!("--dpi {dpi}: give 10 … 2400")));
    }
    if !(0.0..=50.0).contains(&margin) {
        return Err(Failure::Usage(format!("--margin {margin}: give 0 … 50 mm")));
    }
    let atlas = match atlas {
        Some(level) => {
            Some(covplan_core::report::gapmap::AtlasLevel::parse(&level).ok_or_else(|| Failure::Usage(format!("--atlas {level}: give township or county")))?)
        }
        None => None,
    };
    if atlas.is_some() && gap.is_some() {
        return Err(Failure::Usage("--atlas and --gap exclude each other".into()));
    }
    let grid = match grid {
        Some(q) => Some(
            covplan_core::render::grid_image::GridQuantity::parse(&q).ok_or_else(|| Failure::Usage(format!("--grid {q}: give rsrp, best-server or mbps")))?,
        ),
        None => None,
    };
    let p = covplan_core::project::Project::load(&project)?;
    let (prof, source) = covplan_core::targets::profile::resolve(&p, profile.as_deref())?;
    let (a, mut scene) = covplan_core::report::gapmap::analyse_and_scene(&p, prof, source)?;
    if let Some(q) = grid {
        scene.grid = Some(std::sync::Arc::new(report_grid(&p, q, grid_layer.as_deref())?));
    }
    let o = covplan_core::report::gapmap::ReportOptions { target, area, paper, landscape, margin_mm: margin, dpi, date, title, graticule, atlas, gap };
    let pages = covplan_core::report::gapmap::pages_of(&p, &a, scene, &o)?;
    let svgs: Vec<String> = pages.iter().map(|(svg, _)| svg.clone()).collect();
    covplan_core::report::gapmap::write(&svgs, &out, dpi)?;
    let drawn = &pages[0].1;
    println!(
        "{}: {} page(s); page 1: {} legend lines, scale 1:{:.0} ({} m = {:.1} mm); in {:.0} ms",
        out.display(),
        pages.len(),
        drawn.legend.len(),
        drawn.scale.2,
        drawn.scale.0,
        drawn.scale.1,
        t.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

/// `covplan report PROJECT --measurements`: the comparison page.
fn measurements_report(args: ReportArgs) -> Result<(), Failure> {
    let t = std::time::Instant::now();
    let p = covplan_core::project::Project::load(&args.project)?;
    let c = covplan_core::measure::report::run(&p, &p.file.measurements.calibration)?;
    let (prof, source) = covplan_core::targets::profile::resolve(&p, args.profile.as_deref())?;
    let a = covplan_core::analysis::run_for_gaps(&p, prof, source)?;
    let challenges = covplan_core::measure::challenge::challenges(&p, &a, &p.file.measurements.challenge);
    let date = args.date.unwrap_or_else(covplan_core::report::gapmap::today);
    let svg = covplan_core::report::measure_page::page(&p, &c, &challenges, &date);
    covplan_core::report::gapmap::write(&[svg], &args.out, args.dpi)?;
    println!("{}: measurements page in {:.0} ms", args.out.display(), t.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

/// `covplan report PROJECT --plan DIR`: the plan map.
fn plan_report(args: ReportArgs, dir: &std::path::Path) -> Result<(), Failure> {
    if args.atlas.is_some() || args.gap.is_some() || args.grid.is_some() || args.area.is_some() || args.target.is_some() {
        return Err(Failure::Usage("--plan prints the whole plan: --atlas, --gap, --grid, --area and --target do not apply".into()));
    }
    let t = std::time::Instant::now();
    let paper = covplan_core::report::print::Paper::parse(&args.paper).ok_or_else(|| Failure::Usage(format!("unknown paper '{}'", args.paper)))?;
    let plan = covplan_core::report::plan_map::PlanDir::read(dir)?;
    let p = covplan_core::project::Project::load(&args.project)?;
    let (prof, source) = covplan_core::targets::profile::resolve(&p, args.profile.as_deref())?;
    let before = covplan_core::analysis::run_for_gaps(&p, prof, source)?;
    let spec = covplan_core::report::plan_map::PageSpec {
        paper,
        // A plan map reads best across: landscape unless the paper is given as W x H.
        landscape: args.landscape || !args.paper.contains('x'),
        margin_mm: args.margin,
        title: args.title,
        date: args.date.unwrap_or_else(covplan_core::report::gapmap::today),
    };
    let svg = covplan_core::report::plan_map::page(&p, &before, &plan, &spec)?;
    covplan_core::report::gapmap::write(&[svg], &args.out, args.dpi)?;
    println!("{}: plan map in {:.0} ms", args.out.display(), t.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

/// The coverage grid image `--grid Q [--grid-layer NAME]` asks for, rates per household at
/// the busy hour (the radio is computed at every building for the households per sector).
fn report_grid(
    p: &covplan_core::project::Project,
    q: covplan_core::render::grid_image::GridQuantity,
    layer: Option<&str>,
) -> Result<covplan_core::render::grid_image::GridImage, Failure> {
    use covplan_core::render::grid_image::{find_layer, grid_image, layer_name};
    let g = covplan_core::coverage::radio::grid::compute_grid_for_households(p, &p.file.coverage.radio, None);
    let names: Vec<String> = g.layers.iter().map(|l| layer_name(&g, l)).collect();
    let index = match layer {
        Some(name) => find_layer(&g, name).ok_or_else(|| Failure::Usage(format!("--grid-layer {name}: the grid has {}", names.join(", "))))?,
        None => find_layer(&g, g.operators.first().map_or("", String::as_str)).unwrap_or(0),
    };
    grid_image(&g, index, q).ok_or_else(|| Failure::Usage("--grid: the project has no sectors to make a coverage grid of".into()))
}
