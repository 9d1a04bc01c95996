// The app shell: it mounts, every view is reachable by click and by URL, routes survive a
// reload, and it looks right on a laptop and a phone.
import { join } from "node:path";
import { ARTIFACTS, check } from "./harness.mjs";
import { serveStatic } from "./static-server.mjs";

const VIEWS = ["query", "results", "your-data", "models", "about"];

async function openApp(page, base, fragment = "") {
  await page.goto(base + fragment);
  await page.getByTestId("main").waitFor();
}

async function currentView(page) {
  const testId = await page.locator("[data-testid^='page-']").first().getAttribute("data-testid");
  return testId.replace("page-", "");
}

export default function shellTests(base) {
  return [
    {
      name: "after a first visit the app opens and generates with the server gone",
      async run(page) {
        // A server of its own, stopped half-way: offline for real, for the page and its worker.
        const own = await serveStatic(join(import.meta.dirname, "..", "..", "dist"), "/offline/synthome/");
        try {
          await page.goto(own.url + "#/query");
          await page.getByTestId("model-ready").waitFor({ timeout: 120_000 });
          check(await page.evaluate(async () => Boolean(await navigator.serviceWorker.ready)), "no service worker");
          // The first load ran before the worker took control: a second one goes through it,
          // and a generation makes sure the generation worker's own files have arrived too.
          await page.reload();
          await page.getByTestId("model-ready").waitFor({ timeout: 120_000 });
          check(await page.evaluate(() => navigator.serviceWorker.controller !== null), "the page is not controlled");
          await page.getByTestId("load-example").click();
          await page.getByTestId("generate").click();
          await page.getByTestId("result-summary").waitFor({ timeout: 120_000 });
        } finally {
          await own.close();
        }
        await page.reload();
        await page.getByTestId("nav-query").click();
        await page.getByTestId("model-ready").waitFor({ timeout: 120_000 });
        await page.getByTestId("load-example").click();
        await page.getByTestId("generate").click();
        await page.getByTestId("result-summary").waitFor({ timeout: 120_000 });
        const served = await page.evaluate(() => fetch("./").then((r) => r.ok, () => false));
        check(served, "the page itself is not answered from the cache");
      },
    },
    {
      name: "a generation worker whose WebAssembly does not load says so instead of waiting",
      async run(page) {
        const own = await serveStatic(join(import.meta.dirname, "..", "..", "dist"), "/damaged/synthome/", {
          "worker_bg.wasm": Buffer.from("this is not WebAssembly"),
        });
        try {
          await page.goto(own.url + "#/query");
          await page.getByTestId("model-ready").waitFor({ timeout: 120_000 });
          const failed = page.getByTestId("run-failed");
          await failed.waitFor({ timeout: 60_000 });
          const reason = await failed.innerText();
          check(/generation worker stopped/.test(reason) && /WebAssembly did not load/.test(reason), `load failure reads: ${reason}`);
          // Generating starts a new worker, which fails the same way: the run ends with the
          // reason, it does not spin forever.
          await page.getByTestId("load-example").click();
          await page.getByTestId("query-valid").waitFor();
          const first = await failed.elementHandle();
          await page.getByTestId("generate").click();
          await page.waitForFunction((node) => !node.isConnected, first);
          await failed.waitFor({ timeout: 60_000 });
          check(/WebAssembly did not load/.test(await failed.innerText()), `run failure reads: ${await failed.innerText()}`);
          check((await page.getByTestId("result-summary").count()) === 0, "a result appeared from a worker that did not load");
        } finally {
          await own.close();
        }
      },
    },
    {
      name: "the app mounts with its title, header, navigation and footer",
      async run(page) {
        await openApp(page, base);
        check((await page.title()) === "Synthome", `title is ${await page.title()}`);
        check(await page.locator(".site-header .brand-name").innerText() === "Synthome", "brand missing");
        check((await page.locator(".site-nav a").count()) === VIEWS.length, "nav links missing");
        check(await page.locator(".site-footer").isVisible(), "footer not visible");
        check((await currentView(page)) === "query", "default view is not the query editor");
      },
    },
    {
      name: "each view is reachable by clicking the navigation, and the URL follows",
      async run(page) {
        await openApp(page, base);
        for (const view of [...VIEWS].reverse()) {
          await page.getByTestId(`nav-${view}`).click();
          await page.getByTestId(`page-${view}`).waitFor();
          check(new URL(page.url()).hash === `#/${view}`, `URL after clicking ${view}: ${page.url()}`);
          const current = await page.getByTestId(`nav-${view}`).getAttribute("aria-current");
          check(current === "page", `nav-${view} not marked current`);
        }
      },
    },
    {
      name: "each view is reachable by URL and survives a reload",
      async run(page) {
        for (const view of VIEWS) {
          await openApp(page, base, `#/${view}`);
          check((await currentView(page)) === view, `#/${view} shows ${await currentView(page)}`);
          await page.reload();
          await page.getByTestId(`page-${view}`).waitFor();
        }
      },
    },
    {
      name: "back and forward move between views",
      async run(page) {
        await openApp(page, base, "#/about");
        await page.getByTestId("nav-models").click();
        await page.getByTestId("page-models").waitFor();
        await page.goBack();
        await page.getByTestId("page-about").waitFor();
        await page.goForward();
        await page.getByTestId("page-models").waitFor();
      },
    },
    {
      name: "every view fits a 390 px wide phone screen without horizontal scrolling",
      async run(page) {
        await page.setViewportSize({ width: 390, height: 844 });
        for (const view of VIEWS) {
          await openApp(page, base, `#/${view}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          check(overflow <= 0, `#/${view} overflows by ${overflow}px at 390px`);
          await page.screenshot({ path: join(ARTIFACTS, `${view}-390x844.png`), fullPage: true });
        }
      },
    },
    {
      name: "screenshots of every view at 1280x800",
      async run(page) {
        for (const view of VIEWS) {
          await openApp(page, base, `#/${view}`);
          await page.screenshot({ path: join(ARTIFACTS, `${view}-1280x800.png`), fullPage: true });
        }
      },
    },
  ];
}
