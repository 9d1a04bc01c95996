// End-to-end suite: serves the release build (dist/) under a sub-path on 127.0.0.1 and drives it
// with playwright-core in Debian's Chromium. Ends with `N passed, N failed`; exit code 1 on failure.
// `node tests/e2e/run.mjs [filter]` runs only the tests whose name contains `filter`.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runTests } from "./harness.mjs";
import { serveStatic } from "./static-server.mjs";
import generateTests from "./generate.test.mjs";
import remoteTests, { stopRemoteServers } from "./remote.test.mjs";
import shareTests from "./share.test.mjs";
import shellTests from "./shell.test.mjs";
import yourDataTests from "./your-data.test.mjs";

const dist = join(import.meta.dirname, "..", "..", "dist");
if (!existsSync(join(dist, "index.html"))) {
  console.error("dist/index.html is missing: run `trunk build --release` first (./x test does)");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const server = await serveStatic(dist, "/hosted/synthome/");
console.log(`serving dist/ at ${server.url}`);
let failures = 1;
try {
  const filter = process.argv[2] ?? "";
  const tests = [
    ...shellTests(server.url),
    ...generateTests(server.url),
    ...shareTests(server.url),
    ...remoteTests(server.url),
    ...yourDataTests(server.url),
  ].filter((test) => test.name.includes(filter));
  failures = await runTests(tests);
} finally {
  await stopRemoteServers();
  await server.close();
}
process.exit(failures === 0 ? 0 : 1);
