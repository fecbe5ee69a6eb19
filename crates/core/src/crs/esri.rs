//! EPSG codes for the coordinate-system names found in Chinese ESRI `.prj` files.

/// The top-level name of a WKT (`PROJCS["name", …` or `GEOGCS["name", …`).
pub fn wkt_name(wkt: &str) -> Option<String> {
    let start = wkt.find('[')?;
    let rest = &wkt[start + 1..];
    let rest = rest.trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// The EPSG code of a WKT: from a top-level `AUTHORITY["EPSG","N"]`, else from a known name.
pub fn epsg_of_wkt(wkt: &str) -> Option<u32> {
    // The last AUTHORITY of a WKT1 string belongs to the outermost object.
    let t = wkt.trim_end();
    if let Some(pos) = t.rfind("AUTHORITY[") {
        let depth_after = t[pos..].matches('[').count() as i64 - t[pos..].matches(']').count() as i64;
        if depth_after == -1 {
            let inner = &t[pos + "AUTHORITY[".len()..];
            let parts: Vec<&str> = inner.split(',').take(2).map(|p| p.trim_matches(|c: char| c == '"' || c == ']' || c.is_whitespace())).collect();
            if parts.len() == 2
                && parts[0].eq_ignore_ascii_case("EPSG")
                && let Ok(code) = parts[1].parse()
            {
                return Some(code);
            }
        }
    }
    epsg_of_name(&wkt_name(wkt)?)
}

/// The EPSG code for an ESRI coordinate-system name, e.g. `CGCS2000_3_Degree_GK_Zone_38` → 4526.
pub fn epsg_of_name(name: &str) -> Option<u32> {
    let n = name.trim().replace([' ', '-'], "_").to_ascii_uppercase();
    let fixed = match n.as_str() {
        "GCS_WGS_1984" | "WGS_84" | "WGS_1984" | "WGS84" => Some(4326),
        "GCS_CHINA_GEODETIC_COORDINATE_SYSTEM_2000" | "CHINA_GEODETIC_COORDINATE_SYSTEM_2000" | "CGCS2000" | "GCS_CGCS2000" => Some(4490),
        "GCS_XIAN_1980" | "XIAN_1980" => Some(4610),
        "GCS_BEIJING_1954" | "BEIJING_1954" => Some(4214),
        "WGS_1984_WEB_MERCATOR_AUXILIARY_SPHERE" | "WGS_1984_WEB_MERCATOR" | "WGS_84_PSEUDO_MERCATOR" => Some(3857),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    if let Some(z) = n.strip_prefix("WGS_1984_UTM_ZONE_").or(n.strip_prefix("WGS_84_UTM_ZONE_")) {
        let (num, hemi) = z.split_at(z.find(|c: char| !c.is_ascii_digit()).unwrap_or(z.len()));
        let num: u32 = num.parse().ok().filter(|z| (1..=60).contains(z))?;
        return Some(if hemi.starts_with('S') { 32700 } else { 32600 } + num);
    }
    // Gauss-Krüger families: (prefix, 3° zone base, 3° CM base, 6° zone base, 6° CM base).
    let families: [(&str, u32, u32, u32, u32); 3] =
        [("CGCS2000", 4513, 4534, 4491, 4502), ("XIAN_1980", 2349, 2370, 2327, 2338), ("BEIJING_1954", 2401, 2422, 21413, 21453)];
    for (prefix, z3, cm3, z6, cm6) in families {
        let Some(rest) = n.strip_prefix(prefix) else { continue };
        let rest = rest.trim_start_matches('_');
        let (three, rest) = match rest.strip_prefix("3_DEGREE_") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let rest = rest.strip_prefix("GK_")?;
        if let Some(zone) = rest.strip_prefix("ZONE_") {
            let zone: u32 = zone.parse().ok()?;
            return if three { (25..=45).contains(&zone).then(|| z3 + zone - 25) } else { (13..=23).contains(&zone).then(|| z6 + zone - 13) };
        }
        if let Some(cm) = rest.strip_prefix("CM_") {
            let cm: u32 = cm.trim_end_matches('E').parse().ok()?;
            return if three {
                (75..=135).contains(&cm).then_some(cm).filter(|c| c % 3 == 0).map(|c| cm3 + (c - 75) / 3)
            } else {
                (75..=135).contains(&cm).then_some(cm).filter(|c| (c - 75) % 6 == 0).map(|c| cm6 + (c - 75) / 6)
            };
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_esri_names() {
        assert_eq!(epsg_of_name("CGCS2000_3_Degree_GK_Zone_38"), Some(4526));
        assert_eq!(epsg_of_name("CGCS2000_3_Degree_GK_CM_114E"), Some(4547));
        assert_eq!(epsg_of_name("CGCS2000_GK_Zone_19"), Some(4497));
        assert_eq!(epsg_of_name("CGCS2000_GK_CM_111E"), Some(4508));
        assert_eq!(epsg_of_name("Xian_1980_3_Degree_GK_CM_114E"), Some(2383));
        assert_eq!(epsg_of_name("Beijing_1954_3_Degree_GK_Zone_39"), Some(2415));
        assert_eq!(epsg_of_name("WGS_1984_UTM_Zone_50N"), Some(32650));
        assert_eq!(epsg_of_name("GCS_China_Geodetic_Coordinate_System_2000"), Some(4490));
        assert_eq!(epsg_of_name("CGCS2000_3_Degree_GK_Zone_99"), None);
    }

    #[test]
    fn authority_of_outer_object_only() {
        let wkt = r#"PROJCS["x",GEOGCS["y",AUTHORITY["EPSG","4490"]],AUTHORITY["EPSG","4526"]]"#;
        assert_eq!(epsg_of_wkt(wkt), Some(4526));
        let esri = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(epsg_of_wkt(esri), Some(4526));
    }
}
