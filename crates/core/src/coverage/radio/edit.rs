//! What an edit of the sector list changed, sector by sector: the radio results of the sectors
//! it kept can be carried over (see `incremental`), and cached terrain losses with them.

use crate::model::Sector;
use crate::project::ScenarioSector;
use std::collections::HashMap;

/// What an edit changed: old → new sector indices of the sectors it kept, and the sectors it
/// removed (old indices) and added (new indices), sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorEdit {
    /// For each old sector, its index in the new list when it is unchanged.
    pub kept: Vec<Option<u32>>,
    /// Old sectors gone or changed.
    pub removed: Vec<u32>,
    /// New sectors (added, or the changed ones' new form).
    pub added: Vec<u32>,
}

/// Same sector for the radio: the same scenario form (which leaves out the source record, as
/// scenario objects are renumbered when others are removed).
fn same(a: &Sector, b: &Sector) -> bool {
    ScenarioSector::of(a) == ScenarioSector::of(b)
}

impl SectorEdit {
    /// Matches `new` against `old` by cell and content; `None` when the kept sectors changed
    /// order (then results cannot be carried over).
    pub fn between(old: &[Sector], new: &[Sector]) -> Option<SectorEdit> {
        let mut by_cell: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in old.iter().enumerate().rev() {
            by_cell.entry(s.cell.as_str()).or_default().push(i);
        }
        let mut kept = vec![None; old.len()];
        let mut added = Vec::new();
        let mut last: Option<usize> = None;
        for (j, s) in new.iter().enumerate() {
            let hit = by_cell.get_mut(s.cell.as_str()).and_then(|c| c.iter().rposition(|&i| same(&old[i], s)).map(|k| c.remove(k)));
            match hit {
                Some(i) => {
                    if last.is_some_and(|l| i < l) {
                        return None;
                    }
                    last = Some(i);
                    kept[i] = Some(j as u32);
                }
                None => added.push(j as u32),
            }
        }
        let removed = kept.iter().enumerate().filter(|(_, k)| k.is_none()).map(|(i, _)| i as u32).collect();
        Some(SectorEdit { kept, removed, added })
    }
}
