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

/// The objects of one kind gathered shard by shard (room for exactly the count the manifest
/// lists), then put in whole-project order in place: a province's buildings are held once, not
/// once per copy, and a place owned twice or by no shard is refused.
struct InOrder<T> {
    rows: Vec<(usize, u32, T)>,
    shards: Vec<PathBuf>,
    count: usize,
    what: &'static str,
}

const HINT: &str = "merge the results of one `covplan shard` run, each area once";

impl<T> InOrder<T> {
    fn new(count: usize, what: &'static str) -> InOrder<T> {
        InOrder { rows: Vec::with_capacity(count), shards: Vec::new(), count, what }
    }

    /// Adds the rows read from `path`.
    fn add(&mut self, path: &Path, rows: tables::Read<T>) -> Result<()> {
        if self.rows.len() + rows.len() > self.count {
            let (what, n) = (self.what, self.count);
            return Err(InputError::in_file(path, format!("more {what} rows than the {n} the manifest lists")).with_hint(HINT));
        }
        let shard = self.shards.len() as u32;
        self.shards.push(path.to_path_buf());
        self.rows.extend(rows.into_iter().map(|(seq, _, t)| (seq, shard, t)));
        Ok(())
    }

    /// Every object in whole-project order (`manifest` names the shards when one is missing).
    fn finish(mut self, manifest: &Path) -> Result<Vec<T>> {
        self.rows.sort_unstable_by_key(|r| r.0);
        for (i, r) in self.rows.iter().enumerate() {
            if r.0 != i {
                let what = self.what;
                let e = if r.0 < i {
                    InputError::in_file(&self.shards[r.1 as usize], format!("{what} {} is owned by two shards", r.0))
                } else {
                    InputError::in_file(manifest, format!("{what} {i} is owned by no shard"))
                };
                return Err(e.with_hint(HINT));
            }
        }
        if self.rows.len() < self.count {
            return Err(InputError::in_file(manifest, format!("{} {} is owned by no shard", self.what, self.rows.len())).with_hint(HINT));
        }
        // Collected in place: the map keeps the buffer (no second copy of the objects).
        Ok(self.rows.into_iter().map(|r| r.2).collect())
    }
}

/// What a shard run's `shard.json` says of it.
#[derive(serde::Deserialize)]
struct ShardResult {
    /// The area's code.
    code: String,
    /// Verdict rows per target of the profile.
    verdicts_per_target: Vec<usize>,
}

