//! Writes the sample county's drive test, `sample_maps/sihui/路测.csv`, from a perturbed model
//! whose truth is known (`covplan_core::measure::synthetic::Truth::sample`): a scanner's
//! readings of every operator and technology every 25 m along about 3 000 points of the
//! county's roads. `cargo run --release -p covplan-core --example gen_drive_test`; the same
//! bytes on every run.

fn main() {
    use covplan_core::measure::synthetic::{Truth, drive_test, route, to_csv};
    let path = covplan_core::sample::sample_project_path();
    let p = covplan_core::project::Project::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let spacing = 25.0;
    let drives = route(&p, spacing, 3000);
    let readings = drive_test(&p, &p.file.coverage.radio, &Truth::sample(), &drives, spacing);
    let out = path.with_file_name("路测.csv");
    covplan_core::fsutil::atomic_write(&out, to_csv(&readings).as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    println!("{} readings at {} points on {} drives → {}", readings.len(), drives.iter().map(Vec::len).sum::<usize>(), drives.len(), out.display());
}
