//! Incremental = full, under load: a short soak of random what-if edits on the sample county
//! (the long one is `cargo bench -p covplan-core --bench soak`).

use super::soak_driver::{KINDS, soak};
use covplan_core::project::Project;

#[test]
fn sixty_random_edits_give_the_verdicts_of_a_full_analysis() {
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let report = soak(&p, "zhaoqing-2020", 60, 6, 0x5eed);
    eprintln!("{report:?}");
    assert_eq!(report.edits, 60);
    assert_eq!(report.checks, 10);
    // Every kind of edit was made (so the soak has teeth), undo and redo included.
    for (kind, n) in KINDS.iter().zip(report.per_kind) {
        assert!(n > 0, "no '{kind}' edit in the soak");
    }
    assert!(report.verdicts_compared > 100_000, "{} verdicts compared", report.verdicts_compared);
    assert!(report.divergences.is_empty(), "incremental results diverged: {:#?}", report.divergences);
}
