//! Kernel benchmarks (divan): the small functions the whole-process figures are made of.
//! `cargo bench -p covplan-core --bench kernels`.

use covplan_core::coverage::radio::pathloss::{HataEnv, Link, Model, Scenario};
use covplan_core::plan::steiner::{self, Graph};
use divan::black_box;

fn main() {
    divan::main();
}

/// 1 000 links from 100 m to 10 km at 1.8 GHz, 35 m mast, handset at 1.5 m.
fn links() -> Vec<Link> {
    (0..1000).map(|i| Link { freq_mhz: 1800.0, dist_m: 100.0 + 9.9 * i as f64, h_bs_m: 35.0, h_ut_m: 1.5 }).collect()
}

#[divan::bench(args = [Model::tr38901(Scenario::Rma, false), Model::tr38901(Scenario::Uma, false), Model::Hata { env: HataEnv::Urban }])]
fn path_loss_1000_links(bencher: divan::Bencher, model: Model) {
    let links = links();
    bencher.bench(|| links.iter().map(|l| black_box(model).path_loss(l).db).sum::<f64>());
}

/// A `side` × `side` street grid with deterministic block lengths.
fn grid(side: u32) -> Graph {
    let mut g = Graph::with_nodes((side * side) as usize);
    let id = |x: u32, y: u32| y * side + x;
    for y in 0..side {
        for x in 0..side {
            let w = 100.0 + ((x * 7 + y * 13) % 11) as f64 * 20.0;
            if x + 1 < side {
                g.add_edge(id(x, y), id(x + 1, y), w);
            }
            if y + 1 < side {
                g.add_edge(id(x, y), id(x, y + 1), w + 15.0);
            }
        }
    }
    g
}

#[divan::bench(args = [30, 100], sample_count = 10)]
fn steiner_grow_and_improve(bencher: divan::Bencher, side: u32) {
    let g = grid(side);
    let n = side * side;
    let terminals: Vec<u32> = (0..200u32).map(|i| (i * 7919) % n).collect();
    bencher.bench(|| {
        let grown = steiner::grow(&g, &[0], &terminals);
        steiner::improve(&g, &[0], &terminals, &grown).edges.len()
    });
}
