//! `covplan merge`: the shards' owned places and verdicts put back in whole-project order, and
//! every per-area, share and county figure computed from them after the merge (never from the
//! shards' summaries), by the same code as a whole analysis: the outputs are byte-identical.

use super::run::KINDS;
use super::tables;
use crate::analysis::{Analysis, PlaceVerdict, TargetResult};
use crate::error::{InputError, Result};
use crate::io::geoparquet::{self, Column};
use crate::project::{PlanData, Project, ProjectFile};
use crate::spatial::LocalFrame;
use crate::targets::evaluate::{Judgement, Reason, Verdict};
use crate::targets::places::{Geography, PlaceRef};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The objects of one kind in whole-project order, filled shard by shard: each row goes to the
/// slot its `seq` names, so only one shard's table is read at a time (a province's are not
/// all held twice), and a place owned twice or by no shard is refused.
struct Slots<T> {
    items: Vec<Option<T>>,
    what: &'static str,
}

impl<T> Slots<T> {
    fn new(count: usize, what: &'static str) -> Slots<T> {
        Slots { items: std::iter::repeat_with(|| None).take(count).collect(), what }
    }

    /// Puts the rows read from `path` in their slots.
    fn place(&mut self, path: &Path, rows: tables::Read<T>) -> Result<()> {
        let hint = "merge the results of one `covplan shard` run, each area once";
        for (s, _, t) in rows {
            let (what, n) = (self.what, self.items.len());
            let slot =
                self.items.get_mut(s).ok_or_else(|| InputError::in_file(path, format!("{what} {s} is beyond the {n} the manifest lists")).with_hint(hint))?;
            if slot.replace(t).is_some() {
                return Err(InputError::in_file(path, format!("{what} {s} is owned by two shards")).with_hint(hint));
            }
        }
        Ok(())
    }

    /// Every object, once each slot is filled (`manifest` names the shards in the error).
    fn finish(self, manifest: &Path) -> Result<Vec<T>> {
        if let Some(i) = self.items.iter().position(Option::is_none) {
            return Err(InputError::in_file(manifest, format!("{} {i} is owned by no shard", self.what))
                .with_hint("merge the results of one `covplan shard` run, each area once"));
        }
        Ok(self.items.into_iter().flatten().collect())
    }
}

/// Merges shard results (folders `covplan run --shard … --out` wrote) into `out`: the outputs of
/// `covplan analyze` (summary.json, gaps.csv/geojson/kml/shp/parquet, areas.csv …) and
/// verdicts.parquet. Every area of the manifest must come exactly once.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>> {
    let first = dirs.first().ok_or_else(|| InputError::new(crate::error::Location::file(out), "no shard results to merge"))?;
    let manifest = super::read_manifest(first)?;
    let mut seen: Vec<String> = Vec::new();
    let owned = |k: usize| manifest.areas.iter().map(|a| a.owned[k]).sum::<usize>();
    let mut villages = Slots::new(owned(0), "village");
    let mut buildings = Slots::new(owned(1), "building");
    let mut pois = Slots::new(owned(2), "point of interest");
    let mut measurements = Slots::new(owned(3), "measurement");
    for dir in dirs {
        let m = super::read_manifest(dir)?;
        if m != manifest {
            return Err(InputError::in_file(dir.join("manifest.json"), format!("comes from another shard run than {}", first.display()))
                .with_hint("merge the results of one `covplan shard` run"));
        }
        let path = dir.join("shard.json");
        let text = std::fs::read_to_string(&path).map_err(|e| InputError::io(&path, &e))?;
        let code = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["code"].as_str().map(str::to_string));
        let code = code.ok_or_else(|| InputError::in_file(&path, "no area code").with_hint("run the shard again"))?;
        if seen.contains(&code) {
            return Err(InputError::in_file(&path, format!("area {code} is given twice")).with_hint("give each shard's result once"));
        }
        seen.push(code);
        let read = |name: &str| -> Result<(geoparquet::GeoTable, PathBuf)> {
            let path = dir.join(name);
            Ok((geoparquet::read(&path)?, path))
        };
        let (t, p) = read("villages.parquet")?;
        villages.place(&p, tables::read_villages(&t, &p)?)?;
        let (t, p) = read("buildings.parquet")?;
        buildings.place(&p, tables::read_placed_buildings(&t, &p)?)?;
        let (t, p) = read("pois.parquet")?;
        pois.place(&p, tables::read_pois(&t, &p)?)?;
        let (t, p) = read("measurements.parquet")?;
        measurements.place(&p, tables::read_measurements(&t, &p)?)?;
    }
    let missing: Vec<&str> = manifest.areas.iter().map(|a| a.code.as_str()).filter(|c| !seen.iter().any(|s| s == c)).collect();
    if !missing.is_empty() {
        return Err(InputError::in_file(first.join("manifest.json"), format!("no result for area(s) {}", missing.join(", ")))
            .with_hint("run every shard (covplan run --shard DIR/<code>) and merge all of their results"));
    }
    let (t, p) = {
        let path = first.join("admin_areas.parquet");
        (geoparquet::read(&path)?, path)
    };
    let admin: Vec<_> = tables::read_admin_areas(&t, &p)?.into_iter().map(|r| r.2).collect();
    let listed = first.join("manifest.json");
    let mut data = PlanData::default();
    data.villages.append_vec(villages.finish(&listed)?);
    let (mut buildings, placed): (Vec<_>, Vec<tables::Placed>) = buildings.finish(&listed)?.into_iter().unzip();
    for (i, (b, &(_, v))) in buildings.iter_mut().zip(&placed).enumerate() {
        if v.is_some_and(|v| v >= data.villages.len()) {
            return Err(InputError::in_file(&listed, format!("building {i} belongs to village {v:?}, which no shard owns"))
                .with_hint("merge the results of one `covplan shard` run"));
        }
        b.village = v;
    }
    data.buildings.append_vec(buildings);
    data.pois.append_vec(pois.finish(&listed)?);
    data.measurements.append_vec(measurements.finish(&listed)?);
    data.admin_areas.append_vec(admin);
    let project_path = PathBuf::from(&manifest.project_path);
    let file = ProjectFile::parse(&project_path, &manifest.project)?;
    // The buildings as the shards placed them: no footprints (a province's would not fit).
    let xy = placed.into_iter().map(|(xy, _)| xy).collect();
    let mut p = Project::from_placed_data(&project_path, file, data, LocalFrame::new(manifest.frame[0], manifest.frame[1]), xy);
    p.partition = Some(Arc::new(manifest.partition.clone()));

    let profile = manifest.profile.clone();
    let mut per_target: Vec<Vec<PlaceVerdict>> = vec![Vec::new(); profile.targets.len()];
    // One shard's verdict table at a time: only the verdicts stay, not every table at once.
    for dir in dirs {
        let path = dir.join("verdicts.parquet");
        read_verdicts(&geoparquet::read(&path)?, &path, &p, &mut per_target)?;
    }
    let geography = Geography::new(&p)?;
    let targets = profile
        .targets
        .iter()
        .zip(per_target)
        .map(|(t, mut places)| {
            places.sort_by_key(|v| v.place);
            let areas = t.share.as_ref().map(|rule| crate::analysis::judge_areas(&p, &geography, t, rule, &places)).unwrap_or_default();
            TargetResult { target: t.clone(), places, areas }
        })
        .collect();
    let a = Analysis { profile, profile_source: manifest.profile_source.clone(), geography, targets, timings: (0.0, 0.0) };
    crate::report::tables::write_all(&p, &a, out)
}

