//! Printed gap maps: the PDF's text holds the Chinese title and legend, the legend counts
//! what is drawn, reruns are byte-identical, the scale is true, and the page looks as it did.

use covplan_core::project::Project;
use covplan_core::report::gapmap::{AtlasLevel, ReportOptions, page, pages_of, write};
use covplan_core::report::print::Paper;
use covplan_core::targets::evaluate::Verdict;

fn sample() -> (Project, covplan_core::analysis::Analysis) {
    let p = Project::load(&covplan_core::sample::sample_project_path()).unwrap();
    let (profile, source) = covplan_core::targets::profile::resolve(&p, Some("zhaoqing-2020")).unwrap();
    let a = covplan_core::analysis::run(&p, profile, source).unwrap();
    (p, a)
}

fn options() -> ReportOptions {
    ReportOptions { target: Some("zq.village20_fiber".into()), date: Some("2026-11-22".into()), ..Default::default() }
}

#[test]
fn the_county_gap_map_as_pdf_svg_and_png() {
    let (p, a) = sample();
    let (svg, drawn) = page(&p, &a, &options()).unwrap();
    let dir = std::env::temp_dir().join(format!("covplan-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // The PDF's text: the Chinese title, the legend entries, the targets.
    let pdf = dir.join("缺口图.pdf");
    write(std::slice::from_ref(&svg), &pdf, 300.0).unwrap();
    let bytes = std::fs::read(&pdf).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let flat: String = text.split_whitespace().collect();
    for want in ["四会市", "20户以上自然村", "缺口图", "图例", "建筑", "光缆", "达标", "未达标", "zq.village20_fiber", "主要缺口"] {
        assert!(flat.contains(want), "the PDF text lacks '{want}': {}", &flat[..flat.len().min(600)]);
    }
    // Reruns give the same bytes.
    let again = dir.join("again.pdf");
    write(&[page(&p, &a, &options()).unwrap().0], &again, 300.0).unwrap();
    assert!(std::fs::read(&again).unwrap() == bytes, "a rerun changed the PDF");

    // The legend counts exactly what the map draws: every village judged by the target is in
    // the frame of the whole county, so its verdict lines carry the target's counts.
    let t = a.targets.iter().find(|t| t.target.id == "zq.village20_fiber").unwrap();
    let line = |label: &str| drawn.legend.iter().find(|l| l.0 == label).map(|l| l.2);
    assert_eq!(line("未达标"), Some(t.count(Verdict::NotMet)));
    assert_eq!(line("达标"), Some(t.count(Verdict::Met)));
    assert_eq!(line("无法判断"), None, "no unknown verdict, no legend line for it");
    assert_eq!(line("建筑"), Some(p.data.buildings.len()));

    // The scale: the bar's ends on paper, taken back to the ground, are as far apart as it says.
    let (ground_m, bar_mm, denom) = drawn.scale;
    assert!([1.0, 2.0, 5.0].iter().any(|k| (ground_m / 10f64.powf(ground_m.log10().floor()) - k).abs() < 1e-9), "round length {ground_m}");
    assert!(((ground_m * 1000.0 / bar_mm) / denom - 1.0).abs() < 0.01, "1:{denom} vs {ground_m} m on {bar_mm} mm");

    // SVG and PNG from the same page.
    let s = dir.join("page.svg");
    write(std::slice::from_ref(&svg), &s, 300.0).unwrap();
    assert_eq!(std::fs::read_to_string(&s).unwrap(), svg);
    let png = dir.join("page.png");
    write(std::slice::from_ref(&svg), &png, 40.0).unwrap();
    let img = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&png).unwrap()).unwrap();
    // A3 landscape at 40 dpi.
    assert_eq!((img.width(), img.height()), (661, 468));
    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/gapmap_a3_40dpi.png");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || !snapshot.exists() {
        std::fs::copy(&png, &snapshot).unwrap();
    }
    let old = resvg::tiny_skia::Pixmap::decode_png(&std::fs::read(&snapshot).unwrap()).unwrap();
    assert_eq!((old.width(), old.height()), (img.width(), img.height()));
    let differing = old.pixels().iter().zip(img.pixels()).filter(|(a, b)| {
        let (a, b) = (a.demultiply(), b.demultiply());
        (a.red() as i32 - b.red() as i32).abs() + (a.green() as i32 - b.green() as i32).abs() + (a.blue() as i32 - b.blue() as i32).abs() > 48
    });
    let share = differing.count() as f64 / (img.width() * img.height()) as f64;
    assert!(share < 0.005, "{:.2} % of the page differs from the snapshot", share * 100.0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_township_map_frames_its_area_and_bad_choices_are_errors() {
    let (p, a) = sample();
    let o = ReportOptions { area: Some("石狗镇".into()), paper: Paper::A4, landscape: false, ..options() };
    let (svg, _) = page(&p, &a, &o).unwrap();
    assert!(svg.contains("石狗镇 逐步推进20户以上自然村连通光缆缺口图"), "default title from the area and target");
    assert!(svg.contains(r#"<clipPath id="map"><rect x="10.00""#), "10 mm margins by default");
    let (wide, _) = page(&p, &a, &ReportOptions { margin_mm: 25.0, ..o.clone() }).unwrap();
    assert!(wide.contains(r#"<clipPath id="map"><rect x="25.00""#), "the map frame starts at the 25 mm margin");
    let e = page(&p, &a, &ReportOptions { area: Some("火星".into()), ..options() }).unwrap_err().to_string();
    assert!(e.contains("火星"), "{e}");
    let e = page(&p, &a, &ReportOptions { target: Some("zq.nope".into()), ..options() }).unwrap_err().to_string();
    assert!(e.contains("zq.nope") && e.contains("zq.village20_fiber"), "{e}");
    let e = write(std::slice::from_ref(&svg), std::path::Path::new("/tmp/x.docx"), 300.0).unwrap_err().to_string();
    assert!(e.contains(".pdf"), "{e}");
}

#[test]
fn an_atlas_has_a_page_per_township_each_listing_its_own_gaps() {
    let (p, a) = sample();
    let townships: Vec<&str> = p.data.admin_areas.iter().filter(|x| AtlasLevel::Township.holds(x)).map(|x| x.name.as_str()).collect();
    assert_eq!(townships.len(), 15, "四会市 has 15 townships");
    assert_eq!(p.data.admin_areas.iter().filter(|x| AtlasLevel::County.holds(x)).count(), 1);
    let o = ReportOptions { atlas: Some(AtlasLevel::Township), paper: Paper::A4, ..options() };
    let pages = pages_of(&p, &a, covplan_core::render::Scene::for_print(&p), &o).unwrap();
    assert_eq!(pages.len(), 15);
    let gaps = covplan_core::analysis::gaps::gaps(&p, &a);
    for (svg, _) in &pages {
        let title = townships.iter().find(|t| svg.contains(&format!(">{t} 逐步推进"))).expect("each page is titled by its township");
        // Gap rows name their township in black (map labels of townships are grey): only this
        // page's township may appear there, and it does when the target has gaps in it.
        let in_rows: Vec<&&str> = townships.iter().filter(|t| svg.contains(&format!(r##"fill="#000">{t}</text>"##))).collect();
        assert!(in_rows.iter().all(|t| *t == title), "page {title} lists gaps of {in_rows:?}");
        let has_gaps = gaps.iter().any(|g| g.target == "zq.village20_fiber" && g.township == *title);
        assert_eq!(in_rows.len(), usize::from(has_gaps), "page {title}");
        // A township is part of the county: the overview inset marks where it lies.
        assert!(svg.contains("#d7191c"), "page {title} has no overview inset");
    }
    let dir = std::env::temp_dir().join(format!("covplan-atlas-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("图集.pdf");
    let svgs: Vec<String> = pages.into_iter().map(|(s, _)| s).collect();
    write(&svgs, &pdf, 300.0).unwrap();
    let texts = pdf_extract::extract_text_by_pages(&pdf).unwrap();
    assert_eq!(texts.len(), 15, "one PDF page per township");
    let flat: String = texts.concat().split_whitespace().collect();
    for t in &townships {
        assert!(flat.contains(t), "the atlas lacks {t}");
    }
    let e = write(&svgs, &dir.join("atlas.png"), 40.0).unwrap_err().to_string();
    assert!(e.contains("15 pages") && e.contains(".pdf"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_gap_framed_with_graticule_and_overview() {
    let (p, a) = sample();
    let o = ReportOptions { gap: Some(1), graticule: true, ..options() };
    let (svg, drawn) = page(&p, &a, &o).unwrap();
    let gaps = covplan_core::analysis::gaps::gaps(&p, &a);
    let first = gaps.iter().find(|g| g.target == "zq.village20_fiber").unwrap();
    assert!(svg.contains(&format!("{} {} 逐步推进", first.township, first.name)), "the title names the gap");
    // 3 km around the gap on an A3 frame of ~290 mm: about 1:10 000.
    assert!(drawn.scale.2 > 5_000.0 && drawn.scale.2 < 20_000.0, "1:{}", drawn.scale.2);
    assert!(svg.contains("#d7191c"), "overview inset");
    // Graticule labels in degrees and minutes on the frame's edges.
    assert!(svg.contains("′E</text>") && svg.contains("′N</text>"), "graticule labels");
    // The whole county: no inset (it would show the map itself); no graticule unless asked.
    let (whole, _) = page(&p, &a, &options()).unwrap();
    assert!(!whole.contains("#d7191c") && !whole.contains("′E</text>"));
    let e = page(&p, &a, &ReportOptions { gap: Some(100_000), ..options() }).unwrap_err().to_string();
    assert!(e.contains("no gap 100000"), "{e}");
}

#[test]
fn a_crowded_layer_printed_as_an_image_looks_as_its_vector_paths() {
    use covplan_core::report::print::{PrintSpec, RASTER_ABOVE, compose};
    let (p, a) = sample();
    let mut scene = covplan_core::render::Scene::for_print(&p);
    let ti = a.targets.iter().position(|t| t.target.id == "zq.urban_300m").unwrap();
    scene.theme = Some(std::sync::Arc::new(covplan_core::render::VerdictTheme::of(&a.targets[ti])));
    let gaps = covplan_core::analysis::gaps::gaps(&p, &a);
    let spec = |raster_above| PrintSpec {
        paper: Paper::A4,
        landscape: true,
        margin_mm: 10.0,
        title: None,
        bounds: covplan_core::report::gapmap::area_bounds(&p, "贞山街道").unwrap().0,
        area_name: "贞山街道".into(),
        target: Some(ti),
        date: "2026-12-02".into(),
        input_hash: "0".into(),
        graticule: false,
        overview: None,
        township: None,
        raster_above,
    };
    let (vector, _) = compose(&p, &scene, &a, &gaps, &spec(RASTER_ABOVE));
    let (raster, _) = compose(&p, &scene, &a, &gaps, &spec(1000));
    assert!(!vector.contains("data:image/png") && raster.contains("data:image/png;base64,"));
    let render = |svg: &str| {
        let png = covplan_core::report::export::to_png(&covplan_core::report::export::parse(svg).unwrap(), 100.0).unwrap();
        resvg::tiny_skia::Pixmap::decode_png(&png).unwrap()
    };
    let differing = |x: &resvg::tiny_skia::Pixmap, y: &resvg::tiny_skia::Pixmap| {
        let n = x
            .pixels()
            .iter()
            .zip(y.pixels())
            .filter(|(a, b)| {
                let (a, b) = (a.demultiply(), b.demultiply());
                (a.red() as i32 - b.red() as i32).abs() + (a.green() as i32 - b.green() as i32).abs() + (a.blue() as i32 - b.blue() as i32).abs() > 96
            })
            .count();
        n as f64 / (x.width() * x.height()) as f64
    };
    let (v, r) = (render(&vector), render(&raster));
    let share = differing(&v, &r);
    assert!(share < 0.01, "{:.2} % of the page differs between image and vector buildings", share * 100.0);
    // And the buildings are a visible part of the page (so the comparison above has teeth).
    let mut bare = scene.clone();
    bare.layers.retain(|l| l.geometry.role != Some(covplan_core::project::Role::Buildings));
    let without = render(&compose(&p, &bare, &a, &gaps, &spec(RASTER_ABOVE)).0);
    assert!(differing(&v, &without) > 5.0 * share.max(0.002), "buildings cover {:.2} % of the page", differing(&v, &without) * 100.0);
    // The PDF takes the image too.
    assert!(covplan_core::report::export::to_pdf(&[covplan_core::report::export::parse(&raster).unwrap()]).unwrap().len() > 10_000);
}

#[test]
fn the_coverage_grid_prints_under_the_map_with_its_areas_in_the_legend() {
    use covplan_core::coverage::radio::grid::compute_grid;
    use covplan_core::render::grid_image::{GridQuantity, find_layer, grid_image};
    let (p, a) = sample();
    // Coarse cells keep the test quick; the picture is the same kind at 100 m.
    let s = covplan_core::coverage::RadioSettings { grid_cell_m: 500.0, ..p.file.coverage.radio.clone() };
    let g = compute_grid(&p, &s, None);
    let img = grid_image(&g, find_layer(&g, "中国移动 LTE").unwrap(), GridQuantity::Rsrp).unwrap();
    let mut scene = covplan_core::render::Scene::for_print(&p);
    scene.grid = Some(std::sync::Arc::new(img.clone()));
    let (svg, _) = covplan_core::report::gapmap::page_of(&p, &a, scene, &options()).unwrap();
    let (plain, _) = page(&p, &a, &options()).unwrap();
    assert!(svg.contains("覆盖栅格：中国移动 LTE RSRP") && !plain.contains("覆盖栅格"));
    // One image more than the plain page (the grid), drawn after the admin areas' paths and
    // before the buildings'.
    assert_eq!(svg.matches("<image").count(), plain.matches("<image").count() + 1);
    let grid_at = svg.find("image-rendering=\"optimizeSpeed\"").unwrap();
    let first_building = svg
        .find(&covplan_core::report::svg::hex(covplan_core::render::LayerStyle::default_for(covplan_core::project::Role::Buildings).fill).0)
        .unwrap_or(usize::MAX);
    assert!(grid_at < first_building || first_building == usize::MAX);
    for (label, _, km2) in &img.legend {
        let label = match label {
            covplan_core::render::grid_image::GridClass::Range(r) => r.to_string(),
            covplan_core::render::grid_image::GridClass::NoSignal => "无信号".to_string(),
            other => panic!("an RSRP legend has value classes and no signal, not {other:?}"),
        };
        assert!(svg.contains(&covplan_core::report::svg::esc(&format!("{label}（{km2:.0} km²）"))), "legend line {label}");
    }
    // The PDF renders it (text extraction finds the grid's legend).
    let dir = std::env::temp_dir().join(format!("covplan-report-grid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("grid.pdf");
    write(std::slice::from_ref(&svg), &pdf, 300.0).unwrap();
    let text: String = pdf_extract::extract_text_from_mem(&std::fs::read(&pdf).unwrap()).unwrap().split_whitespace().collect();
    assert!(text.contains("覆盖栅格"), "{}", &text[..text.len().min(300)]);
    std::fs::remove_dir_all(&dir).ok();
}
