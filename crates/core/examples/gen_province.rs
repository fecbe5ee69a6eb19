//! Writes a synthetic province: the sample county (its real boundary, townships and villages,
//! its generated settlements, buildings, cables, access points and three operators' sites)
//! tiled N times side by side, each tile a county of its own with its own codes, as GeoParquet
//! layers and a `project.toml` (docs/SCALE.md). Terrain, roads and drive tests are left out.
//!
//! `cargo run --release -p covplan-core --example gen_province -- --counties 100 --out DIR`
//! (`--keep-buildings K` keeps every K-th building, for a smaller province; `--tiles-per-row C`).
//! The same arguments write the same bytes.

use covplan_core::io::geoparquet::{self, Column, GeoTable};
use covplan_core::model::{FeatureTable, Value};
use covplan_core::project::{self, LayerSpec, ProjectFile, Role};
use geo::MapCoords;
use std::path::{Path, PathBuf};

/// The sample county's code: statistical codes beginning with it are rewritten per tile.
const SAMPLE_COUNTY: &str = "441284";

struct Args {
    counties: usize,
    keep_buildings: usize,
    per_row: Option<usize>,
    out: PathBuf,
}

fn args() -> Args {
    let mut a = Args { counties: 100, keep_buildings: 1, per_row: None, out: PathBuf::from("province") };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--counties" => a.counties = v().parse().expect("--counties N"),
            "--keep-buildings" => a.keep_buildings = v().parse::<usize>().expect("--keep-buildings K").max(1),
            "--tiles-per-row" => a.per_row = Some(v().parse().expect("--tiles-per-row C")),
            "--out" => a.out = PathBuf::from(v()),
            _ => panic!("unknown argument {k} (use --counties N --keep-buildings K --tiles-per-row C --out DIR)"),
        }
    }
    a
}

/// Tile `t`'s county code: 45 (a province that is not the sample's) and four digits.
fn county_code(t: usize) -> String {
    format!("45{:04}", t + 1)
}

