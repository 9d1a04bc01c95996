// A minimal test harness for the end-to-end suite: named tests, one fresh page each, console
// errors collected and failing the test, a closing line `N passed, N failed`.
import { mkdtemp, rm, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const ARTIFACTS = join(import.meta.dirname, "artifacts");

/** Runs `tests` ([{ name, run(page, context) }]) against a fresh Chromium; returns the failure count. */
export async function runTests(tests, { viewport = { width: 1280, height: 800 } } = {}) {
  await mkdir(ARTIFACTS, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), "synthome-e2e-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    acceptDownloads: true,
  });
  let passed = 0;
  let failed = 0;
  for (const test of tests) {
    const page = await browser.newPage();
    const consoleErrors = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    const started = Date.now();
    try {
      await test.run(page, browser);
      if (consoleErrors.length > 0) throw new Error("console errors:\n  " + consoleErrors.join("\n  "));
      passed += 1;
      console.log(`ok   ${test.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${test.name}\n     ${String(error?.stack ?? error).split("\n").join("\n     ")}`);
      await page.screenshot({ path: join(ARTIFACTS, `failed-${slug(test.name)}.png`) }).catch(() => {});
    } finally {
      await page.close();
    }
  }
  await browser.close();
  await rm(profile, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

/** A file-name-safe form of a test name. */
export function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** Throws with `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}
