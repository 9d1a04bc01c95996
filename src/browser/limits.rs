//! Query limits in the browser: how many samples a tab can hold for a model.

use synthome_query::Limits;

/// Query limits in the browser for a model: a dense bulk result of 5,000 x 20,000 counts is
/// 400 MB, about what a tab can hold next to its copies for plots and downloads; sparse
/// single-cell results hold only their non-zeros (about 2,000 per cell), so 20,000 cells fit.
pub fn browser_limits(model_id: &str) -> Limits {
    let most = if model_id.starts_with("synthome-sc") {
        20_000
    } else {
        5_000
    };
    Limits {
        max_total_samples: most,
        max_samples_per_input: most as u32,
        ..Limits::default()
    }
}

#[cfg(test)]
mod tests {
    use super::browser_limits;

    #[test]
    fn single_cell_models_may_ask_for_more_samples_than_bulk_ones() {
        assert_eq!(browser_limits("synthome-bulk-v1").max_total_samples, 5_000);
        assert_eq!(browser_limits("synthome-sc-v1").max_total_samples, 20_000);
        assert_eq!(
            browser_limits("synthome-sc-v1").max_samples_per_input,
            20_000
        );
    }
}
