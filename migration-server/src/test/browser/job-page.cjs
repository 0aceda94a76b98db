// The job page in headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core: submit a job and
// watch its bar reach 100 %, cancel a queued one and resume it, open a job's detail, keep a screenshot.
// Env: BASE_URL, TOKEN, CONFIG_OK, CONFIG_CANCEL, SECRET (must never show), SCREENSHOT, CHROMIUM, PLAYWRIGHT_CORE.
"use strict";
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(120000);
    const errors = [];
    page.on("pageerror", e => errors.push(String(e)));
    await page.goto(process.env.BASE_URL + "/");
    await page.fill("#token", process.env.TOKEN);
    await page.dispatchEvent("#token", "change");

    async function submit(id, config) {
      await page.fill("#config", config);
      await page.fill("#jobId", id);
      await page.click("#submit");
      await page.waitForSelector(`#job-${id}`);
      if ((await page.inputValue("#config")).includes(process.env.SECRET)) {
        throw new Error("the submitted config, with its password, is still on the page");
      }
    }
    const state = id => page.textContent(`#job-${id} .state`);
    async function waitState(id, wanted) {
      await page.waitForFunction(([id, wanted]) => {
        const e = document.querySelector(`#job-${id} .state`);
        return e && wanted.includes(e.textContent);
      }, [id, wanted], { polling: 200 });
      return state(id);
    }

    await submit("page-ok", process.env.CONFIG_OK);
    await submit("page-cancel", process.env.CONFIG_CANCEL);   // queued: the server runs one job at a time
    console.log("page-cancel is " + await state("page-cancel"));
    await page.click("#job-page-cancel button:has-text('Cancel')");
    console.log("page-cancel is " + await waitState("page-cancel", ["CANCELLED"]));

    await page.waitForSelector("#job-page-ok .bar[data-progress='100']");
    console.log("page-ok is " + await waitState("page-ok", ["SUCCEEDED"]) + " at "
      + await page.getAttribute("#job-page-ok .bar", "data-progress") + " %");

    await page.click("#job-page-cancel button:has-text('Resume')");
    console.log("page-cancel is " + await waitState("page-cancel", ["SUCCEEDED"]) + " after resume");

    await page.click("#job-page-ok td.id");
    await page.waitForSelector("#detail h3");
    await page.waitForFunction(() => document.querySelector("#detail").textContent.includes("COMMITTED"));
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    const text = await page.textContent("body");
    const html = await page.content() + await page.inputValue("#config");
    if (text.includes(process.env.SECRET) || html.includes(process.env.SECRET)) {
      throw new Error("the page shows a secret");
    }
    if (errors.length) throw new Error("script errors on the page: " + errors.join("; "));
    console.log("job page test passed; screenshot " + process.env.SCREENSHOT);
  } finally {
    await browser.close();
  }
}

main().catch(e => { console.error(e && e.stack || String(e)); process.exit(1); });
