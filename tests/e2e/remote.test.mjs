// The remote backend against a running `synthome serve` (started here with auth on and this
// page's origin allowed by CORS, stopped by `stopRemoteServers`): the same counts as the
// server's own JSON, plain messages for a wrong key, a rejected query, an unreachable server and
// a CORS-blocked one, "remember" only when ticked, and the curl snippet working as shown
// (and the Python and R snippets, with pysynthbio and rsynthbio).
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { check } from "./harness.mjs";

const ROOT = join(import.meta.dirname, "..", "..");
const KEY = "e2e-secret-key-4821";
const running = [];

const SEEDED = {
  sampling_strategy: "sample generation",
  inputs: [
    { metadata: { tissue_ontology_id: "UBERON:0002107", sex: "female", sample_type: "primary tissue" }, num_samples: 3 },
    { metadata: { tissue_ontology_id: "UBERON:0000955" }, num_samples: 2 },
  ],
  seed: 777,
};

/** A TCP port nobody listens on right now. */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `synthome serve` for the app at `appOrigin`; resolves to its base URL. */
async function startSynthome(appOrigin) {
  const cli = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, "target"), "debug", "synthome");
  check(existsSync(cli), `${cli} is missing: cargo test --workspace (or cargo build -p synthome-cli) builds it`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "synthome-remote-e2e-"));
  const args = ["serve", "--addr", `127.0.0.1:${port}`, "--app-dir", join(ROOT, "dist"), "--data-dir", dataDir];
  args.push("--cors-origin", appOrigin, "--api-keys", KEY, "--max-samples", "50");
  const child = spawn(cli, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => (log += chunk));
  const server = { child, dataDir, url: `http://127.0.0.1:${port}` };
  running.push(server);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    check(child.exitCode === null, `synthome serve exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${server.url}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`synthome serve did not answer /healthz within 60 s:\n${log}`);
}

/** Stops every server this file started. */
export async function stopRemoteServers() {
  for (const server of running.splice(0)) {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        server.child.kill("SIGKILL");
        resolve();
      }, 5_000);
      server.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      if (server.child.exitCode !== null) resolve();
    });
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

let shared = null;
function synthome(appOrigin) {
  shared ??= startSynthome(appOrigin);
  return shared;
}

/** The server's own result JSON for `query`, through its asynchronous API. */
async function serverResult(base, query) {
  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const predict = await fetch(`${base}/api/models/gem-1-bulk/predict`, { method: "POST", headers, body: JSON.stringify(query) });
  check(predict.ok, `predict answered ${predict.status}`);
  const { modelQueryId } = await predict.json();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const status = await (await fetch(`${base}/api/model-queries/${modelQueryId}/status`, { headers })).json();
    if (status.status === "ready") return (await fetch(status.downloadUrl)).json();
    check(status.status !== "failed", `the job failed: ${status.message}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the server's job did not finish within 60 s");
}

function countsHash(result) {
  const hash = createHash("sha256");
  for (const output of result.outputs) hash.update(JSON.stringify(output.counts));
  return hash.digest("hex");
}

async function openReady(page, base) {
  await page.goto(base + "#/query");
  await page.getByTestId("model-ready").waitFor({ timeout: 60_000 });
}

async function useRemote(page, url, key) {
  await page.getByTestId("backend-remote").check();
  await page.getByTestId("remote-base-url").fill(url);
  await page.getByTestId("remote-api-key").fill(key);
}

async function setQuery(page, query) {
  await page.getByTestId("query-json").fill(JSON.stringify(query, null, 2));
}

async function failure(page) {
  const message = page.getByTestId("run-failed");
  await message.waitFor({ timeout: 60_000 });
  return message.innerText();
}

/**
 * Runs `body(page)` in a page of its own whose console may show the browser's own reports of
 * failed requests (expected in these tests); any other console error fails the test.
 */
async function withPage(context, body) {
  const page = await context.newPage();
  const unexpected = [];
  const expected = /Failed to load resource|net::ERR_|blocked by CORS policy|Access-Control-Allow-Origin/;
  page.on("console", (message) => {
    if (message.type() === "error" && !expected.test(message.text())) unexpected.push(message.text());
  });
  page.on("pageerror", (error) => unexpected.push(String(error)));
  try {
    await body(page);
    check(unexpected.length === 0, `console errors:\n${unexpected.join("\n")}`);
  } finally {
    await page.close();
  }
}

