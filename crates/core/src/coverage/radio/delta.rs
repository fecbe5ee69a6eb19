//! The links at one place updated for an edit of a few sectors, from the place's links before
//! the edit and the edited sectors' links alone, instead of evaluating every sector again.
//!
//! A place keeps, per operator and technology, its best server and the co-channel power of the
//! rest of that server's channel. A removed sector leaves that power; an added one joins it or,
//! stronger, takes over as best server, the old best's power then counting as interference.
//! Two cases cannot be settled from what a place keeps, and the place is then computed in full:
//! its best server was removed and no added sector on its channel is stronger, or an added
//! sector takes over from a best server on another channel (the power of the rest of its own
//! channel is not kept).
//!
//! The links come out as a full computation's because the update is only asked for places
//! where the full computation too evaluates every edited sector at the place itself: a
//! building where an edited sector may be counted in its cell's far or mid sums (at the cell's
//! centre) is computed in full instead (see `incremental`).

use super::engine::{Heard, LinkResult, LinksAt, RadioModel, dbm_to_mw};

/// A link of a place while the edit is applied.
struct Entry {
    link: LinkResult,
    /// The channel of its server.
    channel: u32,
    /// Its server was removed by the edit (`link.sector` is then the old index).
    vacated: bool,
}

/// Updates `links`, the links at a place before the edit (sectors by old index), for an edit
/// that kept the old sectors `kept` maps to new indices, removed the sectors heard there as
/// `removed` (model `m_old`) and added those heard as `added` (model `m_new`). Returns false,
/// leaving `links` unspecified, when the place must be computed in full (see the module).
pub(super) fn apply(links: &mut LinksAt, kept: &[Option<u32>], removed: &[Heard], added: &[Heard], m_old: &RadioModel, m_new: &RadioModel) -> bool {
    let load = m_new.s.load;
    let mut entries: Vec<Entry> = links
        .drain(..)
        .map(|link| match kept.get(link.sector).copied().flatten() {
            Some(j) => Entry { channel: m_new.txs[j as usize].channel, link: LinkResult { sector: j as usize, ..link }, vacated: false },
            None => Entry { channel: m_old.txs[link.sector].channel, link, vacated: true },
        })
        .collect();
    // A removed sector's power leaves its channel (the best server's own is not in the sum).
    for h in removed {
        let t = &m_old.txs[h.sector];
        if let Some(e) = entries.iter_mut().find(|e| e.link.operator == t.operator && e.link.tech == t.tech)
            && !(e.vacated && e.link.sector == h.sector)
            && e.channel == t.channel
        {
            e.link.interference_mw = (e.link.interference_mw - load * dbm_to_mw(h.rsrp)).max(0.0);
        }
    }
    // A removed best server gives way to the strongest added sector of its channel that beats
    // it, and so every other sector (the old best was at least as strong as each of them).
    let mut taken_over = Vec::new();
    for e in entries.iter_mut().filter(|e| e.vacated) {
        let (operator, tech, channel) = (e.link.operator, e.link.tech, e.channel);
        let successor = added
            .iter()
            .filter(|h| {
                let t = &m_new.txs[h.sector];
                t.operator == operator && t.tech == tech && t.channel == channel && h.rsrp > e.link.rsrp_dbm
            })
            .max_by(|a, b| a.rsrp.total_cmp(&b.rsrp).then(b.sector.cmp(&a.sector)));
        let Some(h) = successor else { return false };
        let interference = e.link.interference_mw;
        e.link = m_new.link_result(operator, tech, h);
        e.link.interference_mw = interference;
        e.vacated = false;
        taken_over.push(h.sector);
    }
    for h in added.iter().filter(|h| !taken_over.contains(&h.sector)) {
        let t = &m_new.txs[h.sector];
        match entries.iter_mut().find(|e| e.link.operator == t.operator && e.link.tech == t.tech) {
            None => entries.push(Entry { link: m_new.link_result(t.operator, t.tech, h), channel: t.channel, vacated: false }),
            Some(e) if h.rsrp > e.link.rsrp_dbm || (h.rsrp == e.link.rsrp_dbm && h.sector < e.link.sector) => {
                if e.channel != t.channel {
                    return false;
                }
                let interference = e.link.interference_mw + load * dbm_to_mw(e.link.rsrp_dbm);
                e.link = m_new.link_result(t.operator, t.tech, h);
                e.link.interference_mw = interference;
            }
            Some(e) if e.channel == t.channel => e.link.interference_mw += load * dbm_to_mw(h.rsrp),
            Some(_) => {}
        }
    }
    links.extend(entries.into_iter().map(|e| e.link));
    links.sort_by_key(|l| (l.operator, l.tech));
    links.shrink_to_fit();
    true
}
