// The verdict on one SARIF file from the log the SARIF Multitool wrote of
// it (`validate --output LOG`): its counts of errors, warnings and notes,
// and exit 1 when there is an error or a warning, or when the Multitool
// did not finish or said nothing at all. Its own exit code is 0 whatever
// it finds, so this is the gate.
//
//   node .ci/sarif-verdict.js NAME LOG
"use strict";
const fs = require("fs");

const [name, file] = process.argv.slice(2);
const log = JSON.parse(fs.readFileSync(file, "utf8"));
const counts = { error: 0, warning: 0, note: 0 };
const byRule = {};
const trouble = [];
let results = 0;
for (const run of log.runs || []) {
  const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
  for (const r of run.results || []) {
    const rule = rules[r.ruleIndex] || rules.find((x) => x.id === r.ruleId);
    // A result without a level has its rule's default level, else warning.
    const level =
      r.level ||
      (rule && rule.defaultConfiguration && rule.defaultConfiguration.level) ||
      "warning";
    results += 1;
    if (level in counts) counts[level] += 1;
    const key = `${level} ${r.ruleId}`;
    byRule[key] = (byRule[key] || 0) + 1;
  }
  for (const inv of run.invocations || []) {
    if (inv.executionSuccessful === false) trouble.push("the Multitool did not finish");
    const notes = (inv.toolExecutionNotifications || []).concat(
      inv.toolConfigurationNotifications || [],
    );
    for (const n of notes) {
      if ((n.level || "warning") !== "note") {
        trouble.push(`the Multitool: ${(n.message && n.message.text) || JSON.stringify(n)}`);
      }
    }
  }
}
// runsheet's rule ids are not the Multitool's kind (SARIF2009), so it
// always has a note to make: silence means it did not read the file.
if (results === 0) trouble.push("the Multitool reported nothing: it did not read the file");

const detail = Object.keys(byRule)
  .sort()
  .map((k) => `${byRule[k]} ${k}`)
  .join(", ");
console.log(
  `${name}: ${counts.error} errors, ${counts.warning} warnings, ${counts.note} notes` +
    (detail ? ` (${detail})` : ""),
);
for (const t of trouble) console.log(`${name}: ${t}`);
process.exit(counts.error + counts.warning > 0 || trouble.length > 0 ? 1 : 0);
