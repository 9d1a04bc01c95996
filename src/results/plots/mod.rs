//! The result's plots: PCA coloured by any metadata field, one gene by group (box or violin),
//! heatmap of the most variable genes, library sizes, and for single cell a UMAP and a marker
//! dot plot;
//! each exportable as SVG or PNG. The SVG is drawn by [`charts`]; this chooses and shows.

pub mod charts;

use std::sync::Arc;

use leptos::prelude::*;
use synthome_analysis::metadata_keys;
use synthome_plots::DistributionStyle;

use self::charts::{
    find_gene, gene_svg, heatmap_svg_of, library_size_svg, marker_dot_plot, pca_svg, umap_svg,
};
use super::choice::Choice;
use super::downloads::file_stem;
use super::overview::{ResultOverview, is_single_cell};
use crate::backend::GenerationResult;
use crate::browser::save::{save, save_svg_as_png};

/// The plot panel of one result. The PCA, heatmap, library sizes and first gene wait for the
/// result's overview (each shows a spinner until it arrives), a single-cell result's UMAP for
/// the worker's later message; the gene and marker plots read a few columns of the matrix and
/// draw at once.
#[component]
pub fn ResultPlots(
    /// The result to plot.
    result: Arc<GenerationResult>,
    /// Its overview, `None` while it is computed.
    overview: Signal<Option<Arc<ResultOverview>>>,
) -> impl IntoView {
    let keys = metadata_keys(result.matrix.samples());
    let default_key = [
        "cell_type_ontology_id",
        "tissue_ontology_id",
        "cell_line_ontology_id",
        "sex",
    ]
    .into_iter()
    .find(|key| keys.iter().any(|known| known == key))
    .map(str::to_string)
    .or_else(|| keys.first().cloned())
    .unwrap_or_default();
    let colour_by = RwSignal::new(default_key);
    let gene_text = RwSignal::new(String::new());
    let symbols_result = result.clone();
    // The first gene shown is the most variable one, once the overview names it.
    Effect::new(move |_| {
        let top = overview.with(|overview| overview.as_ref().and_then(|o| o.top_gene));
        if let Some(gene) = top
            && gene_text.with_untracked(String::is_empty)
        {
            gene_text.set(symbols_result.matrix.genes().symbols()[gene].clone());
        }
    });
    let violin = RwSignal::new(false);

    let pca_result = result.clone();
    let pca_plot = Memo::new(move |_| {
        overview.with(|overview| {
            overview.as_ref().map(|overview| match &overview.pca {
                Ok(pca) => pca_svg(&pca_result.matrix, pca, &colour_by.get()),
                Err(message) => Err(message.clone()),
            })
        })
    });
    let gene_result = result.clone();
    let gene_plot = Memo::new(move |_| {
        let text = gene_text.get();
        if text.is_empty() {
            return None;
        }
        let style = if violin.get() {
            DistributionStyle::Violin
        } else {
            DistributionStyle::Box
        };
        Some(
            find_gene(&gene_result.matrix, &text)
                .ok_or_else(|| {
                    format!(
                        "no gene {text:?} in this result; type a symbol (TP53) or an Ensembl id"
                    )
                })
                .and_then(|gene| gene_svg(&gene_result.matrix, gene, &colour_by.get(), style)),
        )
    });
    let heatmap_result = result.clone();
    let heatmap_plot = Memo::new(move |_| {
        overview.with(|overview| {
            overview.as_ref().map(|overview| match &overview.heatmap {
                Ok(rows) => heatmap_svg_of(&heatmap_result.matrix, rows, &colour_by.get()),
                Err(message) => Err(message.clone()),
            })
        })
    });
    let library_plot = Memo::new(move |_| {
        overview.with(|overview| {
            overview
                .as_ref()
                .map(|overview| Ok(library_size_svg(&overview.library_sizes)))
        })
    });
    let umap_result = result.clone();
    let umap_plot = Memo::new(move |_| {
        overview.with(|overview| {
            overview
                .as_ref()
                .and_then(|overview| overview.umap.as_ref())
                .map(|umap| match umap {
                    Ok(umap) => Ok(umap_svg(&umap_result.matrix, umap, &colour_by.get())),
                    Err(message) => Err(message.clone()),
                })
        })
    });
    let single_cell = is_single_cell(&result.matrix);
    let dots_result = result.clone();
    let dot_plot = Memo::new(move |_| marker_dot_plot(&dots_result.matrix, &colour_by.get()));
    let stem = file_stem(&result.provenance.model_id, &result.finished_at);

    view! {
        <div class="toolbar">
            <Choice label="Colour and group by " testid="colour-by" chosen=colour_by options=Signal::stored(keys) />
        </div>
        <div class="plots">
            <PlotFigure name="pca" stem=stem.clone() svg=Signal::derive(move || pca_plot.get()) />
            {single_cell.then(|| view! {
                <PlotFigure name="umap" stem=stem.clone() svg=Signal::derive(move || umap_plot.get()) />
            })}
            <figure class="plot">
                <div class="toolbar">
                    <label class="inline-field">
                        "Gene "
                        <input
                            type="search"
                            data-testid="plot-gene"
                            prop:value=move || gene_text.get()
                            on:change=move |event| gene_text.set(event_target_value(&event))
                        />
                    </label>
                    <label class="inline-field">
                        <input type="checkbox" data-testid="violin-toggle" on:change=move |event| violin.set(event_target_checked(&event)) />
                        " violin"
                    </label>
                </div>
                <PlotBody name="gene" stem=stem.clone() svg=Signal::derive(move || gene_plot.get()) />
            </figure>
            <PlotFigure name="heatmap" stem=stem.clone() svg=Signal::derive(move || heatmap_plot.get()) />
            <PlotFigure name="library-sizes" stem=stem.clone() svg=Signal::derive(move || library_plot.get()) />
            {move || dot_plot.get().map(|svg| {
                view! { <PlotFigure name="markers" stem=stem.clone() svg=Signal::derive(move || Some(svg.clone())) /> }
            })}
        </div>
    }
}

