//! Whether a project fits whole in this machine's memory: `covplan analyze` runs a project too
//! big to hold whole shard by shard. The buildings are counted without reading them (a
//! GeoParquet footer's row count, a shapefile index's record count; other formats from their
//! size), and the whole run's peak estimated from the measured bytes per building.

use crate::project::{ProjectFile, Role};
use std::path::Path;

/// A whole run's peak memory per building, measured: 21.3 GB for the 20 048 347 buildings of
/// the 113-county synthetic province (docs/SCALE.md), footprints, coverage and verdicts.
pub const WHOLE_RUN_BYTES_PER_BUILDING: u64 = 1_100;

/// Bytes of a building layer per building where the file format keeps no count: a GeoJSON
/// or KML footprint with its properties is rarely smaller (an underestimate of the buildings
/// errs towards a whole run, as before this estimate existed).
const FILE_BYTES_PER_BUILDING: u64 = 400;

/// What a whole run of a project would hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WholeRun {
    /// Buildings in its building layers (counted or estimated).
    pub buildings: u64,
    /// Estimated peak memory in bytes.
    pub peak_bytes: u64,
}

/// The buildings of `file`'s building layers (paths relative to `project`'s folder) and the
/// peak a whole run of them would reach. A layer that cannot be opened counts nothing: the
/// analysis reports it.
pub fn whole_run(project: &Path, file: &ProjectFile) -> WholeRun {
    let dir = project.parent().unwrap_or(Path::new(""));
    let buildings = file.layers.iter().filter(|l| l.role == Role::Buildings).map(|l| count(&dir.join(&l.path))).sum::<u64>();
    WholeRun { buildings, peak_bytes: buildings.saturating_mul(WHOLE_RUN_BYTES_PER_BUILDING) }
}

/// The features of one layer file, counted where the format says so cheaply.
fn count(path: &Path) -> u64 {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let counted = match ext.as_str() {
        "parquet" | "geoparquet" => std::fs::File::open(path).ok().and_then(|f| {
            use parquet::file::reader::FileReader;
            let r = parquet::file::serialized_reader::SerializedFileReader::new(f).ok()?;
            u64::try_from(r.metadata().file_metadata().num_rows()).ok()
        }),
        // The index holds a 100-byte header and 8 bytes per record.
        "shp" => std::fs::metadata(path.with_extension("shx")).ok().map(|m| shx_records(m.len())),
        // A zipped shapefile: its index's size as the archive lists it, nothing unpacked.
        "zip" => std::fs::File::open(path).ok().and_then(|f| {
            let mut z = zip::ZipArchive::new(std::io::BufReader::new(f)).ok()?;
            let name = z.file_names().filter_map(Result::ok).find(|n| n.to_lowercase().ends_with(".shx"))?.into_owned();
            Some(shx_records(z.by_name(&name).ok()?.size()))
        }),
        _ => None,
    };
    counted.unwrap_or_else(|| std::fs::metadata(path).map_or(0, |m| m.len() / FILE_BYTES_PER_BUILDING))
}

/// The records a shapefile index of `len` bytes lists.
fn shx_records(len: u64) -> u64 {
    len.saturating_sub(100) / 8
}

/// Memory this machine has available now, in bytes, where the system says (Linux:
/// `MemAvailable` of /proc/meminfo); `None` elsewhere.
pub fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The memory a run may use, in bytes: `COVPLAN_MEMORY_GB` when set (to leave room for other
/// programs, or to try the sharded path on a small project), else what the system has
/// available ([`available_memory`]); `None` when neither says. An unreadable value is an error.
pub fn memory_budget() -> Result<Option<u64>, String> {
    match std::env::var("COVPLAN_MEMORY_GB") {
        Ok(v) => match v.trim().parse::<f64>() {
            Ok(gb) if gb.is_finite() && gb > 0.0 => Ok(Some((gb * 1e9) as u64)),
            _ => Err(format!("COVPLAN_MEMORY_GB={v}: give the memory covplan may use in gigabytes, such as 12 or 0.5")),
        },
        Err(_) => Ok(available_memory()),
    }
}

/// Whether a whole run of `w` would not fit in `available` bytes, keeping a fifth of them for
/// the system and other programs.
pub fn too_big(w: WholeRun, available: u64) -> bool {
    w.peak_bytes > available / 5 * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample county's buildings are counted from its files (a shapefile's index), a
    /// GeoParquet file's from its footer, a format without a count from its size; and a
    /// province of 20 M buildings is too big for 16 GB while the county is not.
    #[test]
    fn buildings_are_counted_without_reading_them() {
        let project = crate::sample::sample_project_path();
        let project = project.as_path();
        let file = ProjectFile::load(project).unwrap();
        let whole = crate::project::Project::load(project).unwrap();
        let w = whole_run(project, &file);
        assert_eq!(w.buildings, whole.data.buildings.len() as u64);
        let dir = std::env::temp_dir().join(format!("covplan-fits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let points: Vec<geo::Geometry<f64>> = (0..1234).map(|i| geo::Point::new(113.0 + f64::from(i) * 1e-4, 23.0).into()).collect();
        let table = crate::io::geoparquet::GeoTable {
            columns: vec![("id".into(), crate::io::geoparquet::Column::Int((0..1234).map(Some).collect()))],
            geometry: points,
        };
        crate::io::geoparquet::write(&dir.join("b.parquet"), &table).unwrap();
        assert_eq!(count(&dir.join("b.parquet")), 1234);
        std::fs::write(dir.join("b.geojson"), vec![b' '; 4000]).unwrap();
        assert_eq!(count(&dir.join("b.geojson")), 4000 / FILE_BYTES_PER_BUILDING);
        assert_eq!(count(&dir.join("missing.shp")), 0);
        std::fs::remove_dir_all(&dir).unwrap();
        let gb = 1u64 << 30;
        assert!(!too_big(w, 16 * gb));
        assert!(too_big(WholeRun { buildings: 20_048_347, peak_bytes: 20_048_347 * WHOLE_RUN_BYTES_PER_BUILDING }, 16 * gb));
        assert!(!too_big(WholeRun { buildings: 20_048_347, peak_bytes: 20_048_347 * WHOLE_RUN_BYTES_PER_BUILDING }, 32 * gb));
    }
}
