// Runs the site's date checker rules (judge.js) on one case per line of stdin, answering each with
// one line of JSON, so a Python test can hold thousands of generated cases against it in one process.
// Usage: node tests/js/judge_lines.js path/to/judge.js   (then write {"criteria", "received_on",
// "incidents", "hate_incident"} lines; each answer is the ctJudge judgement, or {"error": "..."}).
"use strict";
const fs = require("fs");
const readline = require("readline");
const vm = require("vm");

const sandbox = { window: {} };
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), sandbox, { filename: "judge.js" });
const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let answer;
  try {
    const c = JSON.parse(line);
    answer = sandbox.window.ctJudge(c.criteria, c.received_on, c.incidents, c.hate_incident);
  } catch (err) {
    answer = { error: String(err && err.stack || err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
