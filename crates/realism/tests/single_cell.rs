//! The single-cell realism report on the single-cell builder's test fixture

#[path = "../../sc-builder/tests/common/mod.rs"]
mod common;

use common::{options, temp};

use synthome_realism::single_cell_report;

#[test]
fn the_realism_report_compares_held_out_cells() {
    let data = temp();
    common::write_fixture(data.path());
    let out = temp();
    let report =
        single_cell_report(data.path(), out.path(), &options()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.paths.len(), 3);
    assert!(report.paths.iter().all(|path| path.is_file()));
    let json: serde_json::Value =
        serde_json::from_str(&report.json).unwrap_or_else(|e| panic!("{e}"));
    let types = json["cell_types"].as_array().map_or(0, Vec::len);
    assert_eq!(types, 3);
    let mean_r = json["summary"]["mean_r"].as_f64().unwrap_or(0.0);
    assert!(
        mean_r > 0.8,
        "planted profiles must be recovered: mean r {mean_r}"
    );
    assert!(report.svg.starts_with("<svg"));
    assert!(report.markdown.contains("| CD4 T | CL:0000624 |"));
}
