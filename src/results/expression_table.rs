//! The expression table: samples x genes, virtualised in both directions so that 1,000 x
//! 20,000 stays fast (only the visible cells exist in the DOM), with gene search and a
//! counts / log CPM toggle.

use std::sync::Arc;

use leptos::prelude::*;
use synthome_analysis::log_cpm;
use synthome_matrix::Row;

use super::virtual_scroll::{ScrollPosition, visible_range};
use crate::backend::GenerationResult;

const ROW_HEIGHT: f64 = 28.0;
const COLUMN_WIDTH: f64 = 96.0;
const LABEL_WIDTH: f64 = 120.0;
const VIEW_HEIGHT: f64 = 360.0;
const OVERSCAN: usize = 2;

/// The genes whose symbol or Ensembl id contains `text` (case-insensitive); every gene when
/// `text` is blank.
pub fn matching_genes(ids: &[String], symbols: &[String], text: &str) -> Vec<usize> {
    let wanted = text.trim().to_ascii_lowercase();
    (0..ids.len())
        .filter(|&gene| {
            wanted.is_empty()
                || symbols[gene].to_ascii_lowercase().contains(&wanted)
                || ids[gene].to_ascii_lowercase().contains(&wanted)
        })
        .collect()
}

/// How values are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scale {
    Counts,
    LogCpm,
}

/// The virtualised table.
#[component]
pub fn ExpressionTable(
    /// The result to show.
    result: Arc<GenerationResult>,
) -> impl IntoView {
    let matrix_result = result.clone();
    let scroll = ScrollPosition::new(900.0);
    let search = RwSignal::new(String::new());
    let scale = RwSignal::new(Scale::Counts);
    let columns = Memo::new(move |_| {
        let genes = matrix_result.matrix.genes();
        matching_genes(genes.ids(), genes.symbols(), &search.get())
    });
    let n_rows = result.matrix.n_samples();
    let cells_result = result.clone();
    let cells = move || {
        let matrix = &cells_result.matrix;
        let genes = matrix.genes();
        let columns = columns.get();
        let rows = visible_range(scroll.top.get(), VIEW_HEIGHT, ROW_HEIGHT, n_rows, OVERSCAN);
        let visible_columns = visible_range(
            scroll.left.get(),
            scroll.width.get(),
            COLUMN_WIDTH,
            columns.len(),
            OVERSCAN,
        );
        let scale = scale.get();
        let mut out = Vec::new();
        for position in visible_columns.clone() {
            let gene = columns[position];
            let left = LABEL_WIDTH + position as f64 * COLUMN_WIDTH;
            out.push(view! {
                <div class="cell head" style=format!("top:0;left:{left}px") title=genes.ids()[gene].clone()>
                    {genes.symbols()[gene].clone()}
                </div>
            }.into_any());
        }
        for sample in rows {
            let top = ROW_HEIGHT + sample as f64 * ROW_HEIGHT;
            out.push(view! {
                <div class="cell label" style=format!("top:{top}px;left:0")>{matrix.samples()[sample].sample_id.clone()}</div>
            }.into_any());
            let Some(row) = matrix.row(sample) else {
                continue;
            };
            // Only the visible rows' library sizes, and only on the log CPM scale: the page
            // never walks the whole matrix.
            let library_size = (scale == Scale::LogCpm).then(|| row.sum());
            for position in visible_columns.clone() {
                let gene = columns[position];
                let value = value_at(row, gene);
                let shown = format_cell(value, library_size);
                let left = LABEL_WIDTH + position as f64 * COLUMN_WIDTH;
                out.push(view! { <div class="cell" style=format!("top:{top}px;left:{left}px")>{shown}</div> }.into_any());
            }
        }
        out
    };
    let spacer_style = move || {
        format!(
            "width:{}px;height:{}px",
            LABEL_WIDTH + columns.with(Vec::len) as f64 * COLUMN_WIDTH,
            ROW_HEIGHT * (n_rows as f64 + 1.0)
        )
    };
    view! {
        <div class="toolbar">
            <label class="inline-field">
                "Gene "
                <input
                    type="search"
                    data-testid="gene-search"
                    placeholder="symbol or Ensembl id"
                    on:input=move |event| search.set(event_target_value(&event))
                />
            </label>
            <span class="hint" data-testid="gene-count">{move || format!("{} genes", columns.with(Vec::len))}</span>
            <label class="inline-field">
                <input
                    type="checkbox"
                    data-testid="log-cpm-toggle"
                    on:change=move |event| scale.set(if event_target_checked(&event) { Scale::LogCpm } else { Scale::Counts })
                />
                " log CPM"
            </label>
        </div>
        <div
            class="virtual-table"
            data-testid="expression-table"
            tabindex="0"
            aria-label="Expression table (scroll to see more samples and genes)"
            style=format!("height:{VIEW_HEIGHT}px")
            on:scroll=move |event| scroll.follow(&event)
        >
            <div class="virtual-spacer" style=spacer_style>{cells}</div>
        </div>
    }
}

fn value_at(row: Row<'_>, gene: usize) -> f64 {
    match row {
        Row::Counts(values) => values.get(gene).map_or(0.0, |&value| f64::from(value)),
        Row::Expected(values) => values.get(gene).map_or(0.0, |&value| f64::from(value)),
        Row::Sparse { indices, values } => indices
            .position_sorted(gene as u32)
            .and_then(|position| values.get(position))
            .map_or(0.0, f64::from),
    }
}

/// A cell's text: the value itself, or its log CPM (the viewer's log2 scale) when the row's
/// library size is given.
fn format_cell(value: f64, library_size: Option<f64>) -> String {
    match library_size {
        None => format_count(value),
        Some(size) => format!("{:.2}", log_cpm(value, size)),
    }
}

fn format_count(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genes_match_by_symbol_or_id_in_any_case() {
        let ids = vec!["ENSG00000141510".to_string(), "ENSG00000012048".to_string()];
        let symbols = vec!["TP53".to_string(), "BRCA1".to_string()];
        assert_eq!(matching_genes(&ids, &symbols, "tp5"), vec![0]);
        assert_eq!(matching_genes(&ids, &symbols, "12048"), vec![1]);
        assert_eq!(matching_genes(&ids, &symbols, "  "), vec![0, 1]);
        assert!(matching_genes(&ids, &symbols, "xyz").is_empty());
    }

    #[test]
    fn cells_show_counts_or_the_viewers_log2_cpm() {
        assert_eq!(format_cell(12.0, None), "12");
        assert_eq!(format_cell(2.5, None), "2.50");
        // 1 count in a library of a million is 1 CPM: log2(1 + 1) = 1.
        assert_eq!(format_cell(1.0, Some(1e6)), "1.00");
        assert_eq!(format_cell(3.0, Some(1e6)), "2.00");
        assert_eq!(format_cell(5.0, Some(0.0)), "0.00");
    }
}
