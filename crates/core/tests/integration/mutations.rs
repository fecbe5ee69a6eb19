//! A stable-toolchain stand-in for the cargo-fuzz targets in fuzz/: thousands of mutated
//! copies of real and corpus files (bit flips, truncations, spliced bytes) go through every
//! reader; each must return a value or an error, never panic or hang.

use covplan_core::error::{Location, Warning};
use covplan_core::io::shapefile::{dbf, shp};
use std::path::Path;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    match rng.below(4) {
        0 => v.truncate(rng.below(v.len() + 1)),
        1 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(v.len());
                if let Some(b) = v.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
        }
        2 => {
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(v.len());
                if let Some(b) = v.get_mut(i) {
                    *b = [0x00, 0xFF, 0x7F, 0x80, b'"', b',', b'<', b'\n'][rng.below(8)];
                }
            }
        }
        _ => {
            let (a, b) = (rng.below(v.len()), rng.below(v.len()));
            let chunk: Vec<u8> = v[a.min(b)..a.max(b)].to_vec();
            let at = rng.below(v.len());
            v.splice(at..at, chunk);
        }
    }
    v
}

fn run(name: &str, base: &[u8], iterations: usize, read: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64);
    for i in 0..iterations {
        let input = mutate(&mut rng, base);
        if std::panic::catch_unwind(|| read(&input)).is_err() {
            let out = std::env::temp_dir().join(format!("covplan-crash-{name}-{i}"));
            std::fs::write(&out, &input).unwrap();
            panic!("{name}: reader panicked on mutation {i}, input saved to {}", out.display());
        }
    }
}

#[test]
fn mutated_shapefiles() {
    let shp_bytes = std::fs::read(crate::common::corpus("good.shp")).unwrap();
    let dbf_bytes = std::fs::read(crate::common::corpus("good.dbf")).unwrap();
    let poly = std::fs::read(crate::common::real("admin_boundaries_gcj02/city_肇庆市.shp")).unwrap();
    let loc = Location::file("m.shp");
    run("shp", &shp_bytes, 3000, |b| drop(shp::parse(b, &loc)));
    run("shp-polygons", &poly[..poly.len().min(20_000)], 1500, |b| drop(shp::parse(b, &loc)));
    run("dbf", &dbf_bytes, 3000, |b| {
        if let Ok(h) = dbf::parse_header(b, &loc) {
            let mut w: Vec<Warning> = Vec::new();
            let (enc, _) = dbf::choose_encoding(None, &h, b, None, &loc, &mut w);
            let mut features = vec![covplan_core::model::Feature::default(); h.num_records];
            dbf::read_rows(b, &h, enc, &loc, &mut w, &mut features);
        }
    });
}

#[test]
fn mutated_text_formats() {
    let gj = std::fs::read(crate::common::real("shanghai_osm/shanghai_roads.geojson")).unwrap();
    run("geojson", &gj[..gj.len().min(6000)], 2000, |b| drop(covplan_core::io::geojson::parse(Path::new("m.geojson"), b)));
    let csv = std::fs::read(crate::common::sample("移动工参.csv")).unwrap();
    run("csv", &csv[..csv.len().min(3000)], 2000, |b| {
        if let Ok(t) = covplan_core::io::csv_table::parse_csv(Path::new("m.csv"), b, None) {
            let _ = covplan_core::io::csv_table::table_to_layer(Path::new("m.csv"), t, None);
        }
    });
    let kml = include_bytes!("../../../../testdata/corpus/broken.kml");
    run("kml", kml, 2000, |b| drop(covplan_core::io::kml::parse(Path::new("m.kml"), b, covplan_core::io::Format::Kml)));
    let mut wkb = Vec::new();
    covplan_core::io::wkb::encode(
        &geo::Geometry::MultiPolygon(geo::MultiPolygon(vec![geo::Polygon::new(
            geo::LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]),
            vec![],
        )])),
        &mut wkb,
    );
    run("wkb", &wkb, 3000, |b| drop(covplan_core::io::wkb::parse(b)));
}
