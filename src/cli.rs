//! The command line: `covplan` with no arguments runs the main job; subcommands do batch work.
//!
//! Exit codes: 0 success, 1 bad input (the message names file, record and field), 2 wrong usage.

use crate::crs::{Crs, Offset};
use crate::error::InputError;
use crate::inspect;
use crate::io::ReadOptions;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// covplan — broadband coverage planning against Chinese policy targets.
#[derive(Parser, Debug)]
#[command(name = "covplan", version, about)]
pub struct Cli {
    /// What to do; without one, covplan opens the desktop app on the built-in sample county.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
// Parsed once per run: the report's many options making it the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the desktop app on a project (default: the built-in sample county).
    Open {
        /// The project file (TOML).
        project: Option<PathBuf>,
    },
    /// Print the sample county and its zhaoqing-2020 verdicts (the app's first screen, as text).
    Sample,
    /// Print, per layer of a project: format, CRS, encoding, features, fields, extent, warnings.
    Layers {
        /// The project file (TOML).
        project: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Benchmarks (figures for README): `load-sample` or `load-buildings`.
    Bench {
        /// Which benchmark: load-sample (the sample county), load-buildings (a synthetic building
        /// shapefile), coverage (fiber and radio on the sample county), radio-buildings (radio on
        /// synthetic buildings and 2 000 sectors), analyze (every profile on the sample county, end
        /// to end) or analyze-villages (a fiber target on synthetic villages).
        which: String,
        /// Buildings (or villages) in the synthetic layer.
        #[arg(long, default_value_t = 1_000_000)]
        count: usize,
        /// Repetitions.
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Coverage of a project: fiber reach and capability, 4G/5G per operator, with shares.
    Coverage {
        /// The project file (TOML).
        project: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Also compute the coverage grid (cell size: `[coverage.radio] grid_cell_m`) and write
        /// it here as CSV: one row per cell and operator-technology a sector reaches.
        #[arg(long, value_name = "OUT.csv")]
        grid: Option<PathBuf>,
    },
    /// Check a policy profile's targets: verdicts with evidence, gaps, per-area shares.
    Analyze {
        /// The project file (TOML).
        project: PathBuf,
        /// A built-in profile id (zhaoqing-2020, guangdong-2020, hunan-2015, hunan-2020,
        /// national-demo-2016, tianjin-2020) or a profile file; default: the project's
        /// `[analysis] profile`, else zhaoqing-2020.
        #[arg(long)]
        profile: Option<String>,
        /// Write summary.json, gaps.csv, gaps.geojson, gaps.shp, gaps.kml and areas.csv here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print a gap map (PDF, SVG or PNG by the output's extension).
    Report {
        /// The project file (TOML).
        project: PathBuf,
        /// Profile id or file (default as for analyze).
        #[arg(long)]
        profile: Option<String>,
        /// Target id whose verdicts colour the map (default: the first with places not met).
        #[arg(long)]
        target: Option<String>,
        /// Admin area or village (code or name) the map frames (default: everything).
        #[arg(long)]
        area: Option<String>,
        /// Paper: A4, A3, A2, A1 or WIDTHxHEIGHT in mm.
        #[arg(long, default_value = "A3")]
        paper: String,
        /// Landscape (the long side horizontal).
        #[arg(long)]
        landscape: bool,
        /// Margins in mm.
        #[arg(long, default_value_t = 10.0)]
        margin: f64,
        /// PNG resolution.
        #[arg(long, default_value_t = 300.0)]
        dpi: f64,
        /// Footnote date (default: today); give one for byte-identical reruns.
        #[arg(long)]
        date: Option<String>,
        /// Title instead of the default one.
        #[arg(long)]
        title: Option<String>,
        /// Draw meridians and parallels with lon/lat labels.
        #[arg(long)]
        graticule: bool,
        /// An atlas: one page per `township` or `county` (within --area when given), in one PDF.
        #[arg(long)]
        atlas: Option<String>,
        /// Frame the map around the N-th gap of the target (1-based, as numbered in gaps.csv).
        #[arg(long)]
        gap: Option<usize>,
        /// Print the coverage grid under the map: rsrp, best-server or mbps (per household, busy hour).
        #[arg(long, value_name = "rsrp|best-server|mbps")]
        grid: Option<String>,
        /// The grid's operator and technology, e.g. "中国移动 LTE" or an operator (default: the first operator's LTE).
        #[arg(long, value_name = "NAME")]
        grid_layer: Option<String>,
        /// Output file: .pdf, .svg or .png.
        #[arg(long)]
        out: PathBuf,
    },
    /// Path-loss workbench: reads model,environment,los,freq_mhz,dist_m,h_bs_m,h_ut_m rows and writes them with path_loss_db,in_range.
    Pathloss {
        /// Input CSV.
        #[arg(long)]
        csv: PathBuf,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print what one file holds, as `layers` does for a project's layers.
    Inspect {
        /// A .shp, .zip, .geojson, .gpkg, .kml, .kmz, .csv, .xlsx, .hgt or .tif file.
        file: PathBuf,
        /// Text encoding to use when the file does not say (GBK, UTF-8 …).
        #[arg(long)]
        encoding: Option<String>,
        /// CRS to use, e.g. EPSG:4526, overriding the file's own.
        #[arg(long)]
        crs: Option<String>,
        /// Remove a Chinese web-map offset: gcj02 or bd09.
        #[arg(long)]
        offset: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Why a command failed: bad input (exit 1) or wrong usage (exit 2).
#[derive(Debug)]
pub enum Failure {
    /// The input files or settings are wrong.
    Input(InputError),
    /// The command line is wrong.
    Usage(String),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

/// Runs a parsed command line, printing to stdout; errors are returned for `main` to print.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        None => Ok(open_app(None)?),
        Some(Command::Open { project }) => Ok(open_app(project)?),
        Some(Command::Sample) => {
            let t = std::time::Instant::now();
            let path = crate::sample::sample_project_path();
            let p = crate::project::Project::load(&path)?;
            println!("{}", crate::sample::describe(&p));
            let (profile, source) = resolve_profile(&p, None)?;
            let a = crate::analysis::run_for_gaps(&p, profile, source)?;
            print!("{}", a.table());
            println!("done in {:.0} ms; `covplan analyze {} --out DIR` writes the gap tables", t.elapsed().as_secs_f64() * 1e3, path.display());
            Ok(())
        }
        Some(Command::Inspect { file, encoding, crs, offset, json }) => {
            let opts = read_options(encoding.as_deref(), crs.as_deref(), offset.as_deref())?;
            let summary = if crate::io::terrain::is_terrain(&file) {
                crate::io::terrain::summarize_file(&file, opts.crs.as_ref())?.to_string()
            } else {
                let s = inspect::inspect_file(&file, &opts)?;
                if json { serde_json::to_string_pretty(&s).expect("summary serialises") } else { s.to_string() }
            };
            println!("{summary}");
            Ok(())
        }
        Some(Command::Bench { which, count, runs }) => {
            crate::bench::mark_start();
            match which.as_str() {
                "load-sample" => crate::bench::time_loads(&crate::sample::sample_project_path(), runs).map_err(Failure::Input),
                "load-buildings" => {
                    let path =
                        bench_fixture(&format!("covplan-bench-{count}"), &format!("{count} buildings"), |d| crate::bench::write_building_fixture(d, count))?;
                    crate::bench::time_loads(&path, runs).map_err(Failure::Input)
                }
                "coverage" => crate::bench::time_coverage(&crate::sample::sample_project_path(), runs).map_err(Failure::Input),
                "radio-buildings" => {
                    let what = format!("{count} buildings and 2 000 sectors");
                    let path = bench_fixture(&format!("covplan-bench-radio-{count}"), &what, |d| crate::bench::write_radio_fixture(d, count))?;
                    crate::bench::time_radio(&path, runs).map_err(Failure::Input)
                }
                "analyze" => crate::bench::time_analyze(&crate::sample::sample_project_path(), runs).map_err(Failure::Input),
                "analyze-villages" => {
                    let what = format!("{count} villages, 5 000 cable segments and 2 000 sites");
                    let path = bench_fixture(&format!("covplan-bench-villages-{count}"), &what, |d| crate::bench::write_village_fixture(d, count))?;
                    crate::bench::time_analyze_villages(&path, runs).map_err(Failure::Input)
                }
                "gui-frame" => crate::app::bench::time_frames(&crate::sample::sample_project_path(), runs, true).map_err(Failure::Usage),
                "report" => crate::bench::time_report(&crate::sample::sample_project_path(), runs, "pdf").map_err(Failure::Input),
                "report-buildings" => {
                    let path =
                        bench_fixture(&format!("covplan-bench-{count}"), &format!("{count} buildings"), |d| crate::bench::write_building_fixture(d, count))?;
                    crate::bench::time_report(&path, runs, "png").map_err(Failure::Input)
                }
                "grid" => crate::bench::time_grid(&crate::sample::sample_project_path(), runs).map_err(Failure::Input),
                "what-if" => crate::app::bench::time_what_if(&crate::sample::sample_project_path(), runs).map_err(Failure::Usage),
                "gui-frame-buildings" => {
                    let path =
                        bench_fixture(&format!("covplan-bench-{count}"), &format!("{count} buildings"), |d| crate::bench::write_building_fixture(d, count))?;
                    crate::app::bench::time_frames(&path, runs, false).map_err(Failure::Usage)
                }
                other => Err(Failure::Usage(format!(
                    "unknown benchmark '{other}' (load-sample, load-buildings, coverage, radio-buildings, analyze, analyze-villages, gui-frame, gui-frame-buildings, grid, what-if, report, report-buildings)"
                ))),
            }
        }
        Some(Command::Coverage { project, json, grid }) => {
            let t = std::time::Instant::now();
            let p = crate::project::Project::load(&project)?;
            let loaded = t.elapsed();
            let settings = p.file.coverage.clone();
            let t = std::time::Instant::now();
            let (fiber, radio) =
                rayon::join(|| crate::coverage::fiber::compute(&p, &settings.fiber), || crate::coverage::radio::engine::compute(&p, &settings.radio));
            let computed = t.elapsed();
            let summary = crate::coverage::summary::summarize(&p, &fiber, &radio, &settings);
            if json {
                println!("{}", serde_json::to_string_pretty(&summary).expect("summary serialises"));
            } else {
                println!("{summary}");
                println!("loaded in {:.0} ms, coverage computed in {:.0} ms", loaded.as_secs_f64() * 1000.0, computed.as_secs_f64() * 1000.0);
            }
            if let Some(out) = grid {
                let t = std::time::Instant::now();
                let g = crate::coverage::radio::grid::compute_grid(&p, &settings.radio, Some(&radio.households_per_sector));
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                crate::fsutil::atomic_write(&out, crate::coverage::radio::grid::to_csv(&g, &p).as_bytes())
                    .map_err(|e| Failure::Input(InputError::io(&out, &e)))?;
                if !json {
                    println!(
                        "grid     {} × {} cells of {:.0} m ({} in the area) computed in {ms:.0} ms, written to {}",
                        g.nx,
                        g.ny,
                        g.cell_m,
                        g.inside.iter().filter(|&&b| b).count(),
                        out.display()
                    );
                    for l in &g.layers {
                        println!(
                            "         {:<8} {:<4} area covered {:5.1} %",
                            g.operators[l.operator as usize],
                            l.tech.name(),
                            100.0 * g.covered_share(l, &settings.radio)
                        );
                    }
                }
            }
            Ok(())
        }
        Some(Command::Report { project, profile, target, area, paper, landscape, margin, dpi, date, title, graticule, atlas, gap, grid, grid_layer, out }) => {
            let t = std::time::Instant::now();
            let paper =
                crate::report::print::Paper::parse(&paper).ok_or_else(|| Failure::Usage(format!("unknown paper '{paper}' (A4, A3, A2, A1 or 500x300)")))?;
            if !(10.0..=2400.0).contains(&dpi) {
                return Err(Failure::Usage(format!("--dpi {dpi}: give 10 … 2400")));
            }
            if !(0.0..=50.0).contains(&margin) {
                return Err(Failure::Usage(format!("--margin {margin}: give 0 … 50 mm")));
            }
            let atlas = match atlas {
                Some(level) => {
                    Some(crate::report::gapmap::AtlasLevel::parse(&level).ok_or_else(|| Failure::Usage(format!("--atlas {level}: give township or county")))?)
                }
                None => None,
            };
            if atlas.is_some() && gap.is_some() {
                return Err(Failure::Usage("--atlas and --gap exclude each other".into()));
            }
            let grid = match grid {
                Some(q) => Some(
                    crate::render::grid_image::GridQuantity::parse(&q).ok_or_else(|| Failure::Usage(format!("--grid {q}: give rsrp, best-server or mbps")))?,
                ),
                None => None,
            };
            let p = crate::project::Project::load(&project)?;
            let (prof, source) = resolve_profile(&p, profile.as_deref())?;
            let (a, mut scene) = crate::report::gapmap::analyse_and_scene(&p, prof, source)?;
            if let Some(q) = grid {
                scene.grid = Some(std::sync::Arc::new(report_grid(&p, q, grid_layer.as_deref())?));
            }
            let o = crate::report::gapmap::ReportOptions { target, area, paper, landscape, margin_mm: margin, dpi, date, title, graticule, atlas, gap };
            let pages = crate::report::gapmap::pages_of(&p, &a, scene, &o)?;
            let svgs: Vec<String> = pages.iter().map(|(svg, _)| svg.clone()).collect();
            crate::report::gapmap::write(&svgs, &out, dpi)?;
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
        Some(Command::Analyze { project, profile, out }) => {
            let t = std::time::Instant::now();
            let p = crate::project::Project::load(&project)?;
            let (profile, source) = resolve_profile(&p, profile.as_deref())?;
            let a = crate::analysis::run_for_gaps(&p, profile, source)?;
            print!("{}", a.table());
            if let Some(dir) = out {
                let files = crate::report::tables::write_all(&p, &a, &dir)?;
                println!("wrote {} files to {}", files.len(), dir.display());
            }
            println!("done in {:.0} ms (coverage {:.0} ms, verdicts {:.0} ms)", t.elapsed().as_secs_f64() * 1e3, a.timings.0, a.timings.1);
            // The process ends here: the system takes the memory back at once, where freeing
            // millions of places one by one took a tenth of a second (1M villages).
            std::mem::forget(a);
            std::mem::forget(p);
            Ok(())
        }
        Some(Command::Pathloss { csv, out }) => {
            let text = crate::workbench::run(&csv)?;
            match out {
                Some(o) => crate::fsutil::atomic_write(&o, text.as_bytes()).map_err(|e| Failure::Input(InputError::io(&o, &e)))?,
                None => print!("{text}"),
            }
            Ok(())
        }
        Some(Command::Layers { project, json }) => {
            let p = crate::project::Project::load(&project)?;
            let summaries = p.layer_summaries();
            if json {
                println!("{}", serde_json::to_string_pretty(&summaries).expect("summaries serialise"));
            } else if summaries.is_empty() {
                println!("{}: the project has no layers", project.display());
            } else {
                for s in &summaries {
                    println!("{s}");
                }
            }
            Ok(())
        }
    }
}

/// Builds read options from command-line text, refusing unknown names (exit 2).
pub fn read_options(encoding: Option<&str>, crs: Option<&str>, offset: Option<&str>) -> Result<ReadOptions, Failure> {
    let mut o = ReadOptions::default();
    if let Some(e) = encoding {
        o.encoding = Some(crate::io::encoding::encoding_for_label(e).ok_or_else(|| Failure::Usage(format!("unknown encoding '{e}' (try GBK or UTF-8)")))?);
    }
    if let Some(c) = crs {
        o.crs = Some(Crs::parse(c).map_err(Failure::Usage)?);
    }
    if let Some(off) = offset {
        o.offset = Offset::parse(off).ok_or_else(|| Failure::Usage(format!("unknown offset '{off}' (use none, gcj02 or bd09)")))?;
    }
    Ok(o)
}

/// Entry point shared by `main`: parses arguments, runs, maps failures to exit codes.
pub fn main_with_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
    }
}

fn open_app(project: Option<PathBuf>) -> Result<(), InputError> {
    crate::app::run(project).map_err(|e| {
        InputError::new(crate::error::Location::default(), format!("cannot open the window: {e}"))
            .with_hint("covplan needs a desktop session (X11/Wayland/Windows); the command line (`covplan --help`) works without one")
    })
}

/// The coverage grid image `--grid Q [--grid-layer NAME]` asks for, rates per household at
/// the busy hour (the radio is computed at every building for the households per sector).
fn report_grid(
    p: &crate::project::Project,
    q: crate::render::grid_image::GridQuantity,
    layer: Option<&str>,
) -> Result<crate::render::grid_image::GridImage, Failure> {
    use crate::render::grid_image::{find_layer, grid_image, layer_name};
    let g = crate::coverage::radio::grid::compute_grid_for_households(p, &p.file.coverage.radio, None);
    let names: Vec<String> = g.layers.iter().map(|l| layer_name(&g, l)).collect();
    let index = match layer {
        Some(name) => find_layer(&g, name).ok_or_else(|| Failure::Usage(format!("--grid-layer {name}: the grid has {}", names.join(", "))))?,
        None => find_layer(&g, g.operators.first().map_or("", String::as_str)).unwrap_or(0),
    };
    grid_image(&g, index, q).ok_or_else(|| Failure::Usage("--grid: the project has no sectors to make a coverage grid of".into()))
}

/// The profile to use: the command line's, else the project's `[analysis] profile` (a path
/// there is relative to the project file), else zhaoqing-2020. Returns it with its source.
pub fn resolve_profile(p: &crate::project::Project, arg: Option<&str>) -> Result<(crate::targets::profile::Profile, String), InputError> {
    use crate::targets::profile::{BUILT_IN, Profile};
    let (chosen, from_project) = match (arg, &p.file.analysis.profile) {
        (Some(a), _) => (a.to_string(), false),
        (None, Some(f)) => (f.clone(), true),
        (None, None) => ("zhaoqing-2020".to_string(), false),
    };
    let built_in = BUILT_IN.iter().any(|b| b.0 == chosen);
    let chosen =
        if from_project && !built_in { p.path.parent().unwrap_or(std::path::Path::new("")).join(&chosen).to_string_lossy().into_owned() } else { chosen };
    let (profile, _) = Profile::load(&chosen)?;
    Ok((profile, chosen))
}

/// A benchmark's synthetic project in the temporary folder `name`, written once by `write`.
fn bench_fixture(name: &str, what: &str, write: impl FnOnce(&std::path::Path) -> std::io::Result<PathBuf>) -> Result<PathBuf, Failure> {
    let dir = std::env::temp_dir().join(name);
    let path = dir.join("project.toml");
    if !path.is_file() {
        println!("writing {what} to {} …", dir.display());
        write(&dir).map_err(|e| Failure::Input(InputError::io(&dir, &e)))?;
    }
    Ok(path)
}
