// Sharing: a share link opened in a fresh page reproduces identical data (and survives a
// reload), a damaged link says so, "copy as code" follows the current query, and the query
// survives export and import as a .json file.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "./harness.mjs";

async function openReady(page, url) {
  await page.goto(url);
  await page.getByTestId("model-ready").waitFor({ timeout: 60_000 });
}

async function setQuery(page, query) {
  await page.getByTestId("query-json").fill(typeof query === "string" ? query : JSON.stringify(query, null, 2));
}

async function editorQuery(page) {
  return JSON.parse(await page.getByTestId("query-json").inputValue());
}

async function generate(page) {
  await page.getByTestId("generate").click();
  await page.getByTestId("result-summary").waitFor({ timeout: 120_000 });
}

async function download(page, testId) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), path: await file.path() };
}

async function downloadJson(page) {
  return JSON.parse(readFileSync((await download(page, "download-json")).path, "utf8"));
}

function countsHash(result) {
  const hash = createHash("sha256");
  for (const output of result.outputs) hash.update(JSON.stringify(output.counts));
  return hash.digest("hex");
}

function sameJson(a, b) {
  const canonical = (value) =>
    JSON.stringify(value, (_, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
  return canonical(a) === canonical(b);
}

// No seed: the link must take the seed the run used.
const UNSEEDED = {
  sampling_strategy: "sample generation",
  inputs: [
    { metadata: { tissue_ontology_id: "UBERON:0002107", sex: "male" }, num_samples: 3 },
    { metadata: { tissue_ontology_id: "UBERON:0000955" }, num_samples: 2 },
  ],
};

export default function shareTests(base) {
  return [
    {
      name: "a share link opened in a fresh page reproduces identical data and survives a reload",
      async run(page, context) {
        await openReady(page, base + "#/query");
        await setQuery(page, UNSEEDED);
        await page.getByTestId("query-valid").waitFor();
        await generate(page);
        const original = await downloadJson(page);
        await page.getByTestId("nav-query").click();
        const note = await page.getByTestId("share-seed-note").innerText();
        check(note.includes(`seed ${original.seed}`), `the link does not fix the run's seed ${original.seed}: ${note}`);
        const link = await page.getByTestId("share-link").inputValue();
        const fragment = link.slice(link.indexOf("#"));
        console.log(`     share link for a 2-condition query: ${fragment.length} characters of fragment`);
        check(link.startsWith(base) && fragment.startsWith("#/query?m=gem-1-bulk&v="), `link ${link}`);

        const fresh = await context.newPage();
        const errors = [];
        fresh.on("console", (message) => message.type() === "error" && errors.push(message.text()));
        fresh.on("pageerror", (error) => errors.push(String(error)));
        try {
          await openReady(fresh, link);
          await fresh.getByTestId("share-link-loaded").waitFor();
          const loaded = await editorQuery(fresh);
          check(loaded.seed === original.seed, `the opened link has seed ${loaded.seed}, the run used ${original.seed}`);
          delete loaded.seed;
          check(sameJson(loaded, UNSEEDED), `the opened link has another query: ${JSON.stringify(loaded)}`);
          await fresh.reload();
          await fresh.getByTestId("page-query").waitFor();
          await fresh.getByTestId("model-ready").waitFor({ timeout: 60_000 });
          await fresh.getByTestId("share-link-loaded").waitFor();
          check((await editorQuery(fresh)).seed === original.seed, "the shared query did not survive a reload");
          await generate(fresh);
          const again = await downloadJson(fresh);
          check(again.seed === original.seed, `seed ${again.seed} instead of ${original.seed}`);
          const [a, b] = [countsHash(original), countsHash(again)];
          console.log(`     counts sha256 original ${a.slice(0, 16)}… from the link ${b.slice(0, 16)}…`);
          check(a === b, "the share link reproduced different counts");
          check(errors.length === 0, `console errors in the fresh page:\n${errors.join("\n")}`);
        } finally {
          await fresh.close();
        }
      },
    },
    {
      name: "a damaged share link shows a clear message and leaves the editor usable",
      async run(page) {
        await openReady(page, base + "#/query");
        await setQuery(page, { ...UNSEEDED, seed: 5 });
        const link = await page.getByTestId("share-link").inputValue();
        await page.goto(link.slice(0, link.length - 24));
        const error = page.getByTestId("share-link-error");
        await error.waitFor();
        const text = await error.innerText();
        check(text.includes("damaged") && text.includes("cut off"), `message: ${text}`);
        await page.getByTestId("model-ready").waitFor({ timeout: 60_000 });
        check(await page.getByTestId("query-json").isEditable(), "the editor is not usable");
      },
    },
    {
      name: "copy as code shows the current query for Python, R and curl, and copies it",
      async run(page, context) {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(base).origin });
        await openReady(page, base + "#/query");
        await setQuery(page, { ...UNSEEDED, seed: 42 });
        const snippet = page.getByTestId("code-snippet");
        await page.getByTestId("code-tab-python").click();
        let code = await snippet.innerText();
        check(code.includes("import pysynthbio"), `python:\n${code}`);
        check(code.includes('pysynthbio.predict_query(\n    query=query,\n    model_id="gem-1-bulk",'), `python call:\n${code}`);
        check(code.includes('"UBERON:0002107"') && code.includes('"seed": 42'), `python query:\n${code}`);

        await setQuery(page, { ...UNSEEDED, seed: 43, inputs: [{ metadata: { tissue_ontology_id: "UBERON:0000955" }, num_samples: 1 }] });
        code = await snippet.innerText();
        check(code.includes('"seed": 43') && !code.includes("UBERON:0002107"), `python did not follow the edit:\n${code}`);

        await page.getByTestId("code-tab-r").click();
        code = await snippet.innerText();
        check(code.includes("library(rsynthbio)") && code.includes("predict_query(query, model_id = 'gem-1-bulk')"), `r:\n${code}`);
        check(code.includes('"seed": 43'), `r query:\n${code}`);

        await page.getByTestId("code-tab-curl").click();
        code = await snippet.innerText();
        check(code.includes("BASE=https://app.synthesize.bio") && code.includes("/api/models/$MODEL/predict"), `curl:\n${code}`);
        check(code.includes("Authorization: Bearer $SYNTHESIZE_API_KEY") && code.includes("sleep 2"), `curl auth/poll:\n${code}`);

        await page.getByTestId("copy-code").click();
        await page.getByTestId("copy-status").waitFor();
        check((await page.getByTestId("copy-status").innerText()) === "Copied.", "copy did not report success");
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        check(copied === code, "the clipboard does not hold the shown code");
      },
    },
    {
      name: "the query survives export and import as a .json file; a bad file is refused plainly",
      async run(page) {
        await openReady(page, base + "#/query");
        const query = { ...UNSEEDED, seed: 7, total_count: 2_000_000 };
        await setQuery(page, query);
        const exported = await download(page, "export-query");
        check(/^synthome-query_gem-1-bulk_.*\.json$/.test(exported.name), `file name ${exported.name}`);
        check(sameJson(JSON.parse(readFileSync(exported.path, "utf8")), query), "the exported file is not the query");

        await setQuery(page, "{}");
        const dir = mkdtempSync(join(tmpdir(), "synthome-import-"));
        const file = join(dir, "my-query.json");
        writeFileSync(file, readFileSync(exported.path));
        await page.getByTestId("import-query").setInputFiles(file);
        await page.getByTestId("query-file-message").waitFor();
        check(sameJson(await editorQuery(page), query), "the imported query differs from the exported one");
        check((await page.getByTestId("query-file-message").innerText()).includes("my-query.json"), "no import message");

        const bad = join(dir, "notes.json");
        writeFileSync(bad, "these are not JSON");
        await page.getByTestId("import-query").setInputFiles(bad);
        await page.locator("[data-testid='query-file-message'][role='alert']").waitFor();
        const message = await page.getByTestId("query-file-message").innerText();
        check(message.startsWith("notes.json is not JSON"), `message: ${message}`);
        check(sameJson(await editorQuery(page), query), "a bad file changed the editor");
      },
    },
  ];
}
