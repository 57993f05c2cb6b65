// Drives headless Chromium over its DevTools pipe (--remote-debugging-pipe:
// JSON messages, NUL-separated, on file descriptors 3 and 4; no network,
// no packages): opens a rendered runbook.html, ticks its first two steps,
// fills a sign-off, reloads, reads the page's state back, and clicks
// "Export progress" with downloads going to DOWNLOADS.
//
//   node checklist.js RUNBOOK.html DOWNLOADS PROFILE
//
// Prints one JSON object: {before, after, exported}.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const [html, downloads, profile] = process.argv.slice(2);
const chrome = spawn(
  "chromium",
  [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    `--user-data-dir=${profile}`, "--remote-debugging-pipe", "about:blank",
  ],
  { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
);
const toChrome = chrome.stdio[3];
const fromChrome = chrome.stdio[4];
let nextId = 1;
const waiting = new Map();
let buffer = "";
fromChrome.on("data", (chunk) => {
  buffer += chunk.toString("utf8");
  let end;
  while ((end = buffer.indexOf("\0")) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id && waiting.has(message.id)) {
      const { resolve, reject } = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) reject(new Error(JSON.stringify(message.error)));
      else resolve(message.result);
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  toChrome.write(JSON.stringify(message) + "\0");
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function main() {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const evaluate = async (expression) => {
    const r = await send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId);
    if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails));
    return r.result.value;
  };
  const ready = async () => {
    for (let i = 0; i < 200; i++) {
      const ok = await evaluate("document.readyState === 'complete' && !!document.getElementById('rs-export')").catch(() => false);
      if (ok) return;
      await sleep(100);
    }
    throw new Error("the runbook's checklist did not start");
  };
  await send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads, eventsEnabled: true });
  await send("Page.enable", {}, sessionId);
  await send("Page.navigate", { url: "file://" + path.resolve(html) }, sessionId);
  await ready();
  const state = `(() => {
    const steps = Array.from(document.querySelectorAll("li[data-step]")).slice(0, 3);
    return {
      steps: steps.map((li) => ({
        id: li.getAttribute("data-step"),
        checked: li.querySelector("input.rs-tick").checked,
        done_by: li.querySelector("[data-field=done_by]").value,
        result: li.querySelector("[data-field=result]").value,
        labelled: !!document.querySelector('label[for="' + li.querySelector("input.rs-tick").id + '"]'),
      })),
      overall: document.querySelector(".rs-tools progress").value,
      bars: document.querySelectorAll("progress").length,
      count_fields: document.querySelectorAll("[data-field=adds]").length,
    };
  })()`;
  const before = await evaluate(`(() => {
    const steps = Array.from(document.querySelectorAll("li[data-step]")).slice(0, 2);
    steps.forEach((li) => li.querySelector("input.rs-tick").click());
    const first = steps[0];
    for (const [f, v] of [["done_by", "Ann Operator"], ["result", "success"]]) {
      const input = first.querySelector("[data-field=" + f + "]");
      input.value = v;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return ${state};
  })()`);
  await send("Page.reload", {}, sessionId);
  await sleep(300);
  await ready();
  const after = await evaluate(state);
  await evaluate("document.getElementById('rs-export').click(), true");
  const file = path.join(downloads, "progress.json");
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await sleep(100);
  await sleep(200);
  console.log(JSON.stringify({ before, after, exported: fs.existsSync(file) }));
}
main()
  .then(() => send("Browser.close").catch(() => {}))
  .catch((e) => { console.error(String(e && e.stack || e)); process.exitCode = 1; chrome.kill(); })
  .finally(() => setTimeout(() => { chrome.kill(); process.exit(); }, 500));
