//! Writes the generated county the way real data arrives: GBK shapefiles in CGCS2000
//! Gauss-Krüger zone 38 with ESRI .prj and .cpg, a zipped building layer, GCJ-02 GeoJSON,
//! site tables as UTF-8 and GBK CSV and XLSX, a GeoPackage and a GeoTIFF.

use crate::County;
use covplan_core::crs::{Crs, gcj02};
use covplan_core::io::shapefile::shp::ShapeKind;
use covplan_core::io::shapefile::write::write_shapefile;
use covplan_core::model::{Feature, FeatureTable, Field, FieldKind, Value};
use geo::{Coord, Geometry, LineString, MapCoords, MultiLineString, MultiPolygon, Point};
use std::io::Write;
use std::path::Path;

const ESRI_PRJ_4526: &str = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

struct Out<'a> {
    c: &'a County,
    gk: Crs,
}

impl Out<'_> {
    fn ll(&self, p: Coord<f64>) -> Coord<f64> {
        let (x, y) = self.c.frame.inverse(p.x, p.y);
        Coord { x: (x * 1e7).round() / 1e7, y: (y * 1e7).round() / 1e7 }
    }
    fn gk(&self, p: Coord<f64>) -> Coord<f64> {
        let ll = self.ll(p);
        let (x, y) = self.gk.from_wgs84(ll.x, ll.y).expect("inside zone 38");
        Coord { x: (x * 1000.0).round() / 1000.0, y: (y * 1000.0).round() / 1000.0 }
    }
    fn gk_geom(&self, g: Geometry<f64>) -> Geometry<f64> {
        g.map_coords(|c| self.gk(c))
    }
}

fn field(name: &str, kind: FieldKind) -> Field {
    Field { name: name.into(), kind }
}
fn text(s: &str) -> Value {
    Value::Text(s.into())
}
fn int(n: impl Into<i64>) -> Value {
    Value::Int(n.into())
}
fn opt_int(n: Option<u32>) -> Value {
    n.map_or(Value::Null, |n| Value::Int(n as i64))
}

fn shp(dir: &Path, name: &str, kind: ShapeKind, fields: Vec<Field>, features: Vec<Feature>) {
    let table = FeatureTable { fields, features };
    write_shapefile(&dir.join(format!("{name}.shp")), kind, &table, Some(ESRI_PRJ_4526), encoding_rs::GBK).expect("write shapefile");
}

