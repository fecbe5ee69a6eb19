//! A shard's terrain: the window of the whole raster under what it carries, written as a
//! float32 GeoTIFF (any GIS reads it) that keeps counting its cells from the whole raster's
//! origin once loaded ([`crate::model::Raster::first_cell`]), so heights come out bit for bit.

use crate::error::{InputError, Result};
use crate::model::Raster;
use crate::project::Project;
use geo::Rect;
use std::path::Path;

/// Cells of terrain kept around a window, beyond what its lines can touch.
const TERRAIN_MARGIN_CELLS: usize = 3;

/// Cuts the terrain under local rectangle `r` of `p` (plus a margin) and writes it to `path`;
/// returns the window's first (column, row) in the whole raster.
pub(super) fn write_window(p: &Project, t: &crate::io::terrain::Terrain, r: Rect<f64>, path: &Path) -> Result<(usize, usize)> {
    let g = &t.raster;
    let geographic = matches!(t.crs.epsg, Some(4326 | 4490));
    let epsg = t.crs.epsg.ok_or_else(|| {
        InputError::in_file(&t.path, "the terrain's CRS has no EPSG code, so a shard cannot carry a window of it")
            .with_hint("give the terrain layer an EPSG crs")
    })?;
    // The rectangle's edges, 16 points each, in the raster's CRS.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for k in 0..=16 {
        let f = k as f64 / 16.0;
        let (w, h) = (r.width(), r.height());
        for (x, y) in [(r.min().x + f * w, r.min().y), (r.min().x + f * w, r.max().y), (r.min().x, r.min().y + f * h), (r.max().x, r.min().y + f * h)] {
            let (lon, lat) = p.frame.inverse(x, y);
            let (cx, cy) = if geographic { (lon, lat) } else { t.crs.from_wgs84(lon, lat).unwrap_or((f64::NAN, f64::NAN)) };
            if cx.is_finite() && cy.is_finite() {
                (x0, y0, x1, y1) = (x0.min(cx), y0.min(cy), x1.max(cx), y1.max(cy));
            }
        }
    }
    let cells = |v: f64| if v.is_finite() { v.max(0.0) as usize } else { 0 };
    let c0 = cells(((x0 - g.origin_x) / g.cell_w).floor()).saturating_sub(TERRAIN_MARGIN_CELLS).min(g.cols);
    let c1 = (cells(((x1 - g.origin_x) / g.cell_w).ceil()) + TERRAIN_MARGIN_CELLS).min(g.cols).max(c0);
    let r0 = cells(((g.origin_y - y1) / g.cell_h).floor()).saturating_sub(TERRAIN_MARGIN_CELLS).min(g.rows);
    let r1 = (cells(((g.origin_y - y0) / g.cell_h).ceil()) + TERRAIN_MARGIN_CELLS).min(g.rows).max(r0);
    let (cols, rows) = ((c1 - c0).max(1).min(g.cols - c0.min(g.cols - 1)), (r1 - r0).max(1).min(g.rows - r0.min(g.rows - 1)));
    let (c0, r0) = (c0.min(g.cols - 1), r0.min(g.rows - 1));
    let values = (r0..r0 + rows).flat_map(|row| g.values[row * g.cols + c0..row * g.cols + c0 + cols].iter().copied()).collect();
    let window = Raster { first_cell: (c0, r0), cols, rows, origin_x: g.origin_x, origin_y: g.origin_y, cell_w: g.cell_w, cell_h: g.cell_h, values };
    crate::io::terrain::write_geotiff_f32(path, &window, epsg).map_err(|e| InputError::io(path, &e))?;
    Ok((c0, r0))
}

/// Reads a window [`write_window`] wrote: `grid` is the whole raster's, `first_cell` the
/// window's first (column, row) in it.
pub(super) fn read_window(path: &Path, grid: &super::TerrainGrid, first_cell: (usize, usize)) -> Result<crate::io::terrain::Terrain> {
    let crs = grid.epsg.map(crate::crs::Crs::from_epsg).transpose().map_err(|e| InputError::in_file(path, e.to_string()))?;
    let mut t = crate::io::terrain::read(path, crs.as_ref())?;
    (t.raster.origin_x, t.raster.origin_y, t.raster.first_cell) = (grid.origin_x, grid.origin_y, first_cell);
    Ok(t)
}
