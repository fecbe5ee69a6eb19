//! KML and KMZ placemarks (points, lines, polygons, multi-geometries) with their names,
//! descriptions, folders and extended data: how planners exchange lists through Google Earth.
//!
//! Our own walk over quick-xml (the XML parser the project already uses), not the `kml` crate
//! (0.15): that one builds on another quick-xml (0.41) and, by default, on zip with bzip2 and
//! zstd, for what is here two hundred lines; KML files are lists of placemarks, small enough
//! that speed decides nothing. Text in a legacy encoding (GBK) is decoded before parsing.

use super::{Format, RawLayer, read_bytes};
use crate::crs::Crs;
use crate::error::{InputError, Location, Result, Warning};
use crate::model::{Feature, FeatureTable, Field, FieldKind, Value};
use geo::{Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::path::Path;

/// Reads a `.kml` file.
pub fn read(path: &Path) -> Result<RawLayer> {
    let bytes = read_bytes(path)?;
    parse(path, &bytes, Format::Kml)
}

/// Reads a `.kmz` (zip) file: its `doc.kml`, else its first `.kml`.
pub fn read_kmz(path: &Path) -> Result<RawLayer> {
    let bytes = read_bytes(path)?;
    let kml = super::zipped::extract_first(path, &bytes, |n| n.eq_ignore_ascii_case("doc.kml"))
        .transpose()
        .or_else(|| super::zipped::extract_first(path, &bytes, |n| n.to_ascii_lowercase().ends_with(".kml")).transpose())
        .transpose()?
        .ok_or_else(|| InputError::in_file(path, "the KMZ holds no .kml document"))?;
    parse(path, &kml.1, Format::Kmz)
}

#[derive(Default)]
struct Placemark {
    name: Option<String>,
    description: Option<String>,
    folder: Option<String>,
    extended: Vec<(String, String)>,
    points: Vec<Point<f64>>,
    lines: Vec<LineString<f64>>,
    polygons: Vec<Polygon<f64>>,
    outer: Option<LineString<f64>>,
    inner: Vec<LineString<f64>>,
}

/// Parses KML bytes.
pub fn parse(path: &Path, bytes: &[u8], format: Format) -> Result<RawLayer> {
    let loc = Location::file(path);
    let (text, _) = super::encoding::decode_guess(bytes);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut walk = Walk::default();
    loop {
        let ev = reader.read_event().map_err(|e| {
            InputError::new(loc.clone(), format!("not well-formed XML near byte {}: {e}", reader.buffer_position()))
                .with_hint("the file is truncated or not KML")
        })?;
        match ev {
            Event::Start(e) => walk.start(&e),
            Event::Text(t) => walk.text.push_str(&t.xml10_content()),
            Event::CData(c) => walk.text.push_str(&c.into_inner()),
            Event::GeneralRef(r) => {
                if let Ok(Some(ch)) = r.resolve_char_ref() {
                    walk.text.push(ch);
                } else {
                    walk.text.push_str(match r.xml10_content().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(_) => walk.end(&loc)?,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(to_layer(path, &loc, walk.done, format))
}

/// Where the walk through a KML document is: the open elements, the folders around (with their
/// names), the placemark being read, those read, the text of the element being read and the
/// name of the extended-data field it belongs to.
#[derive(Default)]
struct Walk {
    stack: Vec<String>,
    folders: Vec<Option<String>>,
    current: Option<Placemark>,
    done: Vec<Placemark>,
    text: String,
    data_name: Option<String>,
}

impl Walk {
    /// An element opens.
    fn start(&mut self, e: &quick_xml::events::BytesStart<'_>) {
        let name = e.local_name().as_ref().to_string();
        match name.as_str() {
            "Placemark" => self.current = Some(Placemark { folder: self.folders.iter().rev().flatten().next().cloned(), ..Default::default() }),
            "Folder" | "Document" => self.folders.push(None),
            "Data" | "SimpleData" => {
                self.data_name = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "name")
                    .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                    .map(|v| v.into_owned());
            }
            _ => {}
        }
        self.stack.push(name);
        self.text.clear();
    }

    /// An element closes: its text goes where the element says.
    fn end(&mut self, loc: &Location) -> Result<()> {
        let name = self.stack.pop().unwrap_or_default();
        let parent = self.stack.last().map(String::as_str).unwrap_or("");
        let text = std::mem::take(&mut self.text).trim().to_string();
        let record = self.done.len() as u64 + 1;
        match (name.as_str(), self.current.as_mut()) {
            ("Folder" | "Document", _) => {
                self.folders.pop();
            }
            ("name", None) if matches!(parent, "Folder" | "Document") => {
                if let Some(f) = self.folders.last_mut() {
                    *f = Some(text);
                }
            }
            ("name", Some(p)) if parent == "Placemark" => p.name = Some(text),
            ("description", Some(p)) if parent == "Placemark" => p.description = Some(text),
            ("value", Some(p)) | ("SimpleData", Some(p)) => {
                if let Some(n) = self.data_name.clone() {
                    p.extended.push((n, text));
                }
            }
            ("coordinates", Some(p)) => {
                let coords = parse_coords(&text).ok_or_else(|| {
                    InputError::new(loc.record(record).field("coordinates"), format!("bad coordinates '{}'", text.chars().take(60).collect::<String>()))
                        .with_hint("KML coordinates are lon,lat[,alt] separated by spaces")
                })?;
                let in_ring = self.stack.iter().rev().find(|s| matches!(s.as_str(), "outerBoundaryIs" | "innerBoundaryIs")).cloned();
                match parent {
                    "Point" => p.points.extend(coords.into_iter().map(Point)),
                    "LineString" => p.lines.push(LineString(coords)),
                    "LinearRing" => match in_ring.as_deref() {
                        Some("innerBoundaryIs") => p.inner.push(LineString(coords)),
                        _ => p.outer = Some(LineString(coords)),
                    },
                    _ => {}
                }
            }
            ("Polygon", Some(p)) => {
                if let Some(outer) = p.outer.take() {
                    p.polygons.push(Polygon::new(outer, std::mem::take(&mut p.inner)));
                }
            }
            ("Placemark", _) => {
                if let Some(p) = self.current.take() {
                    self.done.push(p);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The placemarks as a table: name, description, folder and every extended-data field.
fn to_layer(path: &Path, loc: &Location, done: Vec<Placemark>, format: Format) -> RawLayer {
    let mut warnings = Vec::new();
    let mut fields = vec![
        Field { name: "name".into(), kind: FieldKind::Text },
        Field { name: "description".into(), kind: FieldKind::Text },
        Field { name: "folder".into(), kind: FieldKind::Text },
    ];
    let mut index: HashMap<String, usize> = HashMap::new();
    for p in &done {
        for (k, _) in &p.extended {
            index.entry(k.clone()).or_insert_with(|| {
                fields.push(Field { name: k.clone(), kind: FieldKind::Text });
                fields.len() - 1
            });
        }
    }
    let mut features = Vec::with_capacity(done.len());
    for (i, p) in done.into_iter().enumerate() {
        let text = |s: Option<String>| s.filter(|s| !s.is_empty()).map_or(Value::Null, Value::Text);
        let mut values = vec![text(p.name), text(p.description), text(p.folder)];
        values.resize(fields.len(), Value::Null);
        for (k, v) in p.extended {
            values[index[&k]] = if v.is_empty() { Value::Null } else { Value::Text(v) };
        }
        let geometry = assemble(p.points, p.lines, p.polygons);
        if geometry.is_none() {
            warnings.push(Warning::new(loc.record(i as u64 + 1), "placemark has no geometry"));
        }
        features.push(Feature { geometry, values });
    }
    RawLayer { path: path.to_path_buf(), format, table: FeatureTable { fields, features }, crs: Some(Crs::wgs84()), encoding: Some("UTF-8".into()), warnings }
}

fn assemble(points: Vec<Point<f64>>, lines: Vec<LineString<f64>>, polygons: Vec<Polygon<f64>>) -> Option<Geometry<f64>> {
    let kinds = [!points.is_empty(), !lines.is_empty(), !polygons.is_empty()].iter().filter(|k| **k).count();
    match kinds {
        0 => None,
        1 if points.len() == 1 => Some(Geometry::Point(points[0])),
        1 if !points.is_empty() => Some(Geometry::MultiPoint(MultiPoint(points))),
        1 if !lines.is_empty() => Some(Geometry::MultiLineString(MultiLineString(lines))),
        1 => Some(Geometry::MultiPolygon(MultiPolygon(polygons))),
        _ => {
            let mut all: Vec<Geometry<f64>> = points.into_iter().map(Geometry::Point).collect();
            all.extend(lines.into_iter().map(Geometry::LineString));
            all.extend(polygons.into_iter().map(Geometry::Polygon));
            Some(Geometry::GeometryCollection(GeometryCollection(all)))
        }
    }
}

fn parse_coords(s: &str) -> Option<Vec<Coord<f64>>> {
    s.split_whitespace()
        .map(|t| {
            let mut it = t.split(',');
            let x: f64 = it.next()?.trim().parse().ok()?;
            let y: f64 = it.next()?.trim().parse().ok()?;
            (x.is_finite() && y.is_finite()).then_some(Coord { x, y })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>站点</name>
<Folder><name>移动 &amp; 电信</name>
 <Placemark><name>大沙站</name><ExtendedData><Data name="挂高"><value>35</value></Data></ExtendedData>
  <Point><coordinates>112.70,23.40,0</coordinates></Point></Placemark>
 <Placemark><name><![CDATA[光缆<1>]]></name><LineString><coordinates>112.7,23.4 112.8,23.5</coordinates></LineString></Placemark>
</Folder>
<Placemark><name>村</name><MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs>
<innerBoundaryIs><LinearRing><coordinates>0.2,0.1 0.3,0.1 0.3,0.2 0.2,0.1</coordinates></LinearRing></innerBoundaryIs></Polygon>
<Polygon><outerBoundaryIs><LinearRing><coordinates>5,5 6,5 6,6 5,5</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>
</Document></kml>"#;

    #[test]
    fn placemarks_folders_and_data() {
        let l = parse(Path::new("a.kml"), DOC.as_bytes(), Format::Kml).unwrap();
        let t = &l.table;
        assert_eq!(t.features.len(), 3);
        assert_eq!(t.features[0].values[0], Value::Text("大沙站".into()));
        assert_eq!(t.features[0].values[2], Value::Text("移动 & 电信".into()));
        assert_eq!(t.features[0].values[3], Value::Text("35".into()));
        assert_eq!(t.features[1].values[0], Value::Text("光缆<1>".into()));
        assert_eq!(t.features[2].values[2], Value::Text("站点".into()));
        assert!(matches!(&t.features[1].geometry, Some(Geometry::MultiLineString(m)) if m.0[0].0.len() == 2));
        match &t.features[2].geometry {
            Some(Geometry::MultiPolygon(mp)) => {
                assert_eq!(mp.0.len(), 2);
                assert_eq!(mp.0[0].interiors().len(), 1);
            }
            g => panic!("{g:?}"),
        }
    }

    #[test]
    fn kmz_reads_its_document() {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            z.start_file("files/icon.png", zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(b"not a png").unwrap();
            z.start_file("doc.kml", zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(DOC.as_bytes()).unwrap();
            z.finish().unwrap();
        }
        let p = std::env::temp_dir().join(format!("covplan-{}.kmz", std::process::id()));
        std::fs::write(&p, buf.into_inner()).unwrap();
        let l = read_kmz(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        assert_eq!(l.format, Format::Kmz);
        assert_eq!(l.table.features.len(), 3);
    }

    #[test]
    fn broken_xml_and_coordinates() {
        assert!(parse(Path::new("b.kml"), b"<kml><Placemark><name>x</nam", Format::Kml).is_err());
        let e = parse(Path::new("b.kml"), b"<kml><Placemark><Point><coordinates>abc</coordinates></Point></Placemark></kml>", Format::Kml).unwrap_err();
        assert_eq!(e.location.record, Some(1));
    }
}
