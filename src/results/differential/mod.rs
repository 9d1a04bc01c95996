//! Differential expression between two chosen conditions: volcano plot and a sortable table.
//! The statistics are in [`compare`]; this chooses the groups and shows the outcome.

pub mod compare;

use std::sync::Arc;

use leptos::prelude::*;
use synthome_analysis::{DeColumn, DeRow, SortOrder, metadata_keys};

use self::compare::{Comparison, comparable_groups, compare};
use super::choice::Choice;
use crate::backend::GenerationResult;

/// Rows shown in the table (the download has all genes).
const TABLE_ROWS: usize = 200;

/// The comparison panel.
#[component]
pub fn Differential(
    /// The result to compare within.
    result: Arc<GenerationResult>,
) -> impl IntoView {
    let keys = metadata_keys(result.matrix.samples());
    let groups_result = result.clone();
    let key = RwSignal::new(
        keys.iter()
            .find(|key| comparable_groups(&groups_result.matrix, key).len() >= 2)
            .cloned()
            .unwrap_or_default(),
    );
    let groups = Memo::new(move |_| comparable_groups(&groups_result.matrix, &key.get()));
    let test = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    Effect::new(move |_| {
        let groups = groups.get();
        test.set(groups.first().cloned().unwrap_or_default());
        reference.set(groups.get(1).cloned().unwrap_or_default());
    });
    let outcome = RwSignal::new(None::<Result<Comparison, String>>);
    let compare_result = result.clone();
    let run = move |_| {
        outcome.set(Some(compare(
            &compare_result.matrix,
            &key.get_untracked(),
            &test.get_untracked(),
            &reference.get_untracked(),
        )));
    };
    let sort = move |column: DeColumn| {
        outcome.update(|outcome| {
            if let Some(Ok(comparison)) = outcome {
                let order = match column {
                    DeColumn::Symbol
                    | DeColumn::GeneId
                    | DeColumn::PValue
                    | DeColumn::PAdjusted => SortOrder::Ascending,
                    _ => SortOrder::Descending,
                };
                comparison.table.sort_by(column, order);
            }
        });
    };
    view! {
        <div class="toolbar">
            <Choice label="Compare by " testid="de-key" chosen=key options=Signal::stored(keys) />
            <Choice label="test " testid="de-test" chosen=test options=groups />
            <Choice label="vs reference " testid="de-reference" chosen=reference options=groups />
            <button data-testid="de-run" on:click=run disabled=move || groups.with(|groups| groups.len() < 2)>
                "Compare"
            </button>
        </div>
        <Show when=move || groups.with(|groups| groups.len() < 2)>
            <p class="hint">"Differential expression needs two groups with at least two samples each under the chosen field."</p>
        </Show>
        {move || outcome.with(|outcome| match outcome {
            None => ().into_any(),
            Some(Err(message)) => view! { <p class="error-text" role="alert">{message.clone()}</p> }.into_any(),
            Some(Ok(comparison)) => view! {
                <p class="hint" data-testid="de-summary">
                    {format!(
                        "{} genes tested; {} significant (BH-adjusted p < 0.05, |log2 FC| >= 1).",
                        comparison.table.n_tested(),
                        comparison.n_significant
                    )}
                </p>
                <figure class="plot"><div class="plot-svg" inner_html=comparison.plot.clone()></div></figure>
                <DeTable comparison=comparison.clone() sort=sort />
            }
            .into_any(),
        })}
    }
}

/// The first rows of the table, with sortable headers.
#[component]
pub fn DeTable(
    /// The comparison to list.
    comparison: Comparison,
    /// Called with the column whose header was clicked.
    sort: impl Fn(DeColumn) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let headers = [
        ("gene", DeColumn::Symbol),
        ("Ensembl id", DeColumn::GeneId),
        ("mean test", DeColumn::MeanTest),
        ("mean ref.", DeColumn::MeanReference),
        ("log2 FC", DeColumn::Log2FoldChange),
        ("t", DeColumn::T),
        ("p", DeColumn::PValue),
        ("adj. p", DeColumn::PAdjusted),
    ];
    let rows: Vec<DeRow> = comparison
        .table
        .rows()
        .iter()
        .take(TABLE_ROWS)
        .copied()
        .collect();
    let table = comparison.table;
    view! {
        <div class="table-scroll" data-testid="de-table">
            <table>
                <thead>
                    <tr>
                        {headers
                            .into_iter()
                            .map(|(label, column)| view! {
                                <th scope="col"><button class="link" on:click=move |_| sort(column)>{label}</button></th>
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .iter()
                        .map(|row| view! {
                            <tr>
                                <td>{table.symbol(row).to_string()}</td>
                                <td>{table.gene_id(row).to_string()}</td>
                                <td>{format!("{:.2}", row.mean_test)}</td>
                                <td>{format!("{:.2}", row.mean_reference)}</td>
                                <td>{format!("{:.2}", row.log2_fold_change)}</td>
                                <td>{row.t.map(|t| format!("{t:.2}")).unwrap_or_default()}</td>
                                <td>{row.p_value.map(|p| format!("{p:.2e}")).unwrap_or_default()}</td>
                                <td>{row.p_adjusted.map(|p| format!("{p:.2e}")).unwrap_or_default()}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
