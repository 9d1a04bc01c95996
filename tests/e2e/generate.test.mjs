// Generation in the browser: example query, inline validation errors, the worker's progress
// and cancel, the result viewer, downloads, and byte-identical counts with the native CLI.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "./harness.mjs";

const ROOT = join(import.meta.dirname, "..", "..");

async function openReady(page, base) {
  await page.goto(base + "#/query");
  await page.getByTestId("model-ready").waitFor({ timeout: 60_000 });
}

async function setQuery(page, query) {
  const editor = page.getByTestId("query-json");
  await editor.fill(typeof query === "string" ? query : JSON.stringify(query, null, 2));
}

async function generate(page) {
  await page.getByTestId("generate").click();
  await page.getByTestId("result-summary").waitFor({ timeout: 120_000 });
}

async function downloadText(page, slug) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`download-${slug}`).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, "utf8") };
}

/**
 * Makes the page see `cores` logical cores, and count the workers it starts in
 * `window.startedWorkers` and those it stops in `window.stoppedWorkers`.
 */
async function reportCores(page, cores) {
  await page.addInitScript((reported) => {
    Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => reported });
    const PageWorker = window.Worker;
    window.startedWorkers = 0;
    window.stoppedWorkers = 0;
    window.Worker = class extends PageWorker {
      constructor(...args) {
        super(...args);
        window.startedWorkers += 1;
      }
      terminate() {
        window.stoppedWorkers += 1;
        super.terminate();
      }
    };
  }, cores);
}

/** Runs the native CLI on `query`; its result JSON. */
function nativeResult(model, query) {
  const cli = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, "target"), "debug", "synthome");
  check(existsSync(cli), `${cli} is missing: cargo test --workspace builds it`);
  const dir = mkdtempSync(join(tmpdir(), "synthome-determinism-"));
  const queryFile = join(dir, "query.json");
  writeFileSync(queryFile, JSON.stringify(query));
  return JSON.parse(
    execFileSync(cli, ["generate", "--model", model, "--query", queryFile, "--format", "json"], {
      maxBuffer: 1 << 30,
    }).toString(),
  );
}

function countsHash(result) {
  const hash = createHash("sha256");
  for (const output of result.outputs) hash.update(JSON.stringify(output.counts));
  return hash.digest("hex");
}

const LIVER_FEMALE = {
  sampling_strategy: "sample generation",
  inputs: [
    { metadata: { tissue_ontology_id: "UBERON:0002107", sex: "female", sample_type: "primary tissue" }, num_samples: 4 },
    { metadata: { tissue_ontology_id: "UBERON:0000955" }, num_samples: 3 },
  ],
  seed: 20261125,
};

