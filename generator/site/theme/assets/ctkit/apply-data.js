/* Apply online, the part without a page: the answers as data, their checks and their outputs.
 *
 * window.ctApplyData works on two things only: the model the page carries (made by
 * generator/site/apply_page.py from forms/application.yml: steps, fields, conditions, rules,
 * messages) and `data`, the answers in the canonical submitted shape of ARCHITECTURE.md, which is
 * also what "Save your answers to a file" writes and `ctkit validate` reads. It never touches
 * the page, so the tests run this same file in Node.
 */
(function (global) {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  var ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
  var TYPED = /^([^/]*)\/([^/]*)\/([^/]*)$/;     // a date kept as typed: day/month/year
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  var POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;
  var TEXT_TYPES = ["text", "textarea", "email", "phone", "postcode", "time", "date"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function getAt(node, path) {
    for (var i = 0; i < path.length; i++) {
      if (node === null || typeof node !== "object") { return undefined; }
      node = node[path[i]];
    }
    return node;
  }

  function setAt(data, path, value) {
    var node = data;
    for (var i = 0; i < path.length - 1; i++) {
      if (node[path[i]] === null || typeof node[path[i]] !== "object") { node[path[i]] = {}; }
      node = node[path[i]];
    }
    node[path[path.length - 1]] = value;
  }

  function isBlank(value) {
    return value === undefined || value === null || value === "" || value === false ||
      (Array.isArray(value) && value.length === 0);
  }

  /* -- conditions, from the form's `when`, `required_when` and `must_be_true_when` -------- */

  /* A condition holds when the answer is one of its values; for a list of ticks, when one of them is. */
  function holds(condition, data) {
    if (!condition) { return true; }
    var answer = getAt(data, condition.question);
    if (Array.isArray(answer)) { return answer.some(function (a) { return condition["in"].indexOf(a) >= 0; }); }
    return condition["in"].indexOf(answer) >= 0;
  }

  /* Whether the person filling it in is the person affected: the questions then say "you". */
  function selfApplies(model, data) { return !!model.self_applies && holds(model.self_applies, data); }

  /* A field's words for this person: its `self_` wording when they apply for themselves and it has one. */
  function said(field, what, own) {
    return own && field["self_" + what] ? field["self_" + what] : field[what];
  }

  function stepApplies(step, data) { return holds(step.when, data); }

  function fieldShown(field, data) { return !field.shown_when || holds(field.shown_when, data); }

  function fieldRequired(field, data) {
    return field.required || (!!field.required_when && holds(field.required_when, data)) ||
      (!!field.must_be_true_when && holds(field.must_be_true_when, data));
  }

  function applicableSteps(model, data) {
    return model.steps.filter(function (step) { return stepApplies(step, data); });
  }

  /* -- dates and times -------------------------------------------------------------------- */

  function daysInMonth(year, month) { return new Date(Date.UTC(year, month, 0)).getUTCDate(); }

  function isRealDate(iso) {
    var m = ISO.exec(iso || "");
    if (!m) { return false; }
    var month = Number(m[2]), day = Number(m[3]);
    return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
  }

  /* Whether an ISO date (or a year) is in the years a date may have, from the one reading of dates
   * (generator/model/values.py, given with each date field). */
  function inYears(iso, reading) {
    var year = Number(String(iso).slice(0, 4));
    return year >= reading.years[0] && year <= reading.years[1];
  }

  /* The three boxes of a stored date: ISO, or the day/month/year typed when it was not a date. */
  function dateParts(value) {
    var text = typeof value === "string" ? value.trim() : "";
    var m = ISO.exec(text);
    if (m) { return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] }; }
    m = TYPED.exec(text);
    if (m) { return { day: m[1].trim(), month: m[2].trim(), year: m[3].trim() }; }
    return { day: "", month: "", year: "", other: text };
  }

  /* What is stored for three boxes: "" when empty, ISO when a real date, else day/month/year as typed. */
  function dateValue(parts) {
    var d = (parts.day || "").trim(), m = (parts.month || "").trim(), y = (parts.year || "").trim();
    if (!d && !m && !y) { return ""; }
    if (/^\d{1,2}$/.test(d) && /^\d{1,2}$/.test(m) && /^\d{4}$/.test(y)) {
      var iso = y + "-" + pad(Number(m)) + "-" + pad(Number(d));
      if (isRealDate(iso)) { return iso; }
    }
    return d + "/" + m + "/" + y;
  }

  /* H:MM or HH:MM (the one reading of times) stored as HH:MM; anything else kept as typed. */
  function timeValue(text, reading) {
    var t = String(text || "").trim(), m = new RegExp(reading.time).exec(t);
    return m ? pad(Number(m[1])) + ":" + m[2] : t;
  }

  function postcodeValue(text) {
    var t = String(text || "").trim().replace(/\s+/g, " "), m = POSTCODE.exec(t.toUpperCase());
    return m ? m[1] + " " + m[2] : t;
  }

  function longDate(iso) {
    var m = ISO.exec(iso);
    return Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1];
  }

  function ukDate(iso) {
    var m = ISO.exec(iso);
    return pad(Number(m[3])) + "/" + pad(Number(m[2])) + "/" + m[1];
  }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /* -- one answer: what the page read, tidied into the stored value ------------------------ */

  /* `raw` is a string, {day, month, year} for a date, a boolean for a tick box, a list for checkboxes. */
  function valueFromRaw(field, raw) {
    switch (field.type) {
      case "date": return dateValue(raw || {});
      case "time": return timeValue(raw, field.reading);
      case "postcode": return postcodeValue(raw);
      case "checkbox": return raw === true;
      case "checkboxes":
        return field.options.map(function (o) { return o.value; })
          .filter(function (v) { return (raw || []).indexOf(v) >= 0; });
      case "textarea": return String(raw || "").replace(/\r\n?/g, "\n").trim();
      default: return String(raw || "").trim();
    }
  }

  function words(text, n) { return n ? text.split("{n}").join(String(n)) : text; }

  function idOf(field, n) { return n ? field.id.split("__N__").join(String(n)) : field.id; }

  function nameOf(field, n) { return n ? field.name.split("{n}").join(String(n)) : field.name; }

  function focusOf(field, n, part) {
    if (field.type === "date") { return idOf(field, n) + "-" + (part || "day"); }
    if (field.type === "radio" || field.type === "checkboxes") {
      var first = field.options[0].id;
      return n ? first.split("__N__").join(String(n)) : first;
    }
    return idOf(field, n);
  }

  function problem(field, n, message, part) {
    return { id: idOf(field, n), name: nameOf(field, n), focus: focusOf(field, n, part), message: words(message, n) };
  }

  function dateProblem(field, value, required, n, day, msgs) {
    var parts = dateParts(value);
    if (parts.other) { return problem(field, n, msgs.real); }
    var missing = ["day", "month", "year"].filter(function (p) { return !parts[p]; });
    if (missing.length === 3) { return required ? problem(field, n, msgs.missing) : null; }
    if (missing.length) {
      var list = missing.length === 1 ? missing[0] : missing.slice(0, -1).join(", ") + " and " + missing[missing.length - 1];
      return problem(field, n, msgs.part.replace("{parts}", list), missing[0]);
    }
    var iso = dateValue(parts);
    if (!isRealDate(iso) || !inYears(iso, field.reading)) {
      var yearOk = /^\d{4}$/.test(parts.year) && inYears(parts.year, field.reading);
      var bad = !/^\d{1,2}$/.test(parts.day) || Number(parts.day) < 1 || Number(parts.day) > 31 ? "day" :
        (!/^\d{1,2}$/.test(parts.month) || Number(parts.month) < 1 || Number(parts.month) > 12 ? "month" :
          (yearOk ? "day" : "year"));
      return problem(field, n, msgs.real, bad);
    }
    if (iso > day) { return problem(field, n, msgs.future); }
    return null;
  }

  /* The one problem with an answer, or null. `n` is the row number inside a repeat group; `own`, whether
   * the person applies for themselves (the messages then use the question's words for them). */
  function fieldProblem(field, value, data, n, day, own) {
    var required = fieldRequired(field, data), msgs = said(field, "messages", own);
    if (field.type === "date") { return dateProblem(field, value, required, n, day, msgs); }
    if (field.type === "checkbox") { return required && value !== true ? problem(field, n, msgs.missing) : null; }
    if (isBlank(value)) { return required ? problem(field, n, msgs.missing) : null; }
    var text = String(value);
    if (field.maxlength && text.length > field.maxlength) { return problem(field, n, msgs["long"]); }
    if (field.type === "time" && !new RegExp(field.reading.time).test(text)) { return problem(field, n, msgs.format); }
    if (field.type === "email" && !EMAIL.test(text)) { return problem(field, n, msgs.format); }
    if (field.type === "postcode" && !POSTCODE.test(text.toUpperCase())) { return problem(field, n, msgs.format); }
    if (field.type === "phone" && !/^\+?\d{10,15}$/.test(text.replace(/[\s().-]/g, ""))) {
      return problem(field, n, msgs.format);
    }
    return null;
  }

  function rowsOf(data, repeat) {
    var rows = data[repeat.key];
    return Array.isArray(rows) ? rows : [];
  }

  function rowIsEmpty(repeat, row) {
    return repeat.fields.every(function (f) { return isBlank(row[f.path[0]]); });
  }

  function fieldsByName(model) {
    var out = {};
    model.steps.forEach(function (s) { s.fields.forEach(function (f) { out[f.name] = { field: f, step: s }; }); });
    return out;
  }

  function answerOf(byName, data, name) { return byName[name] ? getAt(data, byName[name].field.path) : undefined; }

  /* What the form's rules say about one answer: "a phone number or an email address" is reported at the
   * first question it names; "the way chosen to contact you needs its detail", at the detail. */
  function ruleProblems(model, f, data, byName) {
    var found = [];
    model.rules.forEach(function (rule) {
      if (rule.one_of && rule.one_of[0] === f.name) {
        var given = rule.one_of.some(function (name) { return !isBlank(answerOf(byName, data, name)); });
        if (!given) { found.push(problem(f, null, rule.message)); }
      }
      if (rule.chosen) {
        var choice = answerOf(byName, data, rule.chosen);
        if (rule.needs[choice] === f.name && isBlank(getAt(data, f.path))) { found.push(problem(f, null, rule.messages[choice])); }
      }
    });
    return found;
  }

  /* Every problem on one step, in page order, for the error summary: at most one for each answer. */
  function stepProblems(model, step, data, day) {
    var found = [], byName = fieldsByName(model), own = selfApplies(model, data);
    day = day || today();
    step.fields.forEach(function (f) {
      if (!fieldShown(f, data)) { return; }
      var p = fieldProblem(f, getAt(data, f.path), data, null, day, own);
      if (p) { found.push(p); }
      ruleProblems(model, f, data, byName).forEach(function (r) {
        if (!found.some(function (q) { return q.id === r.id; })) { found.push(r); }
      });
    });
    if (step.repeat) {
      var r = step.repeat, rows = rowsOf(data, r);
      if (rows.length < r.min) {
        var item = r.item.replace(/ ?\{n\}/, "").toLowerCase();
        found.push({ id: "ct-rows-" + r.key, name: r.key, focus: "ct-add-" + r.key,
          message: "Give the details of at least " + (r.min === 1 ? "one " + item : r.min + " " + item + "s") });
      }
      rows.forEach(function (row, i) {
        r.fields.forEach(function (f) {
          var p = fieldProblem(f, row[f.path[0]], data, i + 1, day, own);
          if (p) { found.push(p); }
        });
      });
    }
    return found;
  }

  /* Problems on every step that applies: [{step, problems}] with only the steps that have some. */
  function allProblems(model, data, day) {
    return applicableSteps(model, data).map(function (step) {
      return { step: step, problems: stepProblems(model, step, data, day) };
    }).filter(function (s) { return s.problems.length > 0; });
  }

  /* -- outputs ----------------------------------------------------------------------------- */

  function cleanValue(field, value) {
    if (field.type === "checkbox") { return value === true; }
    if (field.type === "checkboxes") {
      var known = field.options.map(function (o) { return o.value; });
      return (Array.isArray(value) ? value : []).filter(function (v) { return known.indexOf(v) >= 0; });
    }
    if (field.type === "radio") {
      return field.options.some(function (o) { return o.value === value; }) ? value : undefined;
    }
    return typeof value === "string" && value.trim() ? value : undefined;
  }

  /* The answers that apply, in the canonical submitted shape and in the form's order. */
  function canonical(model, data) {
    var out = { form: model.form, form_version: model.form_version };
    applicableSteps(model, data).forEach(function (step) {
      step.fields.forEach(function (f) {
        if (!fieldShown(f, data)) { return; }
        var value = cleanValue(f, getAt(data, f.path));
        if (value !== undefined) { setAt(out, f.path, value); }
      });
      if (step.repeat) {
        out[step.repeat.key] = rowsOf(data, step.repeat).map(function (row) {
          var item = {};
          step.repeat.fields.forEach(function (f) {
            var value = cleanValue(f, row[f.path[0]]);
            if (value !== undefined && value !== false) { item[f.path[0]] = value; }
          });
          return item;
        }).filter(function (item) { return Object.keys(item).length > 0; });
      }
    });
    return out;
  }

  function pdfText(field, value) {
    return field.type === "date" && isRealDate(value) ? ukDate(value) : value;
  }

  /* PDF field name -> text, true (ticked) or the chosen option, for the answers that apply. */
  function pdfValues(model, data) {
    var answers = canonical(model, data), values = {};
    function put(field, value, n) {
      if (field.type === "checkboxes") {
        field.options.forEach(function (o) { if (value.indexOf(o.value) >= 0) { values[nameOf(o, n)] = true; } });
      } else if (field.type === "checkbox") {
        if (value === true) { values[nameOf(field, n)] = true; }
      } else {
        values[nameOf(field, n)] = pdfText(field, value);
      }
    }
    applicableSteps(model, answers).forEach(function (step) {
      step.fields.forEach(function (f) {
        var value = getAt(answers, f.path);
        if (value !== undefined) { put(f, value, null); }
      });
      if (step.repeat) {
        (answers[step.repeat.key] || []).slice(0, step.repeat.max).forEach(function (row, i) {
          step.repeat.fields.forEach(function (f) {
            if (row[f.path[0]] !== undefined) { put(f, row[f.path[0]], i + 1); }
          });
        });
      }
    });
    return values;
  }

  function display(field, value, own) {
    if (isBlank(value) && field.type !== "checkbox") { return []; }
    switch (field.type) {
      case "date": return [isRealDate(value) ? longDate(value) : String(value)];
      case "radio":
        var chosen = field.options.filter(function (o) { return o.value === value; })[0];
        return [chosen ? said(chosen, "label", own) : String(value)];
      case "checkboxes":
        return field.options.filter(function (o) { return value.indexOf(o.value) >= 0; })
          .map(function (o) { return said(o, "label", own); });
      case "checkbox": return [value === true ? "Yes" : "No"];
      default: return String(value).split("\n");
    }
  }

  function summaryRow(field, value, n, own) {
    return { label: said(field, "label", own), words: words(said(field, "words", own), n),
      lines: display(field, value, own), focus: focusOf(field, n), name: nameOf(field, n), id: idOf(field, n) };
  }

  /* "Check your answers": each step that applies, its answers in words, and where to change each. An
   * answer kept as typed because it is not right (a date that does not exist) is shown as typed. */
  function summary(model, data) {
    var answers = canonical(model, data), own = selfApplies(model, data);
    return applicableSteps(model, data).map(function (step) {
      var rows = step.fields.filter(function (f) { return fieldShown(f, data); }).map(function (f) {
        return summaryRow(f, getAt(answers, f.path), null, own);
      });
      var groups = [];
      if (step.repeat) {
        groups = (answers[step.repeat.key] || []).map(function (row, i) {
          return { title: words(step.repeat.item, i + 1), rows: step.repeat.fields.map(function (f) {
            return summaryRow(f, row[f.path[0]], i + 1, own);
          }) };
        });
      }
      return { id: step.id, title: said(step, "title", own), rows: rows, groups: groups };
    });
  }

  /* Each text answer's question in words, by PDF field name ("What happened in incident 2"), for the
   * PDF's continuation page. */
  function pdfLabels(model, data) {
    var labels = {}, own = selfApplies(model, data);
    model.steps.forEach(function (step) {
      step.fields.forEach(function (f) { labels[f.name] = said(f, "words", own); });
      for (var n = 1; step.repeat && n <= step.repeat.max; n++) {
        step.repeat.fields.forEach(function (f) { labels[nameOf(f, n)] = words(f.words, n); });
      }
    });
    return labels;
  }

  /* -- reading answers back: a saved file, or the incidents typed in the date checker ---------- */

  function coerce(field, value) {
    if (value === undefined || value === null) { return undefined; }
    if (field.type === "checkbox") {
      return value === true || (typeof value === "string" && /^(yes|true|on)$/i.test(value));
    }
    if (field.type === "checkboxes") {
      var list = Array.isArray(value) ? value : [value];
      return cleanValue(field, list.map(String));
    }
    if (field.type === "radio") { return cleanValue(field, String(value)); }
    if (TEXT_TYPES.indexOf(field.type) >= 0 && (typeof value === "string" || typeof value === "number")) {
      return String(value);
    }
    return undefined;
  }

  /* Answers from a saved file's parsed JSON: {data, left_out}; throws an Error with a sentence. */
  function fromSaved(model, saved) {
    if (saved === null || typeof saved !== "object" || Array.isArray(saved)) {
      throw new Error("This file does not hold answers to this form. Choose the file you saved from this page.");
    }
    if (saved.form !== undefined && saved.form !== model.form) {
      throw new Error("This file holds answers to a different form. Choose the file you saved from this page.");
    }
    var data = {}, leftOut = 0;
    model.steps.forEach(function (step) {
      step.fields.forEach(function (f) {
        var value = coerce(f, getAt(saved, f.path));
        if (value !== undefined) { setAt(data, f.path, value); }
      });
      if (step.repeat && saved[step.repeat.key] !== undefined) {
        var rows = Array.isArray(saved[step.repeat.key]) ? saved[step.repeat.key] : [];
        leftOut += Math.max(0, rows.length - step.repeat.max);
        data[step.repeat.key] = rowsFrom(step.repeat, rows.slice(0, step.repeat.max));
      }
    });
    var found = model.steps.some(function (step) {
      return step.fields.some(function (f) { return getAt(data, f.path) !== undefined; }) ||
        (step.repeat && (data[step.repeat.key] || []).length > 0);
    });
    if (!found) {
      throw new Error("This file has no answers to this form in it. Choose the file you saved from this page.");
    }
    return { data: data, left_out: leftOut };
  }

  function rowsFrom(repeat, rows) {
    return rows.filter(function (row) { return row !== null && typeof row === "object" && !Array.isArray(row); })
      .map(function (row) {
        var item = {};
        repeat.fields.forEach(function (f) {
          var value = coerce(f, row[f.path[0]]);
          if (value !== undefined) { item[f.path[0]] = value; }
        });
        return item;
      }).filter(function (item) { return !rowIsEmpty(repeat, item); });
  }

  /* The checker's incidents added to the answers' own, once each, up to the form's room. */
  function addIncidents(model, data, incidents) {
    var step = model.steps.filter(function (s) { return s.repeat; })[0];
    if (!step || !Array.isArray(incidents)) { return 0; }
    var r = step.repeat, rows = rowsOf(data, r).filter(function (row) { return !rowIsEmpty(r, row); });
    var seen = rows.map(function (row) { return JSON.stringify(row); }), added = 0;
    rowsFrom(r, incidents).forEach(function (row) {
      if (rows.length < r.max && seen.indexOf(JSON.stringify(row)) < 0) {
        rows.push(row);
        seen.push(JSON.stringify(row));
        added += 1;
      }
    });
    data[r.key] = rows;
    return added;
  }

  global.ctApplyData = {
    getAt: getAt, setAt: setAt, isBlank: isBlank, holds: holds, stepApplies: stepApplies, selfApplies: selfApplies,
    said: said, pdfLabels: pdfLabels,
    fieldShown: fieldShown, fieldRequired: fieldRequired, applicableSteps: applicableSteps,
    dateParts: dateParts, dateValue: dateValue, isRealDate: isRealDate, today: today,
    valueFromRaw: valueFromRaw, idOf: idOf, nameOf: nameOf, focusOf: focusOf, words: words,
    fieldProblem: fieldProblem, stepProblems: stepProblems, allProblems: allProblems, rowIsEmpty: rowIsEmpty,
    canonical: canonical, pdfValues: pdfValues, summary: summary, fromSaved: fromSaved, addIncidents: addIncidents
  };
}(typeof window !== "undefined" ? window : globalThis));
