// Runs the site's date checker rules (judge.js) over cases given as JSON on stdin and prints
// the judgements as JSON, so the Python tests can hold judge.js to the shared case table.
// Usage: node tests/js/judge_cases.js path/to/judge.js < cases.json
"use strict";
const fs = require("fs");
const vm = require("vm");

const source = fs.readFileSync(process.argv[2], "utf8");
const sandbox = { window: {} };
vm.createContext(sandbox);
vm.runInContext(source, sandbox, { filename: "judge.js" });
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
const out = cases.map((c) => sandbox.window.ctJudge(c.criteria, c.received_on, c.incidents, c.hate_incident));
process.stdout.write(JSON.stringify(out));