/// Adds the rows of one shard's verdicts.parquet to `per_target`, checking each names a place
/// of the merged project.
fn read_verdicts(t: &geoparquet::GeoTable, path: &Path, p: &Project, per_target: &mut [Vec<PlaceVerdict>]) -> Result<()> {
    let bad = |row: usize, what: &str| InputError::in_file(path, format!("row {}: {what}", row + 1)).with_hint("run the shard again");
    let col = |name: &str| t.column(name).ok_or_else(|| InputError::in_file(path, format!("no column '{name}'")).with_hint("run the shard again"));
    let (Column::Int(target), Column::Text(kind), Column::Int(seq)) = (col("target")?, col("kind")?, col("seq")?) else {
        return Err(bad(0, "unexpected column types"));
    };
    let (Column::Text(state), Column::Text(reason), Column::Text(evidence)) = (col("state")?, col("reason")?, col("evidence")?) else {
        return Err(bad(0, "unexpected column types"));
    };
    let (Column::Float(households), Column::Float(weight), Column::Float(subscribers)) = (col("households")?, col("weight")?, col("subscribers")?) else {
        return Err(bad(0, "unexpected column types"));
    };
    let counts = [p.data.villages.len(), p.data.buildings.len(), p.data.pois.len()];
    let empty: Arc<str> = Arc::from("");
    for row in 0..t.geometry.len() {
        let ti = target[row].and_then(|x| usize::try_from(x).ok()).filter(|&x| x < per_target.len()).ok_or_else(|| bad(row, "no such target"))?;
        let k = KINDS.iter().position(|k| Some(*k) == kind[row].as_deref()).ok_or_else(|| bad(row, "unknown place kind"))?;
        let i = seq[row].and_then(|x| usize::try_from(x).ok()).filter(|&x| x < counts[k]).ok_or_else(|| bad(row, "no such place"))?;
        let place = [PlaceRef::Village, PlaceRef::Building, PlaceRef::Poi][k](i);
        let parse = |s: &Option<String>| s.as_ref().map(|s| serde_json::Value::String(s.clone()));
        let state: Verdict = parse(&state[row]).and_then(|v| serde_json::from_value(v).ok()).ok_or_else(|| bad(row, "unknown state"))?;
        let reason: Option<Reason> = match parse(&reason[row]) {
            None => None,
            Some(v) => Some(serde_json::from_value(v).map_err(|_| bad(row, "unknown reason"))?),
        };
        // A met place's evidence is in no merged output (gaps quote failing places only): a
        // province's millions of them are not kept.
        let evidence = if state == Verdict::Met { empty.clone() } else { Arc::from(evidence[row].as_deref().unwrap_or("")) };
        let outcome = Judgement { state, evidence, reason };
        per_target[ti].push(PlaceVerdict { place, outcome, households: households[row], weight: weight[row], subscribers: subscribers[row] });
    }
    Ok(())
}