/// Writes every file of the sample county into `dir`.
pub fn write_all(c: &County, dir: &Path) {
    let o = Out { c, gk: Crs::from_epsg(4526).unwrap() };
    let mp = |m: &MultiPolygon<f64>| o.gk_geom(Geometry::MultiPolygon(m.clone()));
    let line = |pts: &[Coord<f64>]| o.gk_geom(Geometry::MultiLineString(MultiLineString(vec![LineString(pts.to_vec())])));
    let pt = |p: Coord<f64>| o.gk_geom(Geometry::Point(Point(p)));

    let admin_fields = || vec![field("名称", FieldKind::Text), field("行政代码", FieldKind::Text), field("级别", FieldKind::Text)];
    shp(
        dir,
        "县界",
        ShapeKind::Polygon,
        admin_fields(),
        vec![Feature { geometry: Some(mp(&c.boundary)), values: vec![text("四会市"), text("441284"), text("县级")] }],
    );
    shp(
        dir,
        "乡镇界",
        ShapeKind::Polygon,
        admin_fields(),
        c.townships.iter().map(|(code, name, area)| Feature { geometry: Some(mp(area)), values: vec![text(name), text(code), text("乡镇")] }).collect(),
    );
    shp(
        dir,
        "行政村",
        ShapeKind::Polygon,
        vec![
            field("村代码", FieldKind::Text),
            field("村名称", FieldKind::Text),
            field("类型", FieldKind::Text),
            field("城乡代码", FieldKind::Int),
            field("户数", FieldKind::Int),
            field("乡镇代码", FieldKind::Text),
            field("宽带用户数", FieldKind::Int),
        ],
        c.units
            .iter()
            .map(|u| Feature {
                geometry: Some(mp(&u.area)),
                values: vec![
                    text(&u.code),
                    text(&u.name),
                    text(if u.community { "社区" } else { "行政村" }),
                    int(u.ur_code),
                    if u.community { Value::Null } else { int(u.households) },
                    text(&u.code[..9]),
                    int(u.subscribers),
                ],
            })
            .collect(),
    );
    shp(
        dir,
        "自然村",
        ShapeKind::Point,
        vec![
            field("编号", FieldKind::Text),
            field("名称", FieldKind::Text),
            field("户数", FieldKind::Int),
            field("人口", FieldKind::Int),
            field("行政村代码", FieldKind::Text),
            field("类型", FieldKind::Text),
        ],
        c.naturals
            .iter()
            .map(|n| Feature {
                geometry: Some(pt(n.pos)),
                values: vec![text(&n.id), text(&n.name), opt_int(n.households), opt_int(n.population), text(&c.units[n.unit].code), text("自然村")],
            })
            .collect(),
    );
    shp(
        dir,
        "道路",
        ShapeKind::Polyline,
        vec![field("名称", FieldKind::Text), field("等级", FieldKind::Text)],
        c.roads.iter().map(|r| Feature { geometry: Some(line(&r.pts)), values: vec![text(&r.name), text(r.class)] }).collect(),
    );
    shp(
        dir,
        "光缆",
        ShapeKind::Polyline,
        vec![field("光缆编号", FieldKind::Text), field("光缆类型", FieldKind::Text)],
        c.cables.iter().map(|k| Feature { geometry: Some(line(&k.pts)), values: vec![text(&k.id), text(k.kind)] }).collect(),
    );

    // Buildings: a zipped shapefile, as big layers arrive by e-mail.
    let tmp = std::env::temp_dir().join(format!("covplan-gen-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    shp(
        &tmp,
        "建筑",
        ShapeKind::Polygon,
        vec![field("编号", FieldKind::Text), field("层数", FieldKind::Int), field("户数", FieldKind::Int), field("类型", FieldKind::Text)],
        c.buildings
            .iter()
            .enumerate()
            .map(|(i, b)| Feature {
                geometry: Some(o.gk_geom(Geometry::Polygon(b.footprint.clone()))),
                values: vec![text(&format!("JZ{:06}", i + 1)), int(b.floors), opt_int(b.households), text(b.kind)],
            })
            .collect(),
    );
    let mut zip_bytes = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut zip_bytes);
        let when = zip::DateTime::from_date_and_time(2021, 6, 30, 0, 0, 0).unwrap();
        let opts =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(9)).last_modified_time(when);
        for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
            z.start_file(format!("建筑.{ext}"), opts).unwrap();
            z.write_all(&std::fs::read(tmp.join(format!("建筑.{ext}"))).unwrap()).unwrap();
        }
        z.finish().unwrap();
    }
    std::fs::remove_dir_all(&tmp).unwrap();
    covplan_core::fsutil::atomic_write(&dir.join("建筑.zip"), &zip_bytes.into_inner()).unwrap();

    // Access points: digitised on Amap, so GCJ-02.
    let feats: Vec<serde_json::Value> = c
        .aps
        .iter()
        .map(|a| {
            let ll = o.ll(a.pos);
            let (gx, gy) = gcj02::wgs84_to_gcj02(ll.x, ll.y);
            serde_json::json!({"type": "Feature", "properties": {"编号": a.id, "PON类型": a.tech, "分光比": format!("1:{}", a.split), "端口数": a.ports, "已用端口": a.used},
                "geometry": {"type": "Point", "coordinates": [(gx * 1e7).round() / 1e7, (gy * 1e7).round() / 1e7]}})
        })
        .collect();
    let fc = serde_json::json!({"type": "FeatureCollection", "name": "分纤箱", "features": feats});
    covplan_core::fsutil::atomic_write(&dir.join("分纤箱_gcj02.geojson"), serde_json::to_string_pretty(&fc).unwrap().as_bytes()).unwrap();

    write_site_tables(&o, dir);
    write_pois(&o, dir);
    covplan_core::io::terrain::write_geotiff_i16(&dir.join("地形.tif"), &c.dem, -32768).unwrap();
}

fn dms(v: f64) -> String {
    let d = v.trunc();
    let m = ((v - d) * 60.0).trunc();
    let s = ((v - d) * 60.0 - m) * 60.0;
    format!("{d:.0}°{m:02.0}'{s:05.2}\"")
}

