//! Which column holds which attribute: common Chinese and English names per role, detected
//! automatically, overridable per layer in the project file.

use crate::error::{InputError, Location, Result};
use crate::io::csv_table::normalize_header;
use crate::model::Field;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a layer is in the planning model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Natural or administrative villages (points or polygons).
    Villages,
    /// Building footprints.
    Buildings,
    /// Mobile sectors (site tables).
    Sectors,
    /// Fiber cable routes.
    Fiber,
    /// PON access points / DSLAMs.
    AccessPoints,
    /// Roads.
    Roads,
    /// Administrative areas (county, township …).
    Admin,
    /// Points of interest.
    Poi,
    /// Terrain model.
    Terrain,
    /// Drive tests, measurement reports, speed tests.
    Measurements,
}

impl Role {
    /// The name used in project files.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Villages => "villages",
            Role::Buildings => "buildings",
            Role::Sectors => "sectors",
            Role::Fiber => "fiber",
            Role::AccessPoints => "access_points",
            Role::Roads => "roads",
            Role::Admin => "admin",
            Role::Poi => "poi",
            Role::Terrain => "terrain",
            Role::Measurements => "measurements",
        }
    }
}

/// One model attribute and the column names that usually hold it.
pub struct Attribute {
    /// Attribute name, as used in `[layers.fields]`.
    pub name: &'static str,
    /// Column names that mean it (compared after [`normalize_header`]). Names before a `"|"`
    /// entry are strong; names after it are used only when no strong name matches. Two
    /// columns matching in the same tier are ambiguous.
    pub synonyms: &'static [&'static str],
}

