//! `covplan pathloss --csv IN.csv`: the path-loss model workbench. Engineers check models
//! against their own numbers; tests use it too.
//!
//! Input columns: `model,environment,los,freq_mhz,dist_m,h_bs_m,h_ut_m` and optionally `h`, `w`
//! (RMa building height and street width). Output: the same rows with `path_loss_db,in_range`.

use crate::coverage::radio::pathloss::{Cost231Env, HataEnv, Link, Model, Scenario};
use crate::error::{InputError, Location, Result};
use std::path::Path;

const REQUIRED: [&str; 7] = ["model", "environment", "los", "freq_mhz", "dist_m", "h_bs_m", "h_ut_m"];

/// Parses one row's model columns into a [`Model`].
fn model_of(model: &str, env: &str, los: &str, h: Option<f64>, w: Option<f64>, loc: &Location) -> Result<Model> {
    let bad = |field: &str, msg: String, hint: &str| InputError::new(loc.field(field), msg).with_hint(hint);
    let env_l = env.trim().to_ascii_lowercase();
    Ok(match model.trim().to_ascii_lowercase().as_str() {
        "fspl" | "free-space" | "freespace" => Model::FreeSpace,
        "hata" => Model::Hata {
            env: match env_l.as_str() {
                "urban" => HataEnv::Urban,
                "urban-large" => HataEnv::UrbanLarge,
                "suburban" => HataEnv::Suburban,
                "open" => HataEnv::Open,
                _ => return Err(bad("environment", format!("'{env}' is not a Hata environment"), "use urban, urban-large, suburban or open")),
            },
        },
        "cost231" => Model::Cost231 {
            env: match env_l.as_str() {
                "medium" => Cost231Env::Medium,
                "metropolitan" => Cost231Env::Metropolitan,
                _ => return Err(bad("environment", format!("'{env}' is not a COST-231 environment"), "use medium or metropolitan")),
            },
        },
        "38901" | "tr38901" => {
            let scenario = match env_l.as_str() {
                "rma" => Scenario::Rma,
                "uma" => Scenario::Uma,
                "umi" => Scenario::Umi,
                _ => return Err(bad("environment", format!("'{env}' is not a 38.901 scenario"), "use rma, uma or umi")),
            };
            let los = match los.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "los" => true,
                "false" | "0" | "no" | "nlos" => false,
                _ => return Err(bad("los", format!("'{los}' is not true or false"), "write true or false")),
            };
            Model::Tr38901 { scenario, los, building_height_m: h.unwrap_or(5.0), street_width_m: w.unwrap_or(20.0) }
        }
        other => return Err(bad("model", format!("unknown model '{other}'"), "use fspl, hata, cost231 or 38901")),
    })
}

/// Reads the workbench CSV at `path` and returns the output CSV text.
pub fn run(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| InputError::io(path, &e))?;
    let (text, _) = crate::io::encoding::decode_guess(&bytes);
    let loc = Location::file(path);
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> =
        rdr.headers().map_err(|e| InputError::new(loc.clone(), format!("cannot read the header: {e}")))?.iter().map(|h| h.trim().to_string()).collect();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| col(c).is_none()).collect();
    if !missing.is_empty() {
        return Err(InputError::new(loc, format!("missing column(s) {}; found {}", missing.join(", "), headers.join(", ")))
            .with_hint(format!("the header must name {}", REQUIRED.join(","))));
    }
    let idx: Vec<usize> = REQUIRED.iter().map(|c| col(c).expect("checked above")).collect();
    let (hi, wi) = (col("h"), col("w"));
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut head = headers.clone();
    head.extend(["path_loss_db".to_string(), "in_range".to_string()]);
    out.write_record(&head).expect("writing to memory");
    for (n, rec) in rdr.records().enumerate() {
        let line = n as u64 + 2;
        let rloc = loc.record(line);
        let rec = rec.map_err(|e| InputError::new(rloc.clone(), format!("cannot parse the row: {e}")))?;
        let num = |i: usize, name: &str| -> Result<f64> {
            let t = rec.get(i).unwrap_or("").trim();
            t.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| InputError::new(rloc.field(name), format!("'{t}' is not a number")))
        };
        let opt = |i: Option<usize>, name: &str| -> Result<Option<f64>> {
            match i.map(|i| rec.get(i).unwrap_or("").trim()) {
                None | Some("") => Ok(None),
                Some(_) => num(i.expect("present"), name).map(Some),
            }
        };
        let model = model_of(&rec[idx[0]], &rec[idx[1]], &rec[idx[2]], opt(hi, "h")?, opt(wi, "w")?, &rloc)?;
        let l = Link { freq_mhz: num(idx[3], "freq_mhz")?, dist_m: num(idx[4], "dist_m")?, h_bs_m: num(idx[5], "h_bs_m")?, h_ut_m: num(idx[6], "h_ut_m")? };
        if l.freq_mhz <= 0.0 || l.dist_m <= 0.0 || l.h_bs_m < 0.0 || l.h_ut_m < 0.0 {
            return Err(InputError::new(rloc, "frequency and distance must be positive, heights not negative"));
        }
        let pl = model.path_loss(&l);
        let mut row: Vec<String> = rec.iter().map(str::to_string).collect();
        row.push(format!("{:.2}", pl.db));
        row.push(pl.in_range.to_string());
        out.write_record(&row).expect("writing to memory");
    }
    Ok(String::from_utf8(out.into_inner().expect("in memory")).expect("CSV of UTF-8 text"))
}
