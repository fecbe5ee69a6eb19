//! The command line: `covplan` with no arguments runs the main job; subcommands do batch work.
//!
//! Exit codes: 0 success, 1 bad input (the message names file, record and field), 2 wrong usage.

use clap::{Parser, Subcommand};
use covplan_core::crs::{Crs, Offset};
use covplan_core::error::InputError;
use covplan_core::io::ReadOptions;
use std::path::PathBuf;
use std::process::ExitCode;

mod commands;
mod report;
mod scale;
pub use report::ReportArgs;

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
        /// Write summary.json, gaps.csv, gaps.geojson, gaps.parquet, gaps.shp, gaps.kml and
        /// areas.csv here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Analyse shard by shard (county or township): split the project, run the shards
        /// --jobs at a time and merge; the same files as a whole run, memory bounded by the
        /// largest shards. Implied when PROJECT is a folder `covplan shard` wrote, and chosen
        /// (by county) when a whole run would not fit in the memory available; `whole` runs
        /// the project whole regardless.
        #[arg(long)]
        by: Option<String>,
        /// Shards run at once (with --by or a shards folder; default 1, each using every core;
        /// when covplan chooses to shard, as many as there are cores).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Print a gap map (PDF, SVG or PNG by the output's extension).
    Report(ReportArgs),
    /// Plan the cheapest fixes for a profile's gaps (fiber along the roads, boxes, splitters, PON
    /// upgrades, new sites, 5G FWA), prove them by analysing again, and write plan.json,
    /// plan.csv, plan.geojson, plan.shp and plan-scenario.toml.
    Plan {
        /// The project file (TOML).
        project: PathBuf,
        /// Profile id or file (default as for analyze).
        #[arg(long)]
        profile: Option<String>,
        /// Spend at most this much (yuan); works are taken in rank order while they fit.
        #[arg(long)]
        budget: Option<f64>,
        /// Technologies to plan with: fiber, site, fwa (comma-separated; default all three).
        #[arg(long, value_delimiter = ',')]
        tech: Vec<String>,
        /// A cost table (TOML) instead of the built-in one for China (assets/costs/china-2024.toml).
        #[arg(long)]
        costs: Option<PathBuf>,
        /// Write the plan files here.
        #[arg(long)]
        out: PathBuf,
    },
    /// Measurements (layers of role measurements) against the model's predictions: RSRP and SINR
    /// errors by operator, technology, environment and distance, before and after calibrating
    /// the path-loss models per environment (k-fold cross-validated); writes compare.csv,
    /// compare.json and calibration.toml; lists the profile's village coverage verdicts the
    /// measurements contradict (challenges.csv).
    Compare {
        /// The project file (TOML).
        project: PathBuf,
        /// Profile id or file whose verdicts the measurements may challenge (default as for analyze).
        #[arg(long)]
        profile: Option<String>,
        /// Write the files here.
        #[arg(long)]
        out: PathBuf,
        /// Folds of the cross-validation (default: `[measurements.calibration] folds`, 5).
        #[arg(long)]
        folds: Option<usize>,
        /// Also write the calibration into the project file (`[coverage.radio.calibration]`;
        /// the file is rewritten, its comments are not kept).
        #[arg(long)]
        apply: bool,
    },
    /// Split a project into one shard per county or township (GeoParquet folders, each with
    /// the network and terrain within the halo its verdicts depend on) and a manifest.json, for
    /// `covplan run --shard` on any machine or cluster and `covplan merge` (docs/SCALE.md).
    Shard {
        /// The project file (TOML).
        project: PathBuf,
        /// county or township: which admin areas become shards.
        #[arg(long, default_value = "county")]
        by: String,
        /// Profile id or file (default as for analyze).
        #[arg(long)]
        profile: Option<String>,
        /// The radio halo R in metres (default and minimum: the sectors' largest reach).
        #[arg(long)]
        halo_m: Option<f64>,
        /// Write the shards here (a new or empty folder).
        #[arg(long)]
        out: PathBuf,
    },
    /// Analyse one shard (a folder `covplan shard` wrote) and write what its area owns: give
    /// the folder (--shard DIR/<code>), or the shards and a task index (--shards DIR --index N,
    /// the N-th area of the manifest: a Kubernetes completion index or a Slurm array task id),
    /// whose results then go to OUT/<code>.
    Run {
        /// The shard folder, DIR/<area code>.
        #[arg(long, conflicts_with_all = ["shards", "index"])]
        shard: Option<PathBuf>,
        /// The folder `covplan shard` wrote (with --index).
        #[arg(long, requires = "index")]
        shards: Option<PathBuf>,
        /// Which area of the manifest, from 0 (with --shards).
        #[arg(long, requires = "shards")]
        index: Option<usize>,
        /// Write the shard's results here (with --shards: in OUT/<area code>).
        #[arg(long)]
        out: PathBuf,
    },
    /// Merge the results of every shard into the outputs `covplan analyze --out` writes,
    /// byte-identical to them.
    Merge {
        /// The folders `covplan run --shard … --out` wrote, one per area.
        #[arg(required = true)]
        results: Vec<PathBuf>,
        /// Write the merged outputs here.
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
        Some(Command::Sample) => commands::sample(),
        Some(Command::Inspect { file, encoding, crs, offset, json }) => commands::inspect(file, encoding, crs, offset, json),
        Some(Command::Coverage { project, json, grid }) => commands::coverage(project, json, grid),
        Some(Command::Report(args)) => report::report(args),
        Some(Command::Analyze { project, profile, out, by, jobs }) => scale::analyze(project, by, profile, out, jobs),
        Some(Command::Pathloss { csv, out }) => commands::pathloss(csv, out),
        Some(Command::Plan { project, profile, budget, tech, costs, out }) => commands::plan(project, profile, budget, tech, costs, out),
        Some(Command::Layers { project, json }) => commands::layers(project, json),
        Some(Command::Compare { project, profile, out, folds, apply }) => commands::compare(project, profile, out, folds, apply),
        Some(Command::Shard { project, by, profile, halo_m, out }) => scale::shard(project, by, profile, halo_m, out),
        Some(Command::Run { shard, shards, index, out }) => scale::run_shard(shard, shards.zip(index), out),
        Some(Command::Merge { results, out }) => scale::merge(results, out),
    }
}

/// Builds read options from command-line text, refusing unknown names (exit 2).
pub fn read_options(encoding: Option<&str>, crs: Option<&str>, offset: Option<&str>) -> Result<ReadOptions, Failure> {
    let mut o = ReadOptions::default();
    if let Some(e) = encoding {
        o.encoding =
            Some(covplan_core::io::encoding::encoding_for_label(e).ok_or_else(|| Failure::Usage(format!("unknown encoding '{e}' (try GBK or UTF-8)")))?);
    }
    if let Some(c) = crs {
        o.crs = Some(Crs::parse(c).map_err(|e| Failure::Usage(e.into()))?);
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
    covplan_app::run(project).map_err(|e| {
        InputError::new(covplan_core::error::Location::default(), format!("cannot open the window: {e}"))
            .with_hint("covplan needs a desktop session (X11/Wayland/Windows); the command line (`covplan --help`) works without one")
    })
}
