// Browser benchmark: time from page load to a ready model and to the first result of the
// example query, and generation of 1,000 samples x all genes in the worker, for each strategy.
// Serves dist/ (build it first: trunk build --release) and prints a Markdown table.
//   node benches/browser.mjs
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveStatic } from "../tests/e2e/static-server.mjs";

const dist = join(import.meta.dirname, "..", "dist");
const server = await serveStatic(dist, "/bench/");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const rows = [];
try {
  const page = await browser.newPage();
  const started = Date.now();
  await page.goto(server.url + "#/query");
  await page.getByTestId("model-ready").waitFor({ timeout: 120_000 });
  rows.push(["page load to embedded models ready", `${Date.now() - started} ms`]);
  await page.getByTestId("load-example").click();
  const example = Date.now();
  await page.getByTestId("generate").click();
  await page.getByTestId("result-summary").waitFor({ timeout: 120_000 });
  rows.push(["example query: Generate click to result shown", `${Date.now() - example} ms`]);
  rows.push(["page load to first result", `${Date.now() - started} ms`]);
  for (const strategy of ["sample generation", "mean estimation"]) {
    await page.getByTestId("nav-query").click();
    const query = { sampling_strategy: strategy, seed: 1, inputs: [{ metadata: {}, num_samples: 1000 }] };
    await page.getByTestId("query-json").fill(JSON.stringify(query));
    await page.getByTestId("query-valid").waitFor();
    const clicked = Date.now();
    await page.getByTestId("generate").click();
    await page.getByTestId("result-summary").waitFor({ timeout: 300_000 });
    const wall = Date.now() - clicked;
    const worker = await page.getByTestId("summary-time").innerText();
    const genes = await page.getByTestId("summary-genes").innerText();
    rows.push([`1,000 x ${genes} ${strategy}: worker time`, worker]);
    rows.push([`1,000 x ${genes} ${strategy}: click to viewer shown`, `${wall} ms`]);
  }
  await page.getByTestId("nav-query").click();
  await page.getByTestId("model-picker").selectOption("synthome-sc-v1");
  const cells = { sampling_strategy: "sample generation", seed: 1, inputs: [{ metadata: {}, num_samples: 10000 }] };
  await page.getByTestId("query-json").fill(JSON.stringify(cells));
  await page.getByTestId("query-valid").waitFor();
  const clicked = Date.now();
  await page.getByTestId("generate").click();
  await page.getByTestId("result-summary").waitFor({ timeout: 300_000 });
  const genes = await page.getByTestId("summary-genes").innerText();
  rows.push([`10,000 cells x ${genes} sample generation (single cell): worker time`, await page.getByTestId("summary-time").innerText()]);
  rows.push([`10,000 cells single cell: click to viewer shown (PCA, plots)`, `${Date.now() - clicked} ms`]);
} finally {
  await browser.close();
  await server.close();
}
console.log("| measurement | value |\n|---|---|");
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