const fn a(name: &'static str, synonyms: &'static [&'static str]) -> Attribute {
    Attribute { name, synonyms }
}

const VILLAGES: &[Attribute] = &[
    a("id", &["id", "code", "编号", "代码", "编码", "村代码", "村编码", "统计用区划代码", "区划代码", "行政代码", "自然村代码", "fid_code"]),
    a("name", &["name", "名称", "村名", "村名称", "村庄名称", "自然村名", "自然村名称", "行政村名称", "village", "村庄"]),
    a("households", &["households", "户数", "总户数", "hh", "住户数", "户", "household", "农户数", "家庭户数"]),
    a("population", &["population", "pop", "人口", "总人口", "常住人口", "户籍人口"]),
    a("subscribers", &["subscribers", "宽带用户数", "宽带用户", "用户数", "固定宽带用户数", "users"]),
    a("kind", &["kind", "村类型", "村级别", "|", "类型", "级别", "level", "type"]),
    a("urban_rural_code", &["urban_rural_code", "城乡分类代码", "城乡代码", "城乡分类", "urcode", "ur_code", "城乡属性"]),
    a("parent_code", &["parent_code", "行政村代码", "所属行政村代码", "上级代码", "parent", "所属行政村编码"]),
    a("township_code", &["township_code", "乡镇代码", "乡镇编码", "街道代码", "township"]),
];

const BUILDINGS: &[Attribute] = &[
    a("id", &["id", "编号", "建筑编号", "建筑id", "bid", "osm_id", "|", "fid"]),
    a("households", &["households", "户数", "住户数", "hh", "总户数", "household"]),
    a("floors", &["floors", "层数", "楼层数", "楼层", "levels", "building:levels", "building_levels", "地上层数"]),
    a("height", &["height", "高度", "建筑高度", "楼高", "height_m"]),
];

const SECTORS: &[Attribute] = &[
    a(
        "site",
        &["site", "站名", "基站名称", "基站名", "站点名称", "站点名", "sitename", "site name", "enodeb名称", "gnodeb名称", "enodebname", "gnodebname", "站号"],
    ),
    a("cell", &["cell", "小区名", "小区名称", "cellname", "cell name", "小区", "cgi", "eci", "ncgi", "小区编号"]),
    a("tech", &["tech", "制式", "网络类型", "网络制式", "technology", "rat", "系统", "network"]),
    a("band", &["band", "频段", "工作频段", "|", "频率", "frequency", "freq", "frequency_mhz", "freq_mhz"]),
    a("channel", &["channel", "频点", "earfcn", "arfcn", "nrarfcn", "中心频点", "ssb频点", "下行频点", "dlearfcn"]),
    a("bandwidth", &["bandwidth", "带宽", "bw", "系统带宽", "信道带宽", "载波带宽"]),
    a("power", &["power", "发射功率", "功率", "txpower", "tx power", "总功率", "最大发射功率", "载波功率"]),
    a("gain", &["gain", "天线增益", "增益", "antenna gain", "antennagain"]),
    a("height", &["height", "挂高", "天线挂高", "天线高度", "天线高", "antenna height", "antennaheight", "ant_height", "站高"]),
    a("azimuth", &["azimuth", "方位角", "方向角", "az", "方位", "天线方位角"]),
    a("tilt", &["tilt", "下倾角", "总下倾角", "总下倾", "downtilt", "倾角"]),
    a("mech_tilt", &["mech_tilt", "机械下倾角", "机械下倾", "mechanical tilt", "mtilt"]),
    a("elec_tilt", &["elec_tilt", "电子下倾角", "电子下倾", "electrical tilt", "etilt", "电下倾角"]),
    a("beamwidth", &["beamwidth", "水平波瓣宽度", "水平半功率角", "水平波宽", "波瓣宽度", "hbw", "水平波束宽度"]),
    a("operator", &["operator", "运营商", "归属运营商", "carrier", "所属运营商"]),
];

const FIBER: &[Attribute] = &[a("id", &["id", "编号", "光缆编号", "cable", "|", "名称", "光缆名称", "name"])];

const ACCESS_POINTS: &[Attribute] = &[
    a("id", &["id", "编号", "分纤箱编号", "设备编号", "olt", "|", "名称", "name", "设备名称"]),
    a("tech", &["tech", "技术", "pon类型", "类型", "接入方式", "pon", "type", "制式"]),
    a("split", &["split", "分光比", "分光", "splitter"]),
    a("ports_total", &["ports_total", "端口数", "总端口", "总端口数", "ports", "端口总数"]),
    a("ports_used", &["ports_used", "已用端口", "占用端口", "已用端口数", "used", "占用端口数"]),
];

const ROADS: &[Attribute] =
    &[a("name", &["name", "名称", "道路名称", "路名"]), a("class", &["class", "等级", "道路等级", "kind", "highway", "fclass", "type"])];

const ADMIN: &[Attribute] = &[
    a("code", &["adcode", "code", "代码", "行政代码", "行政区划代码", "区划代码", "xzqdm"]),
    a("name", &["name", "名称", "行政区名称", "xzqmc"]),
    a("level", &["level", "级别", "行政级别"]),
    a("urban_rural_code", &["urban_rural_code", "城乡分类代码", "城乡代码"]),
];

const POI: &[Attribute] = &[a("name", &["name", "名称", "poi名称"]), a("category", &["category", "类别", "类型", "kind", "type", "分类", "poi类型"])];

// Headers drive-test tools (鼎利, 华星 …), MR exports and speed-test apps write; units in
// brackets are dropped before matching ("RSRP(dBm)" → "rsrp").
const MEASUREMENTS: &[Attribute] = &[
    a("rsrp", &["rsrp", "ssrsrp", "ssbrsrp", "nrssrsrp", "ltersrp", "servingrsrp", "服务小区rsrp", "参考信号接收功率", "rsrp值"]),
    a("rsrq", &["rsrq", "ssrsrq", "nrssrsrq", "ltersrq", "servingrsrq", "参考信号接收质量"]),
    a("sinr", &["sinr", "sssinr", "rssinr", "nrsssinr", "ltesinr", "servingsinr", "信干噪比", "信噪比"]),
    a(
        "dl_mbps",
        &[
            "dl_mbps",
            "下载速率",
            "下行速率",
            "下载速度",
            "下行吞吐量",
            "download",
            "downloadspeed",
            "dlthroughput",
            "appdlthroughput",
            "pdcpdlthroughput",
            "dl",
        ],
    ),
    a(
        "ul_mbps",
        &["ul_mbps", "上传速率", "上行速率", "上传速度", "上行吞吐量", "upload", "uploadspeed", "ulthroughput", "appulthroughput", "pdcpulthroughput", "ul"],
    ),
    a("operator", &["operator", "运营商", "网络运营商", "carrier", "所属运营商"]),
    a("tech", &["tech", "网络制式", "制式", "网络类型", "rat", "technology", "network", "servingrat"]),
    a("cell", &["cell", "小区id", "小区名称", "小区名", "服务小区", "服务小区id", "cellid", "cellname", "eci", "nci", "ecgi", "ncgi", "cgi", "|", "小区"]),
    a("pci", &["pci", "物理小区id", "服务小区pci", "servingpci"]),
    a("time", &["time", "时间", "测试时间", "采样时间", "timestamp", "datetime", "日期时间"]),
];

/// The attributes a role knows.
pub fn attributes(role: Role) -> &'static [Attribute] {
    match role {
        Role::Villages => VILLAGES,
        Role::Buildings => BUILDINGS,
        Role::Sectors => SECTORS,
        Role::Fiber => FIBER,
        Role::AccessPoints => ACCESS_POINTS,
        Role::Roads => ROADS,
        Role::Admin => ADMIN,
        Role::Poi => POI,
        Role::Terrain => &[],
        Role::Measurements => MEASUREMENTS,
    }
}

/// Column index of each attribute found in a layer, plus columns nothing claimed.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    /// attribute → column index.
    pub columns: BTreeMap<&'static str, usize>,
    /// Columns mapped to no attribute (kept as plain attributes).
    pub unmapped: Vec<String>,
}

impl FieldMap {
    /// The column of an attribute, if mapped.
    pub fn get(&self, attr: &str) -> Option<usize> {
        self.columns.get(attr).copied()
    }
}