/// A plot in its own figure.
#[component]
fn PlotFigure(
    /// Short name, used in file names.
    name: &'static str,
    /// File name stem (model and time).
    stem: String,
    /// The SVG, or why it cannot be drawn; `None` while its data is computed.
    svg: Signal<Option<Result<String, String>>>,
) -> impl IntoView {
    view! {
        <figure class="plot">
            <PlotBody name=name stem=stem svg=svg />
        </figure>
    }
}

/// The SVG with its export buttons.
#[component]
fn PlotBody(
    /// Short name, used in file names.
    name: &'static str,
    /// File name stem (model and time).
    stem: String,
    /// The SVG, or why it cannot be drawn; `None` while its data is computed.
    svg: Signal<Option<Result<String, String>>>,
) -> impl IntoView {
    let failure = RwSignal::new(None::<String>);
    let svg_name = format!("{stem}_{name}.svg");
    let png_name = format!("{stem}_{name}.png");
    let export_svg = move |_| {
        if let Some(Ok(text)) = svg.get_untracked() {
            failure.set(save(&svg_name, "image/svg+xml", text.as_bytes()).err());
        }
    };
    let export_png = move |_| {
        if let Some(Ok(text)) = svg.get_untracked() {
            failure.set(save_svg_as_png(&png_name, &text).err());
        }
    };
    view! {
        {move || match svg.get() {
            None => view! {
                <p class="hint plot-pending" role="status" data-testid=format!("plot-pending-{name}")>
                    <span class="spinner" aria-hidden="true"></span>" Computing…"
                </p>
            }
            .into_any(),
            Some(Ok(text)) => view! { <div class="plot-svg" inner_html=text></div> }.into_any(),
            Some(Err(message)) => view! { <p class="hint" role="status">{message}</p> }.into_any(),
        }}
        <div class="plot-actions">
            <button class="secondary small" data-testid=format!("export-svg-{name}") on:click=export_svg>"SVG"</button>
            <button class="secondary small" data-testid=format!("export-png-{name}") on:click=export_png>"PNG"</button>
        </div>
        {move || failure.get().map(|message| view! { <p class="error-text" role="alert">{message}</p> })}
    }
}