/// Merges shard results (folders `covplan run --shard … --out` wrote) into `out`: the outputs of
/// `covplan analyze` (summary.json, gaps.csv/geojson/kml/shp/parquet, areas.csv).
/// Every area of the manifest must come exactly once. `step` is told each step.
pub fn merge(dirs: &[PathBuf], out: &Path, step: super::Steps) -> Result<Vec<PathBuf>> {
    let first = dirs.first().ok_or_else(|| InputError::new(crate::error::Location::file(out), "no shard results to merge"))?;
    let manifest = super::read_manifest(first)?;
    let mut seen: Vec<String> = Vec::new();
    let mut verdict_counts = vec![0usize; manifest.profile.targets.len()];
    let owned = |k: usize| manifest.areas.iter().map(|a| a.owned[k]).sum::<usize>();
    let mut villages = InOrder::new(owned(0), "village");
    let mut buildings = InOrder::new(owned(1), "building");
    let mut pois = InOrder::new(owned(2), "point of interest");
    let mut measurements = InOrder::new(owned(3), "measurement");
    for dir in dirs {
        let m = super::read_manifest(dir)?;
        if m != manifest {
            return Err(InputError::in_file(dir.join("manifest.json"), format!("comes from another shard run than {}", first.display()))
                .with_hint("merge the results of one `covplan shard` run"));
        }
        let path = dir.join("shard.json");
        let text = std::fs::read_to_string(&path).map_err(|e| InputError::io(&path, &e))?;
        let result: ShardResult =
            serde_json::from_str(&text).map_err(|e| InputError::in_file(&path, format!("not a shard result: {e}")).with_hint("run the shard again"))?;
        if result.verdicts_per_target.len() != manifest.profile.targets.len() {
            return Err(InputError::in_file(&path, "counts verdicts of another number of targets than the profile has").with_hint("run the shard again"));
        }
        for (n, m) in verdict_counts.iter_mut().zip(&result.verdicts_per_target) {
            *n += m;
        }
        let code = result.code;
        if seen.contains(&code) {
            return Err(InputError::in_file(&path, format!("area {code} is given twice")).with_hint("give each shard's result once"));
        }
        seen.push(code);
        let read = |name: &str| -> Result<(geoparquet::GeoTable, PathBuf)> {
            let path = dir.join(name);
            Ok((geoparquet::read(&path)?, path))
        };
        let (t, p) = read("villages.parquet")?;
        villages.add(&p, tables::read_villages(&t, &p)?)?;
        // Their points are not read: each row has its position.
        let p = dir.join("buildings.parquet");
        buildings.add(&p, tables::read_placed_buildings(&geoparquet::read_attributes(&p)?, &p)?)?;
        let (t, p) = read("pois.parquet")?;
        pois.add(&p, tables::read_pois(&t, &p)?)?;
        let (t, p) = read("measurements.parquet")?;
        measurements.add(&p, tables::read_measurements(&t, &p)?)?;
        step(&format!("read the places of shard {} of {}", seen.len(), dirs.len()));
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
    let buildings = buildings.finish(&listed)?;
    let xy: Vec<[f64; 2]> = buildings.iter().map(|(_, xy)| *xy).collect();
    if let Some((i, v)) = buildings.iter().enumerate().find_map(|(i, (b, _))| b.village.filter(|&v| v >= data.villages.len()).map(|v| (i, v))) {
        return Err(InputError::in_file(&listed, format!("building {i} belongs to village {v}, which no shard owns"))
            .with_hint("merge the results of one `covplan shard` run"));
    }
    data.buildings.append_vec(buildings.into_iter().map(|(b, _)| b).collect());
    data.pois.append_vec(pois.finish(&listed)?);
    data.measurements.append_vec(measurements.finish(&listed)?);
    data.admin_areas.append_vec(admin);
    let project_path = PathBuf::from(&manifest.project_path);
    let file = ProjectFile::parse(&project_path, &manifest.project)?;
    // The buildings as the shards placed them: no footprints (a province's would not fit).
    let mut p = Project::from_placed_data(&project_path, file, data, None, LocalFrame::new(manifest.frame[0], manifest.frame[1]), xy);
    p.partition = Some(Arc::new(manifest.partition.clone()));

    let profile = manifest.profile.clone();
    // Sized once from the shards' counts: grown by doubling, a province's lists would hold
    // up to twice their rows.
    let mut per_target: Vec<Vec<PlaceVerdict>> = verdict_counts.iter().map(|&n| Vec::with_capacity(n)).collect();
    // One shard's verdict table at a time: only the verdicts stay, not every table at once.
    for (k, dir) in dirs.iter().enumerate() {
        let path = dir.join("verdicts.parquet");
        read_verdicts(&geoparquet::read_attributes(&path)?, &path, &p, &mut per_target)?;
        step(&format!("read the verdicts of shard {} of {}", k + 1, dirs.len()));
    }
    let geography = Geography::new(&p)?;
    let targets = profile
        .targets
        .iter()
        .zip(per_target)
        .map(|(t, mut places)| {
            // One verdict per place: an unstable sort gives the same order without a buffer of
            // half the list.
            places.sort_unstable_by_key(|v| v.place);
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
    let starts: Vec<usize> = per_target.iter().map(Vec::len).collect();
    let empty: Arc<str> = Arc::from("");
    for row in 0..target.len() {
        let ti = target[row].and_then(|x| usize::try_from(x).ok()).filter(|&x| x < per_target.len()).ok_or_else(|| bad(row, "no such target"))?;
        let k = KINDS.iter().position(|k| Some(*k) == kind[row].as_deref()).ok_or_else(|| bad(row, "unknown place kind"))?;
        let i = seq[row].and_then(|x| usize::try_from(x).ok()).filter(|&x| x < counts[k]).ok_or_else(|| bad(row, "no such place"))?;
        let place = [PlaceRef::Village, PlaceRef::Building, PlaceRef::Poi][k](i);
        let state: Verdict = state[row].as_deref().and_then(Verdict::from_code).ok_or_else(|| bad(row, "unknown state"))?;
        let reason: Option<Reason> = match reason[row].as_deref() {
            None => None,
            Some(s) => Some(Reason::from_code(s).ok_or_else(|| bad(row, "unknown reason"))?),
        };
        // A met place's evidence is in no merged output (gaps quote failing places only).
        let evidence = if state == Verdict::Met { empty.clone() } else { Arc::from(evidence[row].as_deref().unwrap_or("")) };
        let outcome = Judgement { state, evidence, reason };
        per_target[ti].push(PlaceVerdict { place, outcome, households: households[row], weight: weight[row], subscribers: subscribers[row] });
    }
    for (list, start) in per_target.iter_mut().zip(starts) {
        keep_example_evidence(p, &mut list[start..], &empty);
    }
    Ok(())
}

/// Empties the evidence of the failing places that cannot be their gap's example: a gap quotes
/// one place of its group, the best of [`better_example`] among those with its main reason, so
/// only the best of each (group, reason) of this shard is kept. A province's millions of
/// failing places' evidence would not fit; the merged gaps stay byte-identical.
fn keep_example_evidence(p: &Project, rows: &mut [PlaceVerdict], empty: &Arc<str>) {
    use crate::analysis::gaps::{better_example, group_key};
    let mut best: std::collections::BTreeMap<(PlaceRef, Reason), usize> = std::collections::BTreeMap::new();
    for (k, v) in rows.iter().enumerate().filter(|(_, v)| v.outcome.state != Verdict::Met) {
        let key = (group_key(p, v.place), v.outcome.reason.unwrap_or(Reason::MissingData));
        let slot = best.entry(key).or_insert(k);
        if better_example(v, &rows[*slot]).is_gt() {
            *slot = k;
        }
    }
    let mut keep = vec![false; rows.len()];
    for &k in best.values() {
        keep[k] = true;
    }
    for (v, keep) in rows.iter_mut().zip(keep) {
        if !keep && v.outcome.state != Verdict::Met {
            v.outcome.evidence = empty.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Building, SourceRef};
    use geo::MultiPolygon;

    fn verdict(b: usize, households: f64, state: Verdict, reason: Reason, evidence: &str) -> PlaceVerdict {
        let outcome = Judgement { state, evidence: Arc::from(evidence), reason: (state != Verdict::Met).then_some(reason) };
        PlaceVerdict { place: PlaceRef::Building(b), outcome, households: Some(households), weight: None, subscribers: None }
    }

    #[test]
    fn only_each_groups_possible_examples_keep_their_evidence() {
        let building = |village: Option<usize>| Building {
            id: String::new(),
            footprint: MultiPolygon(Vec::new()),
            households: 1.0,
            households_estimated: false,
            floors: None,
            height_m: None,
            village,
            source: SourceRef { layer: Arc::from("buildings"), record: 1 },
        };
        let mut data = PlanData::default();
        data.buildings.append_vec(vec![building(Some(0)), building(Some(0)), building(Some(0)), building(None), building(Some(0)), building(Some(0))]);
        let file = ProjectFile::parse(Path::new("p.toml"), "[project]\nname = \"t\"\n").unwrap();
        let p = Project::from_placed_data(Path::new("p.toml"), file, data, None, LocalFrame::new(112.7, 23.4), vec![[0.0, 0.0]; 6]);
        let (no_fiber, no_port) = (Reason::NoFiberInReach, Reason::NoFreePort);
        // Shard order, not place order: the tie between buildings 1 and 5 goes to the earlier place.
        let mut rows = vec![
            verdict(5, 5.0, Verdict::NotMet, no_fiber, "e5"),
            verdict(0, 2.0, Verdict::NotMet, no_fiber, "e0"),
            verdict(1, 5.0, Verdict::NotMet, no_fiber, "e1"),
            verdict(2, 1.0, Verdict::Unknown, no_port, "e2"),
            verdict(3, 1.0, Verdict::NotMet, no_fiber, "e3"),
            verdict(4, 9.0, Verdict::Met, no_fiber, "m4"),
        ];
        keep_example_evidence(&p, &mut rows, &Arc::from(""));
        let kept: Vec<&str> = rows.iter().map(|v| &*v.outcome.evidence).collect();
        // Village 0: e1 (most households of "no fiber", before e5), e2 (the only "no free port");
        // building 3 has no village and is its own gap; a met place is left alone.
        assert_eq!(kept, ["", "", "e1", "e2", "e3", "m4"]);
    }
}