export default function generateTests(base) {
  return [
    {
      name: "the example query generates and the result viewer shows it",
      async run(page) {
        await openReady(page, base);
        await page.getByTestId("load-example").click();
        await page.getByTestId("query-valid").waitFor();
        await generate(page);
        check(new URL(page.url()).hash === "#/results", `after generating the URL is ${page.url()}`);
        const genes = Number(await page.getByTestId("summary-genes").innerText());
        check(genes > 15_000, `only ${genes} genes`);
        await page.getByTestId("expression-table").waitFor();
        await page.getByTestId("metadata-table").waitFor();
      },
    },
    {
      name: "the plots show every sample, recolour by a field and export as SVG",
      async run(page) {
        await openReady(page, base);
        await setQuery(page, LIVER_FEMALE);
        await generate(page);
        const pca = page.locator("[data-testid='pca-plot']");
        await pca.waitFor();
        check((await pca.locator("circle.point").count()) === 7, `PCA points: ${await pca.locator("circle.point").count()}`);
        await page.getByTestId("colour-by").selectOption("sex");
        await page.waitForFunction(() => {
          const legend = [...document.querySelectorAll("[data-testid='pca-plot'] text")].map((node) => node.textContent);
          return legend.some((text) => text.startsWith("female")) && legend.includes("sex");
        });
        for (const id of ["gene-plot", "heatmap-plot", "library-size-plot"]) {
          await page.locator(`[data-testid='${id}']`).waitFor();
        }
        const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-svg-pca").click()]);
        const svg = readFileSync(await download.path(), "utf8");
        check(svg.startsWith("<svg") && svg.includes("PC1"), "the exported SVG is not the PCA plot");
        await page.getByTestId("de-key").selectOption("tissue_ontology_id");
        await page.getByTestId("de-run").click();
        await page.locator("[data-testid='volcano-plot']").waitFor();
        const summary = await page.getByTestId("de-summary").innerText();
        const significant = Number(/; (\d+) significant/.exec(summary)?.[1]);
        check(significant > 100, `liver vs brain should differ in many genes: ${summary}`);
        check((await page.locator("[data-testid='de-table'] tbody tr").count()) === 200, "DE table rows");
        await page.screenshot({ path: join(import.meta.dirname, "artifacts", "results-plots-1280x800.png"), fullPage: true });
      },
    },
    {
      name: "single cell: the UMAP arrives after the other plots with one point per cell",
      async run(page) {
        await openReady(page, base);
        await page.getByTestId("model-picker").selectOption("synthome-sc-v1");
        await setQuery(page, { sampling_strategy: "sample generation", seed: 7, inputs: [{ metadata: {}, num_samples: 300 }] });
        await page.getByTestId("query-valid").waitFor();
        await generate(page);
        await page.locator("[data-testid='pca-plot']").waitFor({ timeout: 120_000 });
        const umap = page.locator("[data-testid='umap-plot']");
        await umap.waitFor({ timeout: 120_000 });
        const points = await umap.locator(".point").count();
        check(points === 300, `UMAP points: ${points}`);
        check((await umap.getAttribute("data-n-points")) === "300", "the UMAP's data-n-points is not 300");
        const legend = await umap.locator("text").allTextContents();
        check(legend.includes("cell_type_ontology_id"), `the UMAP is not coloured by cell type: ${legend.slice(0, 8).join(" | ")}`);
        check((await page.getByTestId("plot-pending-umap").count()) === 0, "the UMAP spinner is still shown");
      },
    },
    {
      name: "helper workers are kept between split runs and stopped after 30 s idle",
      async run(page) {
        await reportCores(page, 2);
        await openReady(page, base);
        await setQuery(page, { sampling_strategy: "sample generation", seed: 3, inputs: [{ metadata: {}, num_samples: 300 }] });
        const started = () => page.evaluate(() => window.startedWorkers);
        const run = async () => {
          await page.getByTestId("nav-query").click();
          await generate(page);
        };
        await run();
        check((await started()) === 2, `first split run: ${await started()} workers`);
        await run();
        check((await started()) === 2, `a second run at once started ${(await started()) - 2} more`);
        await page.waitForTimeout(33_000);
        await run();
        check((await started()) === 3, `after 33 s idle: ${await started()} workers started in all`);
      },
    },
    {
      name: "a helper left large by a single-cell share is stopped when the run ends, and the next split run starts a fresh one",
      async run(page) {
        await reportCores(page, 2);
        await openReady(page, base);
        const workers = () => page.evaluate(() => [window.startedWorkers, window.stoppedWorkers]);
        await page.getByTestId("model-picker").selectOption("synthome-sc-v1");
        // 8,000 cells: two shares of 4,000, each growing its worker by ~100 MiB.
        await setQuery(page, { sampling_strategy: "sample generation", seed: 5, inputs: [{ metadata: {}, num_samples: 8000 }] });
        await page.getByTestId("query-valid").waitFor({ timeout: 120_000 });
        await generate(page);
        await page.locator("[data-testid='umap-plot']").waitFor({ timeout: 120_000 });
        // The main worker is replaced once idle (started 3); the helper is stopped, not replaced.
        await page.waitForFunction(() => window.startedWorkers === 3 && window.stoppedWorkers === 2, null, { timeout: 30_000 })
          .catch(async () => check(false, `workers started / stopped: ${await workers()}`));
        await page.waitForTimeout(1_000);
        const [started, stopped] = await workers();
        check(started === 3 && stopped === 2, `after the cells: ${started} started, ${stopped} stopped (want 3, 2)`);
        await page.getByTestId("nav-query").click();
        await page.getByTestId("model-picker").selectOption("synthome-bulk-v1");
        await setQuery(page, { sampling_strategy: "sample generation", seed: 3, inputs: [{ metadata: {}, num_samples: 300 }] });
        await generate(page);
        check(Number(await page.getByTestId("summary-samples").innerText()) === 300, "not 300 samples");
        check((await workers())[0] === 4, `the next split run started ${(await workers())[0] - 3} helpers (want 1)`);
      },
    },
    {
      name: "single cell: thousands of cells are drawn as one path per group and recolour",
      async run(page) {
        await openReady(page, base);
        await page.getByTestId("model-picker").selectOption("synthome-sc-v1");
        await setQuery(page, { sampling_strategy: "sample generation", seed: 8, inputs: [{ metadata: {}, num_samples: 2500 }] });
        await page.getByTestId("query-valid").waitFor({ timeout: 120_000 });
        await generate(page);
        const umap = page.locator("[data-testid='umap-plot']");
        await umap.waitFor({ timeout: 120_000 });
        const drawn = async (plot) => {
          const counts = await plot.locator("path.points").evaluateAll((paths) => paths.map((path) => Number(path.dataset.n)));
          return { paths: counts.length, points: counts.reduce((a, b) => a + b, 0) };
        };
        for (const plot of [umap, page.locator("[data-testid='pca-plot']")]) {
          check((await plot.getAttribute("data-n-points")) === "2500", "data-n-points is not 2500");
          check((await plot.locator(".point").count()) === 0, "points drawn one element each");
          const { paths, points } = await drawn(plot);
          check(paths >= 2 && points === 2500, `${paths} paths holding ${points} points`);
        }
        const before = await drawn(umap);
        await page.getByTestId("colour-by").selectOption("tissue_ontology_id");
        await page.waitForFunction(() => [...document.querySelectorAll("[data-testid='umap-plot'] text")].some((node) => node.textContent === "tissue_ontology_id"));
        const after = await drawn(umap);
        check(after.points === 2500 && after.paths !== before.paths, `recoloured: ${before.paths} -> ${after.paths} paths`);
      },
    },
    {
      name: "the single-cell bundle is fetched only when its model is chosen",
      async run(page) {
        const fetched = [];
        page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
        const scBundle = () => fetched.some((path) => path.endsWith("/models/synthome-sc-v1.bundle"));
        await openReady(page, base);
        await page.waitForTimeout(1500);
        check(!scBundle(), "the single-cell bundle was fetched before its model was chosen");
        const option = page.locator("[data-testid='model-picker'] option[value='synthome-sc-v1']");
        const label = await option.innerText();
        check(label.includes("loads when chosen"), `the picker's single-cell option says: ${label}`);
        await page.getByTestId("model-picker").selectOption("synthome-sc-v1");
        await page.getByTestId("model-ready").filter({ hasText: "synthome-sc-v1" }).waitFor({ timeout: 120_000 });
        check(scBundle(), "choosing the single-cell model did not fetch its bundle");
        check(!(await option.innerText()).includes("loads when chosen"), "the loaded model is still offered as to be loaded");
        await page.getByTestId("load-example").click();
        await page.getByTestId("query-valid").waitFor();
        check(await page.getByTestId("generate").isEnabled(), "generate is not enabled for the example once the model has arrived");
        // Cell types are suggested with the tissues that have them.
        const cellType = page.getByTestId("condition-card").first().locator("input[data-key='cell_type_ontology_id']");
        await cellType.fill("alveolar type 2");
        const list = page.locator(`#${await cellType.getAttribute("list")} option`);
        await list.first().waitFor({ state: "attached" });
        const suggestions = await list.allTextContents();
        check(suggestions.some((text) => text.includes("alveolar type 2") && text.includes("(in ") && text.includes("lung")), `suggestions: ${suggestions.join(" | ")}`);
      },
    },
    {
      name: "the models view shows the card of each embedded model",
      async run(page) {
        await openReady(page, base);
        await page.getByTestId("nav-models").click();
        for (const id of ["synthome-bulk-v1", "synthome-sc-v1"]) {
          const card = page.getByTestId(`model-${id}`);
          await card.waitFor();
          check((await card.innerText()).includes("tissue_ontology_id"), `${id} card lists no vocabulary`);
        }
        // Which diseases each tissue has (bulk), which cell types (single cell).
        const lung = page.locator("[data-testid='model-synthome-bulk-v1'] [data-testid='by-tissue-diseases'] details[data-tissue='UBERON:0002048']");
        await lung.locator("summary").click();
        check((await lung.innerText()).includes("lung adenocarcinoma"), "lung lists no lung adenocarcinoma");
        check(!(await lung.innerText()).includes("COVID-19"), "lung lists COVID-19, which the model has only in blood");
        const cellTissues = page.locator("[data-testid='model-synthome-sc-v1'] [data-testid='by-tissue-cell-types'] details");
        check((await cellTissues.count()) >= 15, `cell types in ${await cellTissues.count()} tissues`);
        const blood = cellTissues.and(page.locator("[data-tissue='UBERON:0000178']"));
        await blood.locator("summary").click();
        check((await blood.innerText()).includes("CL:0000236"), "blood lists no B cells");
      },
    },
    {
      name: "an invalid value shows the right inline error and nothing runs",
      async run(page) {
        await openReady(page, base);
        const bad = structuredClone(LIVER_FEMALE);
        bad.inputs[1].metadata.tissue_ontology_id = "UBERON:9999999";
        bad.inputs[0].metadata.disease_ontology_id = "MONDO:0005148";
        await setQuery(page, bad);
        const errors = page.getByTestId("query-error");
        await errors.first().waitFor();
        const texts = await errors.allInnerTexts();
        check(texts.length === 2, `expected 2 errors, got:\n${texts.join("\n")}`);
        const tissue = texts.find((text) => text.startsWith('inputs[1].tissue_ontology_id: "UBERON:9999999"'));
        check(tissue?.includes("is not in the bulk model's vocabulary"), `tissue message: ${tissue}`);
        const disease = texts.find((text) => text.startsWith("inputs[0].disease_ontology_id"));
        check(disease !== undefined, `no disease error among:\n${texts.join("\n")}`);
        check(await page.getByTestId("generate").isDisabled(), "Generate is enabled for an invalid query");
      },
    },
    {
      name: "condition cards edit the JSON and show each error under its field",
      async run(page) {
        await openReady(page, base);
        await setQuery(page, LIVER_FEMALE);
        const cards = page.getByTestId("condition-card");
        await cards.nth(1).waitFor();
        check((await cards.count()) === 2, `cards: ${await cards.count()}`);
        await cards.nth(1).locator("select[data-key='sex']").selectOption("male");
        let query = JSON.parse(await page.getByTestId("query-json").inputValue());
        check(query.inputs[1].metadata.sex === "male", "choosing male in the card did not reach the JSON");
        await cards.nth(0).getByTestId("duplicate-condition").click();
        await cards.nth(2).waitFor();
        const tissue = cards.nth(2).locator("input[data-key='tissue_ontology_id']");
        await tissue.fill("UBERON:9999999");
        await tissue.press("Tab");
        const fieldError = cards.nth(2).getByTestId("field-error");
        await fieldError.waitFor();
        check((await fieldError.innerText()).startsWith("inputs[2].tissue_ontology_id"), await fieldError.innerText());
        await cards.nth(2).getByTestId("remove-condition").click();
        await page.getByTestId("query-valid").waitFor();
        query = JSON.parse(await page.getByTestId("query-json").inputValue());
        check(query.inputs.length === 2, "removing the card did not remove the input");
        await page.getByTestId("strategy").selectOption("mean estimation");
        await page.getByTestId("deterministic-latents").check();
        query = JSON.parse(await page.getByTestId("query-json").inputValue());
        check(query.sampling_strategy === "mean estimation" && query.deterministic_latents === true, "options did not reach the JSON");
      },
    },
    {
      name: "vocabulary search finds liver from a typo and puts it into the query",
      async run(page) {
        await openReady(page, base);
        await page.getByTestId("vocab-search").fill("livr");
        const hit = page.locator("[data-testid='vocab-hit'][data-id='UBERON:0002107']");
        await hit.waitFor();
        await hit.click();
        const query = JSON.parse(await page.getByTestId("query-json").inputValue());
        check(query.inputs[0].metadata.tissue_ontology_id === "UBERON:0002107", "liver not inserted");
      },
    },
    {
      name: "cancel stops a long run and the next run still works",
      async run(page) {
        await openReady(page, base);
        await setQuery(page, { sampling_strategy: "sample generation", inputs: [{ metadata: {}, num_samples: 5000 }], seed: 3 });
        await page.getByTestId("query-valid").waitFor();
        await page.getByTestId("generate").click();
        await page.getByTestId("run-progress").waitFor();
        await page.getByTestId("cancel").click();
        await page.getByTestId("run-cancelled").waitFor();
        check((await page.getByTestId("result-summary").count()) === 0, "a cancelled run produced a result");
        await setQuery(page, LIVER_FEMALE);
        await generate(page);
        check((await page.getByTestId("summary-samples").innerText()) === "7", "the run after cancel failed");
      },
    },
    {
      name: "CSV download has one row per sample and integer counts for every gene",
      async run(page) {
        await openReady(page, base);
        await setQuery(page, LIVER_FEMALE);
        await generate(page);
        const { name, text } = await downloadText(page, "expression-csv");
        check(/^synthome-bulk-v1_.*\.expression\.csv$/.test(name), `file name ${name}`);
        const lines = text.trimEnd().split("\n");
        const header = lines[0].split(",");
        check(header[0] === "sample_id" && header[1].startsWith("ENSG"), `header ${lines[0].slice(0, 80)}`);
        check(lines.length === 1 + 7, `${lines.length - 1} data rows`);
        const truth = (await downloadText(page, "ground-truth")).text.split("\n").filter((line) => !line.startsWith("#"));
        const truthHeader = truth[0].split("\t");
        check(truthHeader.length === 2 + 2 && truthHeader[2].startsWith("input1 "), `ground truth header: ${truth[0]}`);
        const albumin = truth.find((line) => line.split("\t")[1] === "ALB")?.split("\t").map(Number);
        check(albumin && albumin[2] - albumin[3] > 5, "ALB is not far higher in liver than in brain in the ground truth");
        for (const line of lines.slice(1)) {
          const cells = line.split(",");
          check(cells.length === header.length, "ragged row");
          check(cells.slice(1).every((cell) => /^\d+$/.test(cell)), "a count is not a non-negative integer");
        }
      },
    },
    {
      name: "plots fill in after the summary, and five runs of the same query do not grow the page's memory",
      async run(page) {
        // Trunk's loader announces the page's wasm exports, whose memory only ever grows.
        await page.addInitScript(() => {
          addEventListener("TrunkApplicationStarted", (event) => { window.__synthomeWasm = event.detail.wasm; });
        });
        await openReady(page, base);
        const cdp = await page.context().newCDPSession(page);
        const query = { sampling_strategy: "sample generation", seed: 5, inputs: [{ metadata: {}, num_samples: 300 }] };
        const used = [];
        for (let run = 0; run < 5; run += 1) {
          if (run > 0) await page.getByTestId("nav-query").click();
          await setQuery(page, query);
          await page.getByTestId("query-valid").waitFor();
          await generate(page);
          if (run === 0) {
            await page.screenshot({ path: join(import.meta.dirname, "artifacts", "results-filling-in-1280x800.png") });
          }
          for (const id of ["pca-plot", "heatmap-plot", "library-size-plot", "gene-plot"]) {
            await page.locator(`[data-testid='${id}']`).waitFor({ timeout: 60_000 });
          }
          check((await page.locator("[data-testid^='plot-pending-']").count()) === 0, "a plot is still pending");
          await cdp.send("HeapProfiler.collectGarbage");
          const heap = await cdp.send("Runtime.getHeapUsage");
          const wasm = await page.evaluate(() => window.__synthomeWasm?.memory?.buffer?.byteLength ?? 0);
          check(wasm > 0, "the page's wasm memory could not be read");
          used.push(heap.usedSize + (heap.backingStorageSize ?? 0) + wasm);
        }
        const mb = used.map((bytes) => (bytes / 1e6).toFixed(1));
        console.log(`     page JS heap + buffers + wasm memory after each run (MB): ${mb.join(", ")}`);
        // The first runs grow caches and wasm memory to their working size; after that a run
        // must give back what the previous one held.
        check(used[4] <= used[1] * 1.15 + 5e6, `memory grows across runs: ${mb.join(", ")} MB`);
      },
    },
    {
      name: "the browser's counts are byte-identical to the native CLI's for the same query and seed",
      async run(page) {
        const native = nativeResult("gem-1-bulk", LIVER_FEMALE);
        await openReady(page, base);
        await setQuery(page, LIVER_FEMALE);
        await generate(page);
        const browser = JSON.parse((await downloadText(page, "json")).text);
        check(browser.bundle_sha256 === native.bundle_sha256, "different bundles");
        check(browser.outputs.length === native.outputs.length, "different sample counts");
        const [a, b] = [countsHash(browser), countsHash(native)];
        console.log(`     counts sha256 browser ${a.slice(0, 16)}… native ${b.slice(0, 16)}…`);
        check(a === b, "counts differ between wasm and native");
      },
    },
    {
      name: "a worker left large by a big result is replaced once idle, and the next run still matches the CLI",
      async run(page) {
        // One core reported: no helpers, the main worker makes all 3,000 x 20,357 counts
        // (244 MB) and keeps that memory (wasm memory never shrinks) until it is replaced.
        await reportCores(page, 1);
        await openReady(page, base);
        const started = () => page.evaluate(() => window.startedWorkers);
        check((await started()) === 1, `${await started()} workers at load`);
        await setQuery(page, { sampling_strategy: "sample generation", seed: 2, inputs: [{ metadata: {}, num_samples: 3000 }] });
        await generate(page);
        await page.locator("[data-testid='pca-plot']").waitFor({ timeout: 120_000 });
        await page.waitForFunction(() => window.startedWorkers === 2, null, { timeout: 30_000 });
        // A small result leaves the fresh worker as it is, and gives the CLI's counts.
        const native = nativeResult("gem-1-bulk", LIVER_FEMALE);
        await page.getByTestId("nav-query").click();
        await setQuery(page, LIVER_FEMALE);
        await generate(page);
        const browser = JSON.parse((await downloadText(page, "json")).text);
        check(countsHash(browser) === countsHash(native), "counts differ from native after the worker was replaced");
        await page.locator("[data-testid='pca-plot']").waitFor({ timeout: 60_000 });
        await page.waitForTimeout(1_000);
        check((await started()) === 2, `a small run replaced the worker too: ${await started()} started`);
      },
    },
    {
      name: "a large generation split across workers gives the native CLI's samples, in order",
      async run(page) {
        // Three cores reported: 330 x 20,357 values make three shares of 110 samples, the
        // last one across the two inputs' boundary.
        await reportCores(page, 3);
        const query = {
          sampling_strategy: "sample generation",
          inputs: [
            { metadata: { tissue_ontology_id: "UBERON:0002107", sex: "female" }, num_samples: 200 },
            { metadata: { tissue_ontology_id: "UBERON:0000955" }, num_samples: 130 },
          ],
          seed: 20261203,
        };
        const native = nativeResult("gem-1-bulk", query);
        await openReady(page, base);
        await setQuery(page, query);
        await generate(page);
        check((await page.evaluate(() => window.startedWorkers)) === 3, `workers started: ${await page.evaluate(() => window.startedWorkers)}`);
        check(Number(await page.getByTestId("summary-samples").innerText()) === 330, "not 330 samples");
        const browser = JSON.parse((await downloadText(page, "json")).text);
        check(browser.outputs.length === 330, `${browser.outputs.length} outputs`);
        const [a, b] = [countsHash(browser), countsHash(native)];
        check(a === b, `counts differ between the split browser run and native: ${a.slice(0, 16)} vs ${b.slice(0, 16)}`);
        const metadata = (result) => JSON.stringify(result.outputs.map((output) => output.metadata));
        check(metadata(browser) === metadata(native), "sample metadata differ from native");
        // The plots come from the joined result: one PCA point per sample.
        const pca = page.locator("[data-testid='pca-plot']");
        await pca.waitFor({ timeout: 120_000 });
        check((await pca.locator("circle.point").count()) === 330, `PCA points: ${await pca.locator("circle.point").count()}`);
        // Single cell: sparse shares, and a bundle fetched after the helpers started.
        const cells = {
          sampling_strategy: "sample generation",
          inputs: [{ metadata: {}, num_samples: 150 }, { metadata: { tissue_ontology_id: "UBERON:0002048" }, num_samples: 180 }],
          seed: 20261204,
        };
        await page.getByTestId("nav-query").click();
        await page.getByTestId("model-picker").selectOption("synthome-sc-v1");
        await setQuery(page, cells);
        await page.getByTestId("query-valid").waitFor({ timeout: 120_000 });
        await generate(page);
        check((await page.evaluate(() => window.startedWorkers)) === 3, "the single-cell run started new workers");
        const nativeCells = nativeResult("gem-1-sc", cells);
        const browserCells = JSON.parse((await downloadText(page, "json")).text);
        check(browserCells.outputs.length === 330, `${browserCells.outputs.length} cells`);
        check(countsHash(browserCells) === countsHash(nativeCells), "cell counts differ between the split browser run and native");
        check(metadata(browserCells) === metadata(nativeCells), "cell metadata differ from native");
      },
    },
  ];
}
