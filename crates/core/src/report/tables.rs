//! The files `covplan analyze --out DIR` writes: summary.json, gaps.csv (UTF-8 with BOM, so
//! Excel shows Chinese), gaps.geojson, gaps.parquet (GeoParquet), gaps.shp (+ .prj, .cpg),
//! gaps.kml and areas.csv.
//! Every file is written atomically and holds no timestamp: reruns give the same bytes.

use super::run_record;
use crate::analysis::Analysis;
use crate::analysis::gaps::{AreaRow, Gap, area_rows, gaps};
use crate::error::{InputError, Result};
use crate::fsutil::atomic_write;
use crate::io::shapefile::shp::ShapeKind;
use crate::io::shapefile::write::write_shapefile;
use crate::model::{Feature, FeatureTable, Field, FieldKind, Value};
use crate::project::Project;
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};

/// WGS84 as ESRI WKT, for the gap shapefile's .prj.
pub(super) const WGS84_WKT: &str =
    r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

/// The summary as JSON: profile, per-target figures, per-area figures and the run record.
pub fn summary_json(p: &Project, a: &Analysis, rows: &[AreaRow]) -> std::io::Result<Json> {
    let targets: Vec<Json> = a
        .targets
        .iter()
        .map(|t| {
            let f = t.figures();
            json!({
                "id": t.target.id,
                "text": t.target.text,
                "gloss": t.target.gloss,
                "applies_to": t.target.applies_to,
                "verdict": f.verdict,
                "met": f.met,
                "not_met": f.not_met,
                "unknown": f.unknown,
                "households_not_met": f.households_not_met,
                "share_met": f.share_met,
                "areas": t.areas.iter().map(|ar| json!({
                    "level": ar.level,
                    "code": ar.code,
                    "name": ar.name,
                    "verdict": ar.verdict.state,
                    "share": ar.verdict.share,
                    "share_if_unknown_met": ar.verdict.share_if_unknown_met,
                    "numerator": ar.verdict.numerator,
                    "denominator": ar.verdict.denominator,
                    "evidence": ar.verdict.evidence,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let record = run_record::record(p, a)?;
    Ok(json!({
        "profile": { "id": a.profile.profile.id, "title": a.profile.profile.title, "year": a.profile.profile.year, "source": a.profile_source },
        "project": p.file.project.name,
        "targets": targets,
        "areas": rows,
        "run": record,
    }))
}

/// A CSV cell: quoted when it holds a comma, a quote or a line break.
pub(super) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

const GAP_COLUMNS: [&str; 14] =
    ["rank", "target", "state", "reason", "households", "buildings", "kind", "id", "name", "township", "admin_village", "lon", "lat", "evidence"];

fn gap_cells(rank: usize, g: &Gap) -> [String; 14] {
    [
        rank.to_string(),
        g.target.clone(),
        g.state.word().to_string(),
        g.reason.code().to_string(),
        format!("{:.0}", g.households),
        g.buildings.to_string(),
        g.kind.to_string(),
        g.id.clone(),
        g.name.clone(),
        g.township.clone(),
        g.admin_village.clone(),
        format!("{:.6}", g.lon),
        format!("{:.6}", g.lat),
        g.evidence.clone(),
    ]
}

/// gaps.csv: UTF-8 with a BOM, one gap per row, largest first.
pub fn gaps_csv(gaps: &[Gap]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&GAP_COLUMNS.join(","));
    out.push('\n');
    for (i, g) in gaps.iter().enumerate() {
        out.push_str(&gap_cells(i + 1, g).iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

/// areas.csv: per target, the county and every township.
pub fn areas_csv(rows: &[AreaRow]) -> String {
    let mut out = String::from("\u{feff}level,code,name,target,places,met,not_met,unknown,households,households_not_met,share_met\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{:.0},{:.0},{:.4}\n",
            r.level,
            csv_field(&r.code),
            csv_field(&r.name),
            r.target,
            r.places,
            r.met,
            r.not_met,
            r.unknown,
            r.households,
            r.households_not_met,
            r.share_met
        ));
    }
    out
}

/// gaps.geojson: one point per gap with the table's columns as properties.
pub fn gaps_geojson(gaps: &[Gap]) -> Json {
    let features: Vec<Json> = gaps
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut props = serde_json::Map::new();
            for (k, v) in GAP_COLUMNS.iter().zip(gap_cells(i + 1, g)) {
                if !matches!(*k, "lon" | "lat") {
                    props.insert((*k).into(), Json::String(v));
                }
            }
            props.insert("rank".into(), json!(i + 1));
            props.insert("households".into(), json!(g.households));
            props.insert("buildings".into(), json!(g.buildings));
            json!({ "type": "Feature", "geometry": { "type": "Point", "coordinates": [round6(g.lon), round6(g.lat)] }, "properties": props })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Cuts `s` to at most `max` bytes at a character boundary (DBF text fields hold 254).
fn cut(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// The gap table as a point layer (DBF names ≤ 10 characters, evidence cut to 254 bytes).
pub fn gaps_table(gaps: &[Gap]) -> FeatureTable {
    let names = ["rank", "target", "state", "reason", "households", "buildings", "kind", "id", "name", "township", "admin_vill", "evidence"];
    let kinds = [FieldKind::Int, FieldKind::Text, FieldKind::Text, FieldKind::Text, FieldKind::Int, FieldKind::Int];
    let fields = names.iter().enumerate().map(|(i, n)| Field { name: (*n).into(), kind: kinds.get(i).copied().unwrap_or(FieldKind::Text) }).collect();
    let features = gaps
        .iter()
        .enumerate()
        .map(|(i, g)| Feature {
            geometry: Some(geo::Geometry::Point(geo::Point::new(g.lon, g.lat))),
            values: vec![
                Value::Int(i as i64 + 1),
                Value::Text(g.target.clone()),
                Value::Text(g.state.word().into()),
                Value::Text(g.reason.code().into()),
                Value::Int(g.households.round() as i64),
                Value::Int(g.buildings as i64),
                Value::Text(g.kind.label().into()),
                Value::Text(g.id.clone()),
                Value::Text(g.name.clone()),
                Value::Text(g.township.clone()),
                Value::Text(g.admin_village.clone()),
                Value::Text(cut(&g.evidence, 254)),
            ],
        })
        .collect();
    FeatureTable { fields, features }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// gaps.kml: a placemark per gap, named and described for Google Earth or 奥维.
pub fn gaps_kml(a: &Analysis, gaps: &[Gap]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    out.push_str(&format!("<name>{}</name>\n", xml(&format!("{} gaps", a.profile.profile.id))));
    for (i, g) in gaps.iter().enumerate() {
        let title = if g.name.is_empty() { g.id.clone() } else { g.name.clone() };
        out.push_str(&format!(
            "<Placemark><name>{}</name><description>{}</description><ExtendedData>",
            xml(&format!("{} {title}", g.target)),
            xml(&format!("{} ({}), {:.0} households: {}", g.state.word(), g.reason.code(), g.households, g.evidence))
        ));
        for (k, v) in GAP_COLUMNS.iter().zip(gap_cells(i + 1, g)) {
            out.push_str(&format!("<Data name=\"{k}\"><value>{}</value></Data>", xml(&v)));
        }
        out.push_str(&format!("</ExtendedData><Point><coordinates>{:.6},{:.6}</coordinates></Point></Placemark>\n", g.lon, g.lat));
    }
    out.push_str("</Document>\n</kml>\n");
    out
}

/// Challenged verdicts (`measure::challenge`) as CSV, one row each in their order.
pub fn challenges_csv(challenges: &[crate::measure::challenge::Challenge]) -> String {
    let mut out = String::from("target,challenge,village_id,village,households,tests,failing,median_rsrp_dbm,first_date,last_date,evidence,lon,lat\n");
    for c in challenges {
        let (first, last) = c.dates.clone().unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{:.0},{},{},{:.1},{first},{last},{},{:.6},{:.6}\n",
            c.target,
            c.kind.label(),
            csv_field(&c.id),
            csv_field(&c.name),
            c.households,
            c.tests,
            c.failing,
            c.median_rsrp_dbm,
            csv_field(&c.evidence),
            c.lon,
            c.lat
        ));
    }
    out
}

/// The gaps as a GeoParquet table (for DuckDB, GeoPandas, Sedona): gaps.csv's columns, points.
pub fn gaps_geoparquet(gaps: &[Gap]) -> crate::io::geoparquet::GeoTable {
    use crate::io::geoparquet::{Column, GeoTable};
    let text = |f: &dyn Fn(&Gap) -> String| Column::Text(gaps.iter().map(|g| Some(f(g))).collect());
    GeoTable {
        geometry: gaps.iter().map(|g| geo::Geometry::Point(geo::Point::new(g.lon, g.lat))).collect(),
        columns: vec![
            ("rank".into(), Column::Int((1..=gaps.len() as i64).map(Some).collect())),
            ("target".into(), text(&|g| g.target.clone())),
            ("state".into(), text(&|g| g.state.word().to_string())),
            ("reason".into(), text(&|g| g.reason.code().to_string())),
            ("households".into(), Column::Float(gaps.iter().map(|g| Some(g.households)).collect())),
            ("buildings".into(), Column::Int(gaps.iter().map(|g| Some(g.buildings as i64)).collect())),
            ("kind".into(), text(&|g| g.kind.to_string())),
            ("id".into(), text(&|g| g.id.clone())),
            ("name".into(), text(&|g| g.name.clone())),
            ("township".into(), text(&|g| g.township.clone())),
            ("admin_village".into(), text(&|g| g.admin_village.clone())),
            ("evidence".into(), text(&|g| g.evidence.clone())),
        ],
    }
}

/// Writes every output of an analysis into `dir` (created when missing); returns the files written.
pub fn write_all(p: &Project, a: &Analysis, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| InputError::io(dir, &e))?;
    let (gaps, rows) = rayon::join(|| gaps(p, a), || area_rows(p, a));
    // The summary (which hashes every input file) and the gap tables are made side by side.
    let (summary, (csv, geojson, kml, table)) = rayon::join(
        || summary_json(p, a, &rows).map(|s| serde_json::to_string_pretty(&s).expect("JSON serialises") + "\n"),
        || {
            let (csv, geojson) = rayon::join(|| gaps_csv(&gaps), || serde_json::to_string(&gaps_geojson(&gaps)).expect("JSON serialises") + "\n");
            let (kml, table) = rayon::join(|| gaps_kml(a, &gaps), || gaps_table(&gaps));
            (csv, geojson, kml, table)
        },
    );
    let summary = summary.map_err(|e| InputError::io(&p.path, &e))?;
    let mut written = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| -> Result<()> {
        let path = dir.join(name);
        atomic_write(&path, bytes).map_err(|e| InputError::io(&path, &e))?;
        written.push(path);
        Ok(())
    };
    put("summary.json", summary.as_bytes())?;
    put("gaps.csv", csv.as_bytes())?;
    put("gaps.geojson", geojson.as_bytes())?;
    put("gaps.kml", kml.as_bytes())?;
    put("areas.csv", areas_csv(&rows).as_bytes())?;
    if !p.data.measurements.is_empty() {
        // Verdicts the project's measurements contradict, beside the gaps.
        let challenged = crate::measure::challenge::challenges(p, a, &p.file.measurements.challenge);
        put("challenges.csv", challenges_csv(&challenged).as_bytes())?;
    }
    let parquet = dir.join("gaps.parquet");
    crate::io::geoparquet::write(&parquet, &gaps_geoparquet(&gaps))?;
    written.push(parquet);
    let shp = dir.join("gaps.shp");
    write_shapefile(&shp, ShapeKind::Point, &table, Some(WGS84_WKT), encoding_rs::UTF_8).map_err(|e| InputError::io(&shp, &e))?;
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        written.push(shp.with_extension(ext));
    }
    Ok(written)
}
