// The "Your data" view: a counts table (made in the test from samples the app generated for a
// known tissue, written as genes x samples TSV with versioned Ensembl ids) is aligned in the
// worker, its samples' tissue is predicted, and one sample conditions a new run that opens in
// the result viewer; an h5ad file is read too, bad files name what was wrong, and the
// single-cell model is turned away.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { check } from "./harness.mjs";

const LIVER = "UBERON:0002107";
const LIVER_QUERY = {
  sampling_strategy: "sample generation",
  inputs: [{ metadata: { tissue_ontology_id: LIVER, sex: "female", sample_type: "primary tissue" }, num_samples: 3 }],
  seed: 20261202,
};

async function openReady(page, base) {
  await page.goto(base + "#/query");
  await page.getByTestId("model-ready").waitFor({ timeout: 60_000 });
}

/** Generates LIVER_QUERY in the app and downloads one of its files (bytes). */
async function generatedFile(page, slug) {
  await page.getByTestId("query-json").fill(JSON.stringify(LIVER_QUERY, null, 2));
  await page.getByTestId("generate").click();
  await page.getByTestId("result-summary").waitFor({ timeout: 120_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`download-${slug}`).click()]);
  return readFileSync(await download.path());
}

/** A samples x genes CSV as a genes x samples TSV whose Ensembl ids carry a version. */
function genesBySamples(csv) {
  const rows = csv.trim().split("\n").map((line) => line.split(","));
  const [header, ...samples] = rows;
  const lines = ["gene_id\t" + samples.map((row) => row[0]).join("\t")];
  for (let gene = 1; gene < header.length; gene += 1) {
    lines.push(`${header[gene]}.7\t` + samples.map((row) => row[gene]).join("\t"));
  }
  return lines.join("\n") + "\n";
}

async function upload(page, name, buffer) {
  await page.getByTestId("counts-file").setInputFiles({ name, mimeType: "application/octet-stream", buffer });
}

async function matched(page) {
  const cell = page.getByTestId("genes-matched");
  await cell.waitFor({ timeout: 60_000 });
  return { matched: Number(await cell.getAttribute("data-matched")), total: Number(await cell.getAttribute("data-total")) };
}

export default function yourDataTests(base) {
  return [
    {
      name: "your data: a counts table is aligned, its tissue predicted, and a sample conditions a run",
      async run(page) {
        await openReady(page, base);
        const csv = (await generatedFile(page, "expression-csv")).toString("utf8");
        await page.getByTestId("nav-your-data").click();
        await upload(page, "liver_counts.tsv", Buffer.from(genesBySamples(csv)));
        const genes = await matched(page);
        check(genes.matched === genes.total && genes.total > 15_000, `genes matched ${genes.matched} of ${genes.total}`);
        check((await page.getByTestId("samples-found").innerText()) === "3", "samples found");
        check((await page.getByTestId("orientation").innerText()).startsWith("genes are rows"), "orientation");

        await page.getByTestId("predict").click();
        const rows = page.getByTestId("prediction-row");
        await rows.nth(2).waitFor({ timeout: 180_000 });
        for (let index = 0; index < 3; index += 1) {
          const tissue = await rows.nth(index).locator("td[data-key='tissue_ontology_id']").getAttribute("data-value");
          check(tissue === LIVER, `sample ${index} predicted as ${tissue}`);
        }
        const bars = page.locator("[data-testid='probabilities-tissue_ontology_id']");
        await bars.waitFor();
        const first = await bars.locator("rect.bar").first().getAttribute("data-label");
        check(first.includes(LIVER), `the first tissue bar is ${first}`);
        await rows.nth(1).click();
        const second = await rows.nth(1).getAttribute("data-sample");
        check((await page.getByTestId("bars-sample").innerText()).includes(second), "selecting a row shows its bars");

        await page.getByTestId("perturbation-search").fill("imatinib");
        const hit = page.getByTestId("perturbation-hit").first();
        await hit.waitFor();
        const id = await hit.getAttribute("data-id");
        await hit.click();
        check((await page.getByTestId("perturbation-id").inputValue()) === id, "the hit fills the perturbation id");
        await page.getByTestId("perturbation-dose").fill("10 um");
        await page.getByTestId("perturbation-time").fill("24 hours");
        await page.getByTestId("reference-count").fill("4");
        await page.getByTestId("condition").click();
        const plot = page.locator("[data-testid='reference-plot']");
        await page.locator("[data-testid='reference-plot'], [data-testid='your-data-error']").first().waitFor({ timeout: 120_000 });
        const failure = page.getByTestId("your-data-error");
        check((await failure.count()) === 0, `conditioning failed: ${await failure.innerText().catch(() => "")}`);
        check(Number(await plot.getAttribute("data-n-genes")) > 10_000, "the comparison plot has the expressed genes");
        check((await page.getByTestId("reference-summary").innerText()).startsWith("4 generated samples"), "reference summary");
        await page.screenshot({ path: join(import.meta.dirname, "artifacts", "your-data-1280x800.png"), fullPage: true });
        await page.getByTestId("open-results").click();
        await page.getByTestId("result-summary").waitFor();
        check((await page.getByTestId("summary-samples").innerText()) === "4", "the viewer shows the 4 conditioned samples");
        await page.locator("[data-testid='metadata-table']").waitFor();
        check((await page.locator("[data-testid='metadata-table']").innerText()).includes(id), "the samples carry the perturbation");
      },
    },
    {
      name: "your data: an h5ad file is read and bad files say what was wrong",
      async run(page) {
        await openReady(page, base);
        const h5ad = await generatedFile(page, "h5ad");
        await page.getByTestId("nav-your-data").click();
        await upload(page, "liver.h5ad", h5ad);
        const genes = await matched(page);
        check(genes.matched > 15_000, `h5ad genes matched: ${genes.matched}`);
        check((await page.getByTestId("orientation").innerText()).startsWith("samples are rows"), "h5ad orientation");
        const error = page.getByTestId("your-data-error");
        const cases = [
          ["notes.csv", "name,value\nfoo,1\n", "notes.csv: no gene of the table matches the model's genes"],
          ["empty.tsv", "", "empty.tsv is empty"],
          ["negative.csv", "gene,s1\nTP53,-4\n", "negative.csv: line 2, column 2: -4 is negative"],
        ];
        for (const [name, text, expected] of cases) {
          await upload(page, name, Buffer.from(text));
          await page.waitForFunction(
            (want) => document.querySelector("[data-testid='your-data-error']")?.textContent.includes(want),
            expected,
          );
          check((await page.getByTestId("table-summary").count()) === 0, `a summary is shown after ${name}`);
        }
        check((await error.innerText()).includes("negative"), "the last error stays");
      },
    },
    {
      name: "your data: the single-cell model is turned away with the reason",
      async run(page) {
        await openReady(page, base);
        const picker = page.getByTestId("model-picker");
        await page.waitForFunction(() => [...document.querySelectorAll("[data-testid='model-picker'] option")].some((o) => o.value === "synthome-sc-v1"), null, { timeout: 120_000 });
        await picker.selectOption("synthome-sc-v1");
        await page.getByTestId("nav-your-data").click();
        const notice = page.getByTestId("needs-bulk");
        await notice.waitFor();
        check((await notice.innerText()).includes("needs the bulk model"), "notice text");
        await page.getByTestId("use-bulk").click();
        await page.getByTestId("drop-zone").waitFor();
      },
    },
  ];
}