/// A value of an id-like column in tile `t`: statistical codes get the tile's county code,
/// other ids a tile prefix (ids stay unique across the province).
fn rewrite(v: &Value, t: usize) -> Value {
    let s = match v {
        Value::Text(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        other => return other.clone(),
    };
    let new = match s.strip_prefix(SAMPLE_COUNTY) {
        Some(rest) => format!("{}{rest}", county_code(t)),
        None => format!("T{t:03}-{s}"),
    };
    match v {
        Value::Int(_) | Value::Float(_) => new.parse::<i64>().map_or(Value::Text(new), Value::Int),
        _ => Value::Text(new),
    }
}

/// A feature table as GeoParquet columns (dates as text).
fn to_geotable(table: &FeatureTable, keep: &dyn Fn(usize) -> bool) -> GeoTable {
    let rows: Vec<usize> = (0..table.features.len()).filter(|&i| keep(i) && table.features[i].geometry.is_some()).collect();
    let geometry = rows.iter().map(|&i| table.features[i].geometry.clone().expect("kept")).collect();
    let columns = table
        .fields
        .iter()
        .enumerate()
        .map(|(c, f)| {
            let vals = rows.iter().map(|&i| &table.features[i].values[c]);
            let kinds: Vec<&Value> = vals.clone().filter(|v| !matches!(v, Value::Null)).collect();
            let col = if !kinds.is_empty() && kinds.iter().all(|v| matches!(v, Value::Int(_))) {
                Column::Int(vals.map(|v| if let Value::Int(i) = v { Some(*i) } else { None }).collect())
            } else if !kinds.is_empty() && kinds.iter().all(|v| matches!(v, Value::Int(_) | Value::Float(_))) {
                Column::Float(vals.map(|v| v.as_f64()).collect())
            } else if !kinds.is_empty() && kinds.iter().all(|v| matches!(v, Value::Bool(_))) {
                Column::Bool(vals.map(|v| if let Value::Bool(b) = v { Some(*b) } else { None }).collect())
            } else {
                Column::Text(vals.map(Value::as_text).collect())
            };
            (f.name.clone(), col)
        })
        .collect();
    GeoTable { geometry, columns }
}

fn main() {
    let a = args();
    let sample = covplan_core::sample::sample_project_path();
    let dir = sample.parent().expect("the sample project lies in a folder").to_path_buf();
    let file = ProjectFile::load(&sample).expect("the sample project loads");
    // The layers a coverage analysis reads, in WGS84.
    let layers: Vec<(LayerSpec, FeatureTable)> = file
        .layers
        .iter()
        .filter(|s| !matches!(s.role, Role::Terrain | Role::Roads | Role::Measurements))
        .map(|spec| {
            let opts = project::read_options(spec, &sample).expect("layer options");
            let mut raw = covplan_core::io::read_layer(&dir.join(&spec.path), &opts).expect("the sample layer reads");
            covplan_core::io::to_wgs84(&mut raw, &opts).expect("to WGS84");
            (spec.clone(), raw.table)
        })
        .collect();
    let county = layers.iter().find(|(s, _)| s.name == "县界").expect("the sample has a county layer");
    let extent = county.1.extent().expect("the county has a boundary");
    let (w, h) = (extent.width(), extent.height());
    let per_row = a.per_row.unwrap_or_else(|| (a.counties as f64).sqrt().ceil() as usize).max(1);
    let layer_dir = a.out.join("layers");
    std::fs::create_dir_all(&layer_dir).expect("the output folder can be made");
    let mut specs = Vec::new();
    for t in 0..a.counties {
        let (dx, dy) = ((t % per_row) as f64 * w, -((t / per_row) as f64) * h);
        for (spec, table) in &layers {
            let loc = covplan_core::error::Location::file(Path::new(&spec.path));
            let map = project::fields::resolve(spec.role, &table.fields, &spec.fields, &loc).expect("the sample's fields resolve");
            let mut tile = table.clone();
            let ids: Vec<usize> = ["id", "code", "parent_code", "township_code", "site", "cell"].iter().filter_map(|k| map.columns.get(k).copied()).collect();
            // Each county is named by its tile; townships keep their names (a province has
            // many a 城关镇), told apart by their codes.
            let name = (spec.name == "县界").then(|| map.columns.get("name").copied()).flatten();
            for f in &mut tile.features {
                f.geometry = f.geometry.take().map(|g| g.map_coords(|c| geo::Coord { x: c.x + dx, y: c.y + dy }));
                for &c in &ids {
                    f.values[c] = rewrite(&f.values[c], t);
                }
                if let Some(c) = name {
                    f.values[c] = Value::Text(format!("{}{}", f.values[c].as_text().unwrap_or_default(), t + 1));
                }
            }
            let keep = |i: usize| spec.role != Role::Buildings || i.is_multiple_of(a.keep_buildings);
            let file_name = format!("{}_{:03}.parquet", spec.name, t + 1);
            geoparquet::write(&layer_dir.join(&file_name), &to_geotable(&tile, &keep)).expect("the layer is written");
            specs.push(LayerSpec {
                name: format!("{}{}", spec.name, t + 1),
                path: format!("layers/{file_name}"),
                crs: None,
                offset: Default::default(),
                encoding: None,
                towgs84: None,
                ..spec.clone()
            });
        }
        eprintln!("county {} of {} written", t + 1, a.counties);
    }
    // Named areas point at the first tile's townships, by code.
    let mut analysis = file.analysis.clone();
    let townships = layers.iter().find(|(s, _)| s.name == "乡镇界").expect("the sample has a township layer");
    let loc = covplan_core::error::Location::file(Path::new("乡镇界"));
    let tmap = project::fields::resolve(Role::Admin, &townships.1.fields, &townships.0.fields, &loc).expect("township fields");
    let (code, name) = (tmap.columns["code"], tmap.columns["name"]);
    for area in analysis.areas.values_mut() {
        for a in &mut area.admin_areas {
            if let Some(f) = townships.1.features.iter().find(|f| f.values[name].as_text().as_deref() == Some(a.as_str())) {
                *a = rewrite(&f.values[code], 0).as_text().unwrap_or_default();
            }
        }
        area.villages = area.villages.iter().map(|v| rewrite(&Value::Text(v.clone()), 0).as_text().unwrap_or_default()).collect();
    }
    let province = ProjectFile {
        analysis,
        project: project::file::ProjectMeta {
            name: format!("合成省 ({} counties)", a.counties),
            description: Some(format!(
                "The sample county tiled {} times (every {} building kept); generated by examples/gen_province.rs",
                a.counties, a.keep_buildings
            )),
        },
        layers: specs,
        scenario: Default::default(),
        ..file
    };
    province.save(&a.out.join("project.toml")).expect("the project file is written");
    println!("{}", a.out.join("project.toml").display());
}
