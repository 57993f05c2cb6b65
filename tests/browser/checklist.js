// Drives headless Chromium over its DevTools pipe (--remote-debugging-pipe:
// JSON messages, NUL-separated, on file descriptors 3 and 4; no network,
// no packages): opens a rendered runbook.html, ticks every step of its
// first chapter, fills the first step's details and the chapter's
// sign-off, records a run (its result and two counts), follows a contents
// link, reloads, reads the page's state back, ticks a box and opens a
// step's details with the keyboard, measures the page as printed on A4,
// and clicks "Export progress" with downloads going to DOWNLOADS.
//
//   node checklist.js RUNBOOK.html DOWNLOADS PROFILE
//   node checklist.js --measure RUNBOOK.html PROFILE
//
// With --measure it only opens the page, as printed on A4, and prints
// {print: {overflow, widest}}.
//
// Prints one JSON object: {fresh, before, after, jump, keyboard, print,
// exported}.
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

const measureOnly = process.argv[2] === "--measure";
const [html, downloads, profile] = measureOnly
  ? [process.argv[3], null, process.argv[4]]
  : process.argv.slice(2);
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
  // Printed on A4 (182 mm between the margins, 688 CSS pixels), nothing
  // is wider than the page: else the browser shrinks every page to fit.
  const measure = async () => {
    await send("Emulation.setEmulatedMedia", { media: "print" }, sessionId);
    await send("Emulation.setDeviceMetricsOverride", { width: 688, height: 1000, deviceScaleFactor: 1, mobile: false }, sessionId);
    await sleep(200);
    const result = await evaluate(`(() => {
      const root = document.documentElement;
      const wide = Array.from(document.querySelectorAll("body *")).filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1);
      return { overflow: root.scrollWidth - root.clientWidth, widest: wide.slice(0, 3).map((e) => e.tagName + "." + e.className + ": " + e.textContent.slice(0, 60)) };
    })()`);
    await send("Emulation.setEmulatedMedia", { media: "" }, sessionId);
    await send("Emulation.setDeviceMetricsOverride", { width: 1000, height: 700, deviceScaleFactor: 1, mobile: false }, sessionId);
    return result;
  };
  if (measureOnly) {
    await send("Page.enable", {}, sessionId);
    await send("Page.navigate", { url: "file://" + path.resolve(html) }, sessionId);
    await ready();
    console.log(JSON.stringify({ print: await measure() }));
    return;
  }
  await send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads, eventsEnabled: true });
  await send("Page.enable", {}, sessionId);
  await send("Emulation.setDeviceMetricsOverride", { width: 1000, height: 700, deviceScaleFactor: 1, mobile: false }, sessionId);
  await send("Page.navigate", { url: "file://" + path.resolve(html) }, sessionId);
  await ready();
  const state = `(() => {
    const first = document.querySelector("section.chapter");
    const steps = Array.from(first.querySelectorAll("li[data-step]"));
    const step = steps[0];
    const details = step.querySelector("details.rs-details");
    const prerequisite = document.querySelector('li.prerequisite[data-chapter="' + first.id + '"]');
    const run = document.querySelector('tr[data-run="run-cycle.3"]');
    const signoff = first.querySelector("table.signoff");
    const labelled = (i) => !!(i.getAttribute("aria-label") || document.querySelector('label[for="' + i.id + '"]') || i.closest("label"));
    return {
      chapter: first.id,
      steps: steps.length,
      ticked: steps.filter((li) => li.querySelector("input.rs-tick").checked).length,
      first: {
        id: step.getAttribute("data-step"),
        done_by: step.querySelector("[data-field=done_by]").value,
        result: step.querySelector("[data-field=result]").value,
        result_list: step.querySelector("[data-field=result]").getAttribute("list"),
        details_open: details.open,
        fields_in_details: !!details.querySelector("[data-field=done_by]"),
        summary: details.querySelector("summary .rs-summary").textContent,
      },
      prerequisite: prerequisite && {
        href: prerequisite.querySelector("a").getAttribute("href"),
        box: prerequisite.querySelector(".box").textContent,
        state: prerequisite.querySelector(".rs-state").textContent,
        checkbox: !!prerequisite.querySelector("input"),
      },
      run: {
        result: run.querySelector("input[data-field=result]").value,
        adds: run.querySelector("input[data-field=adds]").value,
        updates: run.querySelector("input[data-field=updates]").value,
        errors: run.querySelector("input[data-field=errors]").value,
        options: document.querySelectorAll("#rs-results option").length,
      },
      signoff: {
        caption: signoff.querySelector("caption").textContent,
        done_by: signoff.querySelector("input[data-field=done_by]").value,
      },
      unlabelled: Array.from(document.querySelectorAll("input")).filter((i) => i.type !== "file" && !labelled(i)).length,
      overall: document.querySelector(".rs-tools progress").value,
      bars: document.querySelectorAll("progress").length,
    };
  })()`;
  const fresh = await evaluate(state);
  const set = (selector, value) => `(() => {
    const input = document.querySelector(${JSON.stringify(selector)});
    input.value = ${JSON.stringify(value)};
    input.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  })()`;
  await evaluate(`(() => {
    const first = document.querySelector("section.chapter");
    Array.from(first.querySelectorAll("li[data-step] input.rs-tick")).forEach((box) => box.click());
    const step = first.querySelector("li[data-step]");
    step.querySelector("details.rs-details > summary").click();
    return true;
  })()`);
  const firstStep = await evaluate(`document.querySelector("section.chapter li[data-step]").getAttribute("data-step")`);
  const chapter = await evaluate(`document.querySelector("section.chapter").id`);
  for (const [f, v] of [["done_by", "Ann Operator"], ["result", "success"]]) {
    await evaluate(set(`li[data-step="${firstStep}"] [data-field=${f}]`, v));
  }
  for (const [f, v] of [["result", "completed-export-errors"], ["adds", "417"], ["errors", "2"]]) {
    await evaluate(set(`tr[data-run="run-cycle.3"] input[data-field=${f}]`, v));
  }
  for (const [f, v] of [["done_by", "Ann Operator"], ["date", "2026-12-01"], ["result", "success"]]) {
    await evaluate(set(`table.signoff[data-signoff="${chapter}"] input[data-field=${f}]`, v));
  }
  const before = await evaluate(state);
  // A contents link: the chapter's heading clears the sticky toolbar.
  const jump = await evaluate(`(async () => {
    const link = document.querySelectorAll("nav a")[2];
    link.click();
    await new Promise((r) => setTimeout(r, 300));
    const target = document.querySelector(link.getAttribute("href")).querySelector("h2");
    return { toolbar: document.querySelector(".rs-tools").getBoundingClientRect().bottom, heading: target.getBoundingClientRect().top, scrolled: window.scrollY };
  })()`);
  await send("Page.reload", {}, sessionId);
  await sleep(300);
  await ready();
  const after = await evaluate(state);
  // The keyboard: Space ticks a focused box, Enter opens a step's details.
  const press = async (key, code, keyCode) => {
    for (const type of ["keyDown", "keyUp"]) {
      await send("Input.dispatchKeyEvent", { type, key, code, windowsVirtualKeyCode: keyCode, text: type === "keyDown" && key === "Enter" ? "\r" : undefined }, sessionId);
    }
    await sleep(50);
  };
  await evaluate(`document.querySelectorAll("section.chapter")[1].querySelector("li[data-step] input.rs-tick").focus(), true`);
  await press(" ", "Space", 32);
  await evaluate(`document.querySelectorAll("section.chapter")[1].querySelector("li[data-step] details > summary").focus(), true`);
  await press("Enter", "Enter", 13);
  const keyboard = await evaluate(`(() => {
    const li = document.querySelectorAll("section.chapter")[1].querySelector("li[data-step]");
    return { ticked: li.querySelector("input.rs-tick").checked, details_open: li.querySelector("details").open };
  })()`);
  const print = await measure();
  await evaluate("document.getElementById('rs-export').click(), true");
  const env = await evaluate("document.documentElement.getAttribute('data-environment')");
  const file = path.join(downloads, env + ".json");
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await sleep(100);
  await sleep(200);
  console.log(JSON.stringify({ fresh, before, after, jump, keyboard, print, exported: fs.existsSync(file) }));
}
main()
  .then(() => send("Browser.close").catch(() => {}))
  .catch((e) => { console.error(String(e && e.stack || e)); process.exitCode = 1; chrome.kill(); })
  .finally(() => setTimeout(() => { chrome.kill(); process.exit(); }, 500));