fn write_site_tables(o: &Out, dir: &Path) {
    // China Mobile: UTF-8 with BOM, band names, dBm.
    let mut cm = String::from(
        "\u{feff}站名,小区名,经度,纬度,制式,频段,带宽(MHz),发射功率(dBm),天线增益(dBi),挂高(m),方位角,机械下倾角,电子下倾角,水平波瓣宽度,运营商\n",
    );
    // China Telecom: GBK, channel numbers, power in W, some coordinates in degrees-minutes-seconds, no operator column.
    let mut ct = String::from("基站名称,小区名称,经度,纬度,网络类型,频点,带宽,发射功率(W),天线增益,天线挂高,方位角,下倾角\n");
    let mut cu_rows = Vec::new();
    for (i, s) in o.c.sectors.iter().enumerate() {
        let ll = o.ll(s.pos);
        match s.operator {
            "中国移动" => cm.push_str(&format!(
                "{},{},{:.6},{:.6},{},{},{},{},{},{},{},{},{},{},{}\n",
                s.site,
                s.cell,
                ll.x,
                ll.y,
                s.tech,
                s.band,
                s.bandwidth,
                s.power_dbm,
                s.gain,
                s.height,
                s.azimuth,
                s.mech_tilt,
                s.elec_tilt,
                s.beamwidth,
                s.operator
            )),
            "中国电信" => {
                let (lon, lat) = if i % 5 == 0 { (dms(ll.x), dms(ll.y)) } else { (format!("{:.6}", ll.x), format!("{:.6}", ll.y)) };
                let watts = 10f64.powf((s.power_dbm - 30.0) / 10.0).round();
                ct.push_str(&format!(
                    "{},{},{lon},{lat},{},{},{}MHz,{},{},{},{},{}\n",
                    s.site,
                    s.cell,
                    if s.tech == "NR" { "5G" } else { "4G" },
                    s.channel,
                    s.bandwidth,
                    watts,
                    s.gain,
                    s.height,
                    s.azimuth,
                    s.mech_tilt + s.elec_tilt
                ))
            }
            _ => cu_rows.push((s, ll)),
        }
    }
    covplan_core::fsutil::atomic_write(&dir.join("移动工参.csv"), cm.as_bytes()).unwrap();
    covplan_core::fsutil::atomic_write(&dir.join("电信工参.csv"), &encoding_rs::GBK.encode(&ct).0).unwrap();

    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2021, 6, 30).unwrap()));
    let ws = wb.add_worksheet();
    ws.set_name("联通4G5G小区").unwrap();
    let headers = ["站点名称", "小区", "经度", "纬度", "制式", "频段", "带宽", "功率(dBm)", "增益", "天线高度", "方向角", "总下倾角", "运营商"];
    for (j, h) in headers.iter().enumerate() {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for (i, (s, ll)) in cu_rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &s.site).unwrap();
        ws.write_string(r, 1, &s.cell).unwrap();
        ws.write_number(r, 2, ll.x).unwrap();
        ws.write_number(r, 3, ll.y).unwrap();
        ws.write_string(r, 4, if s.tech == "NR" { "NR" } else { "LTE" }).unwrap();
        ws.write_string(r, 5, s.band).unwrap();
        ws.write_number(r, 6, s.bandwidth as f64).unwrap();
        ws.write_number(r, 7, s.power_dbm).unwrap();
        ws.write_number(r, 8, s.gain).unwrap();
        ws.write_number(r, 9, s.height).unwrap();
        ws.write_number(r, 10, s.azimuth).unwrap();
        ws.write_number(r, 11, s.mech_tilt + s.elec_tilt).unwrap();
        ws.write_string(r, 12, s.operator).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    covplan_core::fsutil::atomic_write(&dir.join("联通工参.xlsx"), &bytes).unwrap();
}

fn write_pois(o: &Out, dir: &Path) {
    let path = dir.join("兴趣点.gpkg");
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300; PRAGMA journal_mode = DELETE;
         CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
         CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
         INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', ''), ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', ''),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4326\"]]', '');
         CREATE TABLE 兴趣点 (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, 名称 TEXT, 类别 TEXT);
         INSERT INTO gpkg_contents VALUES ('兴趣点', 'features', '兴趣点', '', '2021-06-30T00:00:00Z', NULL, NULL, NULL, NULL, 4326);
         INSERT INTO gpkg_geometry_columns VALUES ('兴趣点', 'geom', 'POINT', 4326, 0, 0);",
    )
    .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    for p in &o.c.pois {
        let ll = o.ll(p.pos);
        let mut blob = vec![b'G', b'P', 0, 0b0000_0001];
        blob.extend_from_slice(&4326i32.to_le_bytes());
        covplan_core::io::wkb::encode(&Geometry::Point(Point(ll)), &mut blob);
        tx.execute("INSERT INTO 兴趣点 (geom, 名称, 类别) VALUES (?1, ?2, ?3)", rusqlite::params![blob, p.name, p.category]).unwrap();
    }
    tx.commit().unwrap();
}
