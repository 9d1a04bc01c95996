//! Predicted metadata of the table's samples: a table (sample x key: best value and its
//! probability) and, for the selected sample, one bar chart per key of its most probable
//! values. The arranging is plain Rust, tested on the host.

use std::collections::BTreeMap;

use leptos::prelude::*;
use synthome_plots::{PlotOptions, probability_bars_svg};

use super::YourData;
use crate::backend::embedded::DataAnswer;
use crate::backend::embedded::protocol::{PredictedMetadata, SamplePrediction};
use crate::generation::Generation;
use crate::state::AppState;

/// Values drawn per key in the selected sample's bar charts.
const TOP_VALUES: usize = 5;

/// Every key some sample's prediction names (the keys whose classes carry at least half of
/// its posterior: a tissue sample gets no cell line), in key order.
pub fn predicted_keys(predictions: &[SamplePrediction]) -> Vec<String> {
    let mut keys: Vec<String> = predictions
        .iter()
        .filter_map(|sample| sample.outcome.as_ref().ok())
        .flat_map(|predicted| predicted.metadata.iter().map(|(key, _)| key.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A key's values, most probable first (ties in value order), at most `n`.
pub fn top_values(probs: &BTreeMap<String, f64>, n: usize) -> Vec<(String, f64)> {
    let mut values: Vec<(String, f64)> =
        probs.iter().map(|(value, &p)| (value.clone(), p)).collect();
    values.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values.truncate(n);
    values
}

/// The value a sample's prediction names for `key` and its probability; `None` when the
/// prediction leaves the key out.
pub fn predicted_value(predicted: &PredictedMetadata, key: &str) -> Option<(String, f64)> {
    let (_, value) = predicted.metadata.iter().find(|(known, _)| known == key)?;
    let p = predicted
        .classifier_probs
        .get(key)
        .and_then(|probs| probs.get(value))
        .copied()
        .unwrap_or(0.0);
    Some((value.clone(), p))
}

/// "label (id)" for a value the vocabulary knows, else the value.
fn shown(state: AppState, key: &str, value: &str) -> String {
    state
        .model()
        .and_then(|model| {
            model
                .engine
                .vocabulary()
                .resolve(key, value)
                .filter(|term| term.label != value)
                .map(|term| format!("{} ({value})", term.label))
        })
        .unwrap_or_else(|| value.to_owned())
}

/// The Predict button, the table and the selected sample's bar charts.
#[component]
pub fn Predictions() -> impl IntoView {
    let data = expect_context::<YourData>();
    let generation = expect_context::<Generation>();
    let state = expect_context::<AppState>();
    let predict = move |_| {
        let Some(backend) = generation.embedded() else {
            return;
        };
        data.error.set(None);
        data.busy
            .set(Some("Predicting the metadata of every sample…"));
        backend.predict_table(Box::new(move |answer| match answer {
            Ok(DataAnswer::Predicted(samples)) => {
                data.busy.set(None);
                data.predictions.set(Some(samples));
            }
            Ok(_) => data.fail("the worker answered with something else".into()),
            Err(error) => data.fail(error.to_string()),
        }));
    };
    view! {
        <div class="toolbar">
            <button data-testid="predict" on:click=predict disabled=move || data.busy.get().is_some()>
                "Predict metadata"
            </button>
        </div>
        {move || data.predictions.get().map(|samples| {
            let keys = predicted_keys(&samples);
            view! {
                <PredictionTable samples=samples.clone() keys=keys.clone() state=state />
                <SampleBars samples=samples keys=keys state=state />
            }
        })}
    }
}

/// Sample x key: the most probable value and its probability; a row click selects the sample.
#[component]
fn PredictionTable(
    samples: Vec<SamplePrediction>,
    keys: Vec<String>,
    state: AppState,
) -> impl IntoView {
    let data = expect_context::<YourData>();
    let header = keys.clone();
    view! {
        <div class="table-scroll" data-testid="prediction-table">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"sample"</th>
                        {header.into_iter().map(|key| view! { <th scope="col">{key}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {samples.into_iter().enumerate().map(|(index, sample)| {
                        let cells = match &sample.outcome {
                            Ok(predicted) => keys.iter().map(|key| {
                                let best = predicted_value(predicted, key);
                                match best {
                                    Some((value, p)) => view! {
                                        <td data-key=key.clone() data-value=value.clone()>
                                            {shown(state, key, &value)}
                                            <span class="probability">{format!(" {:.0}%", p * 100.0)}</span>
                                        </td>
                                    }.into_any(),
                                    None => view! { <td data-key=key.clone()></td> }.into_any(),
                                }
                            }).collect_view().into_any(),
                            Err(message) => view! {
                                <td class="error-text" colspan=keys.len().max(1) data-testid="prediction-error">{message.clone()}</td>
                            }.into_any(),
                        };
                        view! {
                            <tr
                                data-testid="prediction-row"
                                data-sample=sample.sample.clone()
                                class:selected=move || data.selected.get() == index
                                on:click=move |_| data.selected.set(index)
                            >
                                <th scope="row"><button class="link">{sample.sample.clone()}</button></th>
                                {cells}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The selected sample's most probable values, one bar chart per key.
#[component]
fn SampleBars(samples: Vec<SamplePrediction>, keys: Vec<String>, state: AppState) -> impl IntoView {
    let data = expect_context::<YourData>();
    move || {
        let index = data.selected.get();
        let Some(sample) = samples.get(index) else {
            return ().into_any();
        };
        let Ok(predicted) = &sample.outcome else {
            return ().into_any();
        };
        let charts = keys
            .iter()
            .filter_map(|key| {
                let bars: Vec<(String, f64)> = top_values(predicted.classifier_probs.get(key)?, TOP_VALUES)
                    .into_iter()
                    .map(|(value, p)| (shown(state, key, &value), p))
                    .collect();
                let svg = probability_bars_svg(
                    &bars,
                    key,
                    &PlotOptions {
                        height: 220,
                        ..PlotOptions::new(format!("probabilities-{key}"), key.clone())
                    },
                );
                Some(view! { <figure class="plot"><div class="plot-svg" inner_html=svg></div></figure> })
            })
            .collect_view();
        view! {
            <h3 data-testid="bars-sample">{format!("Sample {}: most probable values", sample.sample)}</h3>
            <div class="plot-grid">{charts}</div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str, probs: &[(&str, &[(&str, f64)])]) -> SamplePrediction {
        SamplePrediction {
            sample: name.into(),
            outcome: Ok(PredictedMetadata {
                metadata: probs
                    .iter()
                    .map(|(key, values)| (key.to_string(), values[0].0.to_string()))
                    .collect(),
                classifier_probs: probs
                    .iter()
                    .map(|(key, values)| {
                        (
                            key.to_string(),
                            values.iter().map(|(v, p)| (v.to_string(), *p)).collect(),
                        )
                    })
                    .collect(),
            }),
        }
    }

    #[test]
    fn keys_are_the_union_and_values_come_most_probable_first() {
        let samples = vec![
            sample("a", &[("sex", &[("female", 0.9), ("male", 0.1)])]),
            sample(
                "b",
                &[(
                    "tissue_ontology_id",
                    &[("UBERON:1", 0.2), ("UBERON:2", 0.7), ("UBERON:3", 0.1)],
                )],
            ),
            SamplePrediction {
                sample: "c".into(),
                outcome: Err("too few genes".into()),
            },
        ];
        assert_eq!(predicted_keys(&samples), ["sex", "tissue_ontology_id"]);
        let Ok(predicted) = &samples[1].outcome else {
            panic!("b is predicted");
        };
        let top = top_values(&predicted.classifier_probs["tissue_ontology_id"], 2);
        assert_eq!(
            top,
            [("UBERON:2".to_string(), 0.7), ("UBERON:1".to_string(), 0.2)]
        );
        assert_eq!(
            predicted_value(predicted, "tissue_ontology_id"),
            Some(("UBERON:1".to_string(), 0.2))
        );
        assert_eq!(predicted_value(predicted, "sex"), None);
    }
}