/// Maps a layer's fields to the role's attributes: explicit `overrides` first (attribute →
/// column name), then synonyms. Two columns claiming one attribute is an error that lists them.
pub fn resolve(role: Role, fields: &[Field], overrides: &BTreeMap<String, String>, loc: &Location) -> Result<FieldMap> {
    let attrs = attributes(role);
    let mut map = FieldMap::default();
    let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    for (attr, column) in overrides {
        if attr == "lon" || attr == "lat" {
            continue; // position columns are used by the table reader
        }
        let Some(spec) = attrs.iter().find(|a| a.name == attr) else {
            return Err(InputError::new(loc.field(attr.clone()), format!("'{attr}' is not an attribute of {} layers", role.as_str()))
                .with_hint(format!("known attributes: {}", attrs.iter().map(|a| a.name).collect::<Vec<_>>().join(", "))));
        };
        let i =
            names.iter().position(|n| n == column).or_else(|| names.iter().position(|n| normalize_header(n) == normalize_header(column))).ok_or_else(|| {
                InputError::new(loc.field(column.clone()), format!("no column '{column}' for attribute '{attr}'"))
                    .with_hint(format!("the layer's columns are: {}", names.join(", ")))
            })?;
        map.columns.insert(spec.name, i);
    }
    for spec in attrs {
        if map.columns.contains_key(spec.name) {
            continue;
        }
        for tier in spec.synonyms.split(|s| *s == "|") {
            let syn: Vec<String> = tier.iter().map(|s| normalize_header(s)).collect();
            let hits: Vec<usize> = (0..names.len()).filter(|&i| syn.contains(&normalize_header(&names[i])) && !map.columns.values().any(|&c| c == i)).collect();
            match hits.len() {
                0 => continue,
                1 => {
                    map.columns.insert(spec.name, hits[0]);
                }
                _ => {
                    let cols: Vec<&str> = hits.iter().map(|&i| names[i].as_str()).collect();
                    return Err(InputError::new(loc.clone(), format!("columns {} could each be '{}'", cols.join(" and "), spec.name))
                        .with_hint(format!("say which in the project file: [layers.fields] {} = \"{}\"", spec.name, cols[0])));
                }
            }
            break;
        }
    }
    let used: Vec<usize> = map.columns.values().copied().collect();
    map.unmapped = (0..names.len()).filter(|i| !used.contains(i)).map(|i| names[i].clone()).collect();
    Ok(map)
}

/// The message for a layer that lacks a column the role cannot do without.
pub fn missing(role: Role, attr: &str, fields: &[Field], loc: &Location) -> InputError {
    let found: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let syn = attributes(role)
        .iter()
        .find(|a| a.name == attr)
        .map(|a| a.synonyms.iter().filter(|s| **s != "|").take(6).copied().collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    InputError::new(loc.clone(), format!("no column for '{attr}' (looked for {syn}); columns found: {}", found.join(", ")))
        .with_hint(format!("map it in the project file: [layers.fields] {attr} = \"<column>\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FieldKind;

    fn fields(names: &[&str]) -> Vec<Field> {
        names.iter().map(|n| Field { name: n.to_string(), kind: FieldKind::Text }).collect()
    }

    #[test]
    fn chinese_site_table_headers() {
        let f = fields(&["站名", "小区名", "经度", "纬度", "方位角", "天线挂高(m)", "频点", "制式", "发射功率(W)", "备注"]);
        let m = resolve(Role::Sectors, &f, &BTreeMap::new(), &Location::file("s.csv")).unwrap();
        assert_eq!(m.get("site"), Some(0));
        assert_eq!(m.get("height"), Some(5));
        assert_eq!(m.get("channel"), Some(6));
        assert_eq!(m.get("power"), Some(8));
        assert!(m.unmapped.contains(&"备注".to_string()));
    }

    #[test]
    fn weak_names_only_when_no_strong_one() {
        let f = fields(&["名称", "编号"]);
        let m = resolve(Role::Fiber, &f, &BTreeMap::new(), &Location::file("c.shp")).unwrap();
        assert_eq!(m.get("id"), Some(1));
        let m = resolve(Role::Fiber, &fields(&["名称"]), &BTreeMap::new(), &Location::file("c.shp")).unwrap();
        assert_eq!(m.get("id"), Some(0));
    }

    #[test]
    fn ambiguous_and_override() {
        let f = fields(&["户数", "总户数", "名称"]);
        let e = resolve(Role::Villages, &f, &BTreeMap::new(), &Location::file("v.shp")).unwrap_err();
        assert!(e.message.contains("户数 and 总户数"), "{e}");
        assert!(e.hint.unwrap().contains("households"));
        let o = BTreeMap::from([("households".to_string(), "总户数".to_string())]);
        let m = resolve(Role::Villages, &f, &o, &Location::file("v.shp")).unwrap();
        assert_eq!(m.get("households"), Some(1));
        let bad = BTreeMap::from([("housholds".to_string(), "总户数".to_string())]);
        assert!(resolve(Role::Villages, &f, &bad, &Location::file("v.shp")).unwrap_err().hint.unwrap().contains("households"));
    }
}
