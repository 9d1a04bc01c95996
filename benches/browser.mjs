// Browser benchmark: time from page load to a ready model and to the first result of the
// example query; for 1,000 bulk samples x all genes (each strategy) and 10,000 cells, the
// worker's time (of the longest share when the generation is split across workers), the
// click to the summary and downloads shown, and the click to every plot
// drawn (the plots' statistics come from the worker after the counts); Chromium's memory
// (all its processes' RSS and PSS) after load, after the bulk runs and after the cells; and, when
// target/release/synthome exists, the native CLI on the same shapes; and how the 1,000-sample
// generation scales with the workers it is split across (navigator.hardwareConcurrency set to
// 1, 2 and 4 on the page: the app splits by it, the machine has what it has). Medians of RUNS
// runs.
// Serves dist/ (build it first: trunk build --release) and prints a Markdown table.
//   node benches/browser.mjs            (RUNS=3 by default)
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveStatic } from "../tests/e2e/static-server.mjs";

const ROOT = join(import.meta.dirname, "..");
const RUNS = Number(process.env.RUNS ?? 3);
const PLOTS = ["pca-plot", "heatmap-plot", "library-size-plot", "gene-plot"];
// A single-cell result also draws its UMAP (the worker's last message).
const CELL_PLOTS = [...PLOTS, "umap-plot"];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Chromium's memory over all its processes, in MB: RSS (each process's resident pages,
// counting the pages they share, such as Chromium's own code, once per process) and PSS
// (shared pages divided among their sharers: what the processes cost together).
function chromiumMemoryMb() {
  const out = execFileSync("ps", ["-C", "chromium", "-o", "pid=,rss="]).toString();
  let rss = 0;
  let pss = 0;
  for (const line of out.split("\n").filter(Boolean)) {
    const [pid, kb] = line.trim().split(/\s+/);
    rss += Number(kb);
    try {
      pss += Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch {
      // The process ended between ps and the read.
    }
  }
  return { rss: rss / 1024, pss: pss / 1024 };
}

async function runQuery(page, model, query, plotIds) {
  await page.getByTestId("nav-query").click();
  await page.getByTestId("model-picker").selectOption(model);
  await page.getByTestId("query-json").fill(JSON.stringify(query));
  await page.getByTestId("query-valid").waitFor();
  const clicked = Date.now();
  await page.getByTestId("generate").click();
  await page.getByTestId("result-summary").waitFor({ timeout: 300_000 });
  const summary = Date.now() - clicked;
  for (const id of plotIds) await page.locator(`[data-testid='${id}']`).waitFor({ timeout: 300_000 });
  const plots = Date.now() - clicked;
  const worker = parseFloat(await page.getByTestId("summary-time").innerText());
  const genes = await page.getByTestId("summary-genes").innerText();
  return { worker, summary, plots, genes };
}

function nativeMs(model, query) {
  const cli = join(ROOT, "target", "release", "synthome");
  if (!existsSync(cli)) return null;
  const dir = mkdtempSync(join(tmpdir(), "synthome-bench-"));
  writeFileSync(join(dir, "q.json"), JSON.stringify(query));
  const times = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = Date.now();
    execFileSync(cli, ["generate", "--model", model, "--query", join(dir, "q.json"), "--format", "csv", "--out", join(dir, "out")]);
    times.push(Date.now() - started);
  }
  return median(times);
}