export default function remoteTests(base) {
  const appOrigin = new URL(base).origin;
  return [
    {
      name: "remote mode against synthome serve gives the same counts as the server's own JSON",
      async run(page) {
        const server = await synthome(appOrigin);
        await openReady(page, base);
        await useRemote(page, server.url, KEY);
        await setQuery(page, SEEDED);
        await page.getByTestId("generate").click();
        await page.getByTestId("result-summary").waitFor({ timeout: 60_000 });
        check((await page.getByTestId("summary-samples").innerText()) === "5", "not 5 samples");
        const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-json").click()]);
        const browser = JSON.parse(readFileSync(await file.path(), "utf8"));
        const own = await serverResult(server.url, SEEDED);
        check(browser.seed === own.seed && browser.model_id === own.model_id, `seed/model ${browser.seed}/${browser.model_id}`);
        check(browser.bundle_sha256 === own.bundle_sha256, "provenance lost the bundle sha256");
        check(JSON.stringify(browser.gene_symbols) === JSON.stringify(own.gene_symbols), "gene symbols differ");
        const [a, b] = [countsHash(browser), countsHash(own)];
        console.log(`     counts sha256 via the app ${a.slice(0, 16)}… server JSON ${b.slice(0, 16)}…`);
        check(a === b, "the app's remote result differs from the server's JSON");
        await page.getByTestId("nav-query").click();
        const link = await page.getByTestId("share-link").inputValue();
        check(!link.includes(KEY), "the API key is in the share link");
        const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
        check(!stored.includes(KEY), "the key was stored without 'remember'");
      },
    },
    {
      name: "a wrong key shows the 401 message and a rejected query the server's 422 message",
      async run(_page, context) {
        const server = await synthome(appOrigin);
        await withPage(context, async (page) => {
          await openReady(page, base);
          await useRemote(page, server.url, "not-the-key");
          await setQuery(page, SEEDED);
          await page.getByTestId("generate").click();
          const unauthorized = await failure(page);
          check(unauthorized.includes("refused the API key (HTTP 401)"), `401 message: ${unauthorized}`);
          check(!unauthorized.includes("not-the-key"), "the key is in the message");

          await page.getByTestId("remote-api-key").fill(KEY);
          const invalid = structuredClone(SEEDED);
          invalid.inputs[0].num_samples = 60; // over the server's --max-samples 50
          await setQuery(page, invalid);
          await page.getByTestId("generate").click();
          await page.locator("[data-testid='run-failed']:has-text('HTTP 422')").waitFor({ timeout: 60_000 });
          const rejected = await page.getByTestId("run-failed").innerText();
          check(rejected.startsWith("the server rejected the query (HTTP 422): "), `422 message: ${rejected}`);
          check(/\b50\b/.test(rejected), `the server's own message (limit 50) is missing: ${rejected}`);
        });
      },
    },
    {
      name: "an unreachable server and a CORS-blocked one show the clear message with the hint",
      async run(_page, context) {
        const closed = await freePort();
        const noCors = createHttpServer((request, response) => {
          response.writeHead(200, { "content-type": "application/json" });
          response.end('{"modelQueryId":"x"}');
        });
        await new Promise((resolve) => noCors.listen(0, "127.0.0.1", resolve));
        try {
          await withPage(context, async (page) => {
            await openReady(page, base);
            for (const url of [`http://127.0.0.1:${closed}`, `http://127.0.0.1:${noCors.address().port}`]) {
              await useRemote(page, url, KEY);
              await setQuery(page, SEEDED);
              await page.getByTestId("generate").click();
              await page.locator(`[data-testid='run-failed']:has-text('${url}')`).waitFor({ timeout: 40_000 });
              const message = await page.getByTestId("run-failed").innerText();
              check(message.startsWith(`could not reach ${url}`), `message: ${message}`);
              check(message.includes("CORS") && message.includes(`synthome serve --cors-origin ${appOrigin}`), `no hint: ${message}`);
              check(!message.includes(KEY), "the key is in the message");
            }
            await page.getByTestId("remote-check").click();
            await page.locator("[data-testid='remote-check-result'][role='alert']").waitFor({ timeout: 40_000 });
            check((await page.getByTestId("remote-check-result").innerText()).startsWith("could not reach"), "test connection");
          });
        } finally {
          await new Promise((resolve) => noCors.close(resolve));
        }
      },
    },
    {
      name: "remote settings are remembered across a reload only when 'remember' is ticked",
      async run(page) {
        const server = await synthome(appOrigin);
        await openReady(page, base);
        await useRemote(page, server.url, KEY);
        await page.getByTestId("remote-check").click();
        await page.locator("[data-testid='remote-check-result'][role='status']:has-text('Connected')").waitFor({ timeout: 30_000 });
        await page.getByTestId("remote-remember").check();
        await page.reload();
        await page.getByTestId("remote-base-url").waitFor();
        check(await page.getByTestId("backend-remote").isChecked(), "the backend was not remembered");
        check((await page.getByTestId("remote-base-url").inputValue()) === server.url, "the base URL was not remembered");
        check((await page.getByTestId("remote-api-key").inputValue()) === KEY, "the key was not remembered");
        await page.getByTestId("remote-remember").uncheck();
        check((await page.evaluate(() => localStorage.getItem("synthome.remote"))) === null, "unticking did not forget");
        await page.reload();
        await page.getByTestId("page-query").waitFor();
        check(await page.getByTestId("backend-embedded").isChecked(), "settings came back after unticking");
      },
    },
    {
      name: "the curl snippet shown for the remote server runs as shown and gives the same counts",
      async run(page) {
        const missing = ["bash", "curl", "jq"].filter((tool) => {
          try {
            execFileSync("sh", ["-c", `command -v ${tool}`]);
            return false;
          } catch {
            return true;
          }
        });
        if (missing.length > 0) {
          console.log(`     SKIPPED running the curl snippet: ${missing.join(", ")} not installed`);
          return;
        }
        const server = await synthome(appOrigin);
        await openReady(page, base);
        await useRemote(page, server.url, KEY);
        await setQuery(page, SEEDED);
        await page.getByTestId("code-tab-curl").click();
        const code = await page.getByTestId("code-snippet").innerText();
        check(code.includes(`BASE=${server.url}`), `the snippet does not use the server:\n${code}`);
        const dir = mkdtempSync(join(tmpdir(), "synthome-curl-"));
        execFileSync("bash", ["-c", code], { cwd: dir, env: { ...process.env, SYNTHESIZE_API_KEY: KEY }, timeout: 60_000 });
        const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
        const own = await serverResult(server.url, SEEDED);
        check(countsHash(result) === countsHash(own), "the curl snippet's counts differ");
        rmSync(dir, { recursive: true, force: true });
      },
    },
    {
      name: "the Python snippet shown for the remote server runs with pysynthbio and gives the same counts",
      async run(page) {
        const python = pythonWithPysynthbio();
        if (python === null) {
          console.log("     SKIPPED running the Python snippet: no Python with pysynthbio (set SYNTHOME_PYTHON or make .tools/venv)");
          return;
        }
        const server = await synthome(appOrigin);
        await openReady(page, base);
        await useRemote(page, server.url, KEY);
        await setQuery(page, SEEDED);
        await page.getByTestId("code-tab-python").click();
        const code = await page.getByTestId("code-snippet").innerText();
        check(code.includes(`api_base_url="${server.url}"`), `the snippet does not use the server:\n${code}`);
        const program = `${code}\nimport json\nprint(json.dumps(expression.values.tolist()))\n`;
        const env = { ...process.env, SYNTHESIZE_API_KEY: KEY };
        for (const name of ["SYNTHESIZE_SELF_HOSTED", "SYNTHESIZE_API_BASE_URL"]) delete env[name];
        const printed = execFileSync(python, ["-c", program], { env, timeout: 120_000, maxBuffer: 1 << 28 }).toString();
        const rows = JSON.parse(printed.trim().split("\n").pop());
        const own = await serverResult(server.url, SEEDED);
        check(rows.length === own.outputs.length, `${rows.length} rows from pysynthbio`);
        check(JSON.stringify(rows) === JSON.stringify(own.outputs.map((output) => output.counts)), "pysynthbio's counts differ");
      },
    },
    {
      name: "the R snippet shown for the remote server runs with rsynthbio and gives the same counts",
      async run(page) {
        const rscript = rscriptWithRsynthbio();
        if (rscript === null) {
          console.log("     SKIPPED running the R snippet: no Rscript that loads rsynthbio (./x setup installs it into .tools/rlib)");
          return;
        }
        const server = await synthome(appOrigin);
        await openReady(page, base);
        await useRemote(page, server.url, KEY);
        await setQuery(page, SEEDED);
        await page.getByTestId("code-tab-r").click();
        const code = await page.getByTestId("code-snippet").innerText();
        check(code.includes(`api_base_url = '${server.url}'`), `the snippet does not use the server:\n${code}`);
        const program = `${code}\ncat(jsonlite::toJSON(unname(as.matrix(expression))), "\\n")\n`;
        const env = { ...process.env, SYNTHESIZE_API_KEY: KEY, R_LIBS: rLibs() };
        for (const name of ["SYNTHESIZE_SELF_HOSTED", "SYNTHESIZE_API_BASE_URL"]) delete env[name];
        const printed = execFileSync(rscript, ["-e", program], { env, timeout: 120_000, maxBuffer: 1 << 28 }).toString();
        const rows = JSON.parse(printed.trim().split("\n").pop());
        const own = await serverResult(server.url, SEEDED);
        check(rows.length === own.outputs.length, `${rows.length} rows from rsynthbio`);
        check(JSON.stringify(rows) === JSON.stringify(own.outputs.map((output) => output.counts)), "rsynthbio's counts differ");
      },
    },
  ];
}

/** Where ./x installs rsynthbio, before any R_LIBS already set. */
function rLibs() {
  return [join(ROOT, ".tools", "rlib"), process.env.R_LIBS].filter(Boolean).join(":");
}

/** An Rscript that loads rsynthbio (from .tools/rlib or R's own library); else null. */
function rscriptWithRsynthbio() {
  for (const candidate of [process.env.SYNTHOME_RSCRIPT, "Rscript"].filter(Boolean)) {
    try {
      execFileSync(candidate, ["-e", "library(rsynthbio)"], { stdio: "ignore", env: { ...process.env, R_LIBS: rLibs() } });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** A Python that has pysynthbio: $SYNTHOME_PYTHON, the project venv, or python3; else null. */
function pythonWithPysynthbio() {
  const candidates = [process.env.SYNTHOME_PYTHON, join(ROOT, ".tools", "venv", "bin", "python"), "python3"];
  for (const candidate of candidates.filter(Boolean)) {
    try {
      execFileSync(candidate, ["-c", "import pysynthbio, pandas"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}