const dist = join(ROOT, "dist");
const server = await serveStatic(dist, "/bench/");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const rows = [];
const bulk = (strategy) => ({ sampling_strategy: strategy, seed: 1, inputs: [{ metadata: {}, num_samples: 1000 }] });
const cells = { sampling_strategy: "sample generation", seed: 1, inputs: [{ metadata: {}, num_samples: 10000 }] };
try {
  // What Chromium itself takes (a blank page), before the app's first load.
  const blank = await browser.newPage();
  const blankMemory = chromiumMemoryMb();
  await blank.close();
  const loads = [];
  const firsts = [];
  for (let run = 0; run < RUNS; run += 1) {
    const page = await browser.newPage();
    const started = Date.now();
    await page.goto(server.url + "#/query");
    await page.getByTestId("model-ready").waitFor({ timeout: 120_000 });
    loads.push(Date.now() - started);
    await page.getByTestId("load-example").click();
    await page.getByTestId("generate").click();
    await page.getByTestId("result-summary").waitFor({ timeout: 120_000 });
    firsts.push(Date.now() - started);
    await page.close();
  }
  rows.push(["cold page load to embedded model ready", `${median(loads)} ms`]);
  rows.push(["cold page load to first result (example query)", `${median(firsts)} ms`]);

  const page = await browser.newPage();
  await page.goto(server.url + "#/query");
  await page.getByTestId("model-ready").waitFor({ timeout: 120_000 });
  const memory = [["with a blank page", blankMemory], ["after load", chromiumMemoryMb()]];
  const shapes = [
    ["1,000 x GENES sample generation", "synthome-bulk-v1", bulk("sample generation"), "gem-1-bulk", PLOTS],
    ["1,000 x GENES mean estimation", "synthome-bulk-v1", bulk("mean estimation"), "gem-1-bulk", PLOTS],
    ["10,000 cells x GENES sample generation", "synthome-sc-v1", cells, "gem-1-sc", CELL_PLOTS],
  ];
  for (const [label, model, query, cliModel, plots] of shapes) {
    const results = [];
    for (let run = 0; run < RUNS; run += 1) results.push(await runQuery(page, model, query, plots));
    const name = label.replace("GENES", results[0].genes);
    rows.push([`${name}: worker time`, `${median(results.map((r) => r.worker))} ms`]);
    rows.push([`${name}: click to summary and downloads`, `${median(results.map((r) => r.summary))} ms`]);
    rows.push([`${name}: click to every plot drawn`, `${median(results.map((r) => r.plots))} ms`]);
    const native = nativeMs(cliModel, query);
    if (native !== null) rows.push([`${name}: native CLI (generate, CSV to disk)`, `${native} ms`]);
    memory.push([`after ${RUNS} runs of ${name}`, chromiumMemoryMb()]);
  }
  // Helper workers idle for 30 s are stopped (src/backend/embedded/split.rs, IDLE_MS).
  await page.waitForTimeout(33_000);
  memory.push(["33 s after the last run (idle helper workers stopped)", chromiumMemoryMb()]);
  await page.close();
  // Scaling: the app splits a generation across min(hardwareConcurrency, 4) workers.
  const cores = await browser.newPage().then(async (probe) => {
    const value = await probe.evaluate(() => navigator.hardwareConcurrency);
    await probe.close();
    return value;
  });
  for (const reported of [1, 2, 4]) {
    const scaled = await browser.newPage();
    await scaled.addInitScript((value) => {
      Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => value });
    }, reported);
    await scaled.goto(server.url + "#/query");
    await scaled.getByTestId("model-ready").waitFor({ timeout: 120_000 });
    const results = [];
    for (let run = 0; run < RUNS; run += 1) results.push(await runQuery(scaled, "synthome-bulk-v1", bulk("sample generation"), PLOTS));
    const name = `1,000 x ${results[0].genes} sample generation, hardwareConcurrency ${reported} (machine: ${cores})`;
    rows.push([`${name}: click to summary and downloads`, `${median(results.map((r) => r.summary))} ms`]);
    rows.push([`${name}: click to every plot drawn`, `${median(results.map((r) => r.plots))} ms`]);
    await scaled.close();
  }
  for (const [when, mb] of memory) {
    rows.push([`Chromium memory (RSS / PSS, all processes) ${when}`, `${mb.rss.toFixed(0)} / ${mb.pss.toFixed(0)} MB`]);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`| measurement (median of ${RUNS}) | value |\n|---|---|`);
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
