/* Apply online: the question pages around window.ctApplyData and window.ctApplyPdf.
 *
 * The page (public/apply/) carries every step's HTML and the form model as JSON, both made
 * from forms/application.yml. This script shows one step at a time (the address bar says
 * which, so the browser's Back button works), reads and checks the answers, explains errors
 * GOV.UK-style, shows "Check your answers", saves and loads an answers file, and fills the
 * council's PDF. Answers stay in this tab (sessionStorage), until the resident clears them; the
 * PDF libraries and the font load from this site only when the PDF is made. Where the council
 * names its own receiver (model.send, from site.submit and receiving/contract.py), "Send your
 * application" posts the saved answers and the filled PDF to it, and nowhere else: a reference
 * leads to the confirmation step ("sent"), anything else to "not-sent", which offers the PDF and
 * the council's phone number; the answers are kept either way.
 * While someone fills it in, each step says "Step N of M" (only the steps that apply to them
 * are counted), the questions speak to them as "you" when they apply for themselves, and the
 * site's menu and its "Next" links are hidden, so that the form's own buttons are the way on.
 */
(function () {
  "use strict";

  var D = window.ctApplyData;
  var SELF = document.currentScript ? document.currentScript.src : "";
  var STORE = "ctkit:apply:answers";
  var CHECKER_STORE = "ctkit:checker:incidents";     // written by checker.js when the resident asks
  var SENT_STORE = "ctkit:apply:sent";                // {reference}, once the council's receiver has it
  var PREFIX = "#step-";

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function stored(key) {
    try { return JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function store(key, value) {
    try {
      if (value === null) { window.sessionStorage.removeItem(key); } else { window.sessionStorage.setItem(key, JSON.stringify(value)); }
    } catch (e) { /* storage switched off: answers last as long as the page */ }
  }

  function offer(bytes, filename, type) {
    var url = URL.createObjectURL(new Blob([bytes], { type: type }));
    var a = el("a", { href: url, download: filename, hidden: "" });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 2000);
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var s = el("script", { src: url });
      s.onload = resolve;
      s.onerror = function () { reject(new Error("script")); };
      document.head.appendChild(s);
    });
  }

  /* A POST to the council's receiver that gives up after `seconds`; no cookies, no referrer. */
  function postWithin(url, body, seconds) {
    var control = window.AbortController ? new AbortController() : null;
    var timer = control ? setTimeout(function () { control.abort(); }, seconds * 1000) : null;
    return fetch(url, { method: "POST", body: body, mode: "cors", credentials: "omit", cache: "no-store",
      redirect: "error", referrerPolicy: "no-referrer", signal: control ? control.signal : undefined })
      .finally(function () { if (timer) { clearTimeout(timer); } });
  }

  function fetchBytes(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error("fetch"); }
      return r.arrayBuffer();
    });
  }

  function App(root, model) {
    this.root = root;
    this.model = model;
    this.data = stored(STORE) || {};
    this.sent = model.send ? stored(SENT_STORE) : null;
    this.failure = null;         // why the last sending failed, for the "not-sent" step
    this.current = null;
    this.backToCheck = false;
    this.moved = false;          // the first step shown is the page itself: focus stays where the browser put it
    this.pendingFocus = null;
    this.baseTitle = document.title;
    this.summaryBox = $("ct-apply-errors");
    this.steps = {};
    var self = this;
    model.steps.forEach(function (s) { self.steps[s.id] = s; });
  }

  /* -- moving between steps ----------------------------------------------------------------- */

  App.prototype.order = function () {
    return ["start"].concat(D.applicableSteps(this.model, this.data).map(function (s) { return s.id; }), ["check"]);
  };

  App.prototype.neighbour = function (id, by) {
    var order = this.order(), at = order.indexOf(id);
    return order[Math.max(0, Math.min(order.length - 1, at + by))];
  };

  App.prototype.go = function (id) {
    if (location.hash === PREFIX + id) { this.show(id); } else { location.hash = PREFIX + id; }
  };

  App.prototype.route = function () {
    var id = location.hash.indexOf(PREFIX) === 0 ? location.hash.slice(PREFIX.length) : "";
    if (!id && this.current) { return; }   // an in-page link, not a step
    if (id === "check" || id === "start" || (this.steps[id] && D.stepApplies(this.steps[id], this.data))) {
      this.show(id);
    } else if ((id === "sent" && this.sent) || (id === "not-sent" && this.failure)) {
      this.show(id);
    } else if (id === "not-sent") {
      this.show("check");
    } else {
      this.show("start");
    }
  };

  App.prototype.show = function (id) {
    var self = this;
    if (this.current && this.steps[this.current]) { this.readStep(this.steps[this.current]); }
    this.current = id;
    this.root.querySelectorAll(".ct-apply-step").forEach(function (s) { s.hidden = s.getAttribute("data-step") !== id; });
    this.clearErrors();
    var section = $("ct-step-" + id), step = this.steps[id];
    if (step) { this.fillStep(step); }
    if (id === "start") { this.prepareStart(); }
    if (id === "check") { this.renderCheck(); }
    if (id === "sent") { $("ct-apply-reference").textContent = this.sent.reference; }
    if (id === "not-sent") { this.explainFailure(); }
    this.showWording();
    this.showProgress(id);
    document.body.classList.toggle("ct-applying", id !== "start" && id !== "sent");
    var back = $("ct-apply-back");
    back.hidden = id === "start" || id === "sent";
    back.setAttribute("href", PREFIX + ((this.backToCheck && id !== "check") || id === "not-sent" ? "check" :
      this.neighbour(id, -1)));
    var heading = section.querySelector(".ct-apply-heading");
    this.setTitle(false);
    var target = this.pendingFocus ? $(this.pendingFocus) : null;
    this.pendingFocus = null;
    if (this.moved) {   // a new step: say so by moving focus to its heading, as GOV.UK pages do
      window.scrollTo(0, 0);
      (target || heading).focus();
      if (target) { self.scrollToLabel(target); }
    }
    this.moved = true;
    if (this.pendingProblems && step) {   // arrived from an error on "Check your answers", or from a file
      var problems = D.stepProblems(this.model, step, this.data);
      if (problems.length) { this.showErrors(problems); }
    }
    this.pendingProblems = false;
    if (id === "check") {   // every answer that still needs attention, listed at the top, and marked below
      var all = this.checkProblems();
      if (all.length) {
        this.showErrors(all, function (p) { return p.step; });
        this.markSummary(all);
      }
    }
  };

  /* "Step 2 of 7": only the steps that apply to this person are counted; a step that depends on an
   * answer not given yet counts until it is given, so the total never grows. */
  App.prototype.showProgress = function (id) {
    var data = this.data, at = this.order().indexOf(id), box = $("ct-step-" + id + "-progress");
    var total = this.model.steps.filter(function (s) {
      return D.stepApplies(s, data) || D.isBlank(D.getAt(data, s.when.question));
    }).length;
    if (box) { box.textContent = at > 0 ? "Step " + at + " of " + total : ""; }
  };

  /* The questions' words for someone applying for themselves ("you"), or for someone else ("they"). */
  App.prototype.showWording = function () {
    var own = D.selfApplies(this.model, this.data);
    this.root.querySelectorAll("[data-self]").forEach(function (span) {
      span.hidden = (span.getAttribute("data-self") === "yes") !== own;
    });
  };

  App.prototype.setTitle = function (error) {
    var heading = $("ct-step-" + this.current).querySelector(".ct-apply-heading");
    var words = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
    document.title = (error ? "Error: " : "") + (words ? words + " – " : "") + this.baseTitle;
  };

  App.prototype.scrollToLabel = function (input) {
    var field = input.closest(".ct-apply-field");
    if (field && field.scrollIntoView) { field.scrollIntoView({ block: "start" }); }
  };

  /* -- reading and filling a step's inputs ---------------------------------------------------- */

  function inputsNamed(scope, name) { return scope.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]'); }

  function readRaw(scope, field, n) {
    var name = D.nameOf(field, n), box = function (part) {
      var i = inputsNamed(scope, name + "-" + part)[0];
      return i ? i.value : "";
    };
    switch (field.type) {
      case "date": return { day: box("day"), month: box("month"), year: box("year") };
      case "radio":
        var chosen = scope.querySelector('[name="' + name + '"]:checked');
        return chosen ? chosen.value : "";
      case "checkboxes":
        return field.options.filter(function (o) {
          var i = inputsNamed(scope, D.nameOf(o, n))[0];
          return i && i.checked;
        }).map(function (o) { return o.value; });
      case "checkbox":
        var tick = inputsNamed(scope, name)[0];
        return !!(tick && tick.checked);
      default:
        var input = inputsNamed(scope, name)[0];
        return input ? input.value : "";
    }
  }

  function writeRaw(scope, field, n, value) {
    var name = D.nameOf(field, n);
    switch (field.type) {
      case "date":
        var parts = D.dateParts(value);
        ["day", "month", "year"].forEach(function (p) {
          var i = inputsNamed(scope, name + "-" + p)[0];
          if (i) { i.value = parts[p] || ""; }
        });
        break;
      case "radio":
        inputsNamed(scope, name).forEach(function (i) { i.checked = i.value === value; });
        break;
      case "checkboxes":
        field.options.forEach(function (o) {
          var i = inputsNamed(scope, D.nameOf(o, n))[0];
          if (i) { i.checked = Array.isArray(value) && value.indexOf(o.value) >= 0; }
        });
        break;
      case "checkbox":
        var tick = inputsNamed(scope, name)[0];
        if (tick) { tick.checked = value === true; }
        break;
      default:
        var input = inputsNamed(scope, name)[0];
        if (input) { input.value = value === undefined || value === null ? "" : String(value); }
    }
  }

  App.prototype.readStep = function (step) {
    var form = $("ct-step-" + step.id), data = this.data;
    step.fields.forEach(function (f) {
      if (form.querySelector('[data-field="' + f.name + '"]:not([hidden])')) {
        D.setAt(data, f.path, D.valueFromRaw(f, readRaw(form, f, null)));
      }
    });
    if (step.repeat) {
      var r = step.repeat, rows = [];
      form.querySelectorAll(".ct-apply-row").forEach(function (fs, i) {
        var row = {};
        r.fields.forEach(function (f) { row[f.path[0]] = D.valueFromRaw(f, readRaw(fs, f, i + 1)); });
        rows.push(row);
      });
      data[r.key] = rows;
    }
    store(STORE, data);
  };

  App.prototype.fillStep = function (step) {
    var form = $("ct-step-" + step.id), data = this.data;
    step.fields.forEach(function (f) { writeRaw(form, f, null, D.getAt(data, f.path)); });
    if (step.repeat) { this.renderRows(step, null); }
    this.updateConditions(step);
  };

  /* Questions that apply only in some cases (a partner agency's organisation) show only then. */
  App.prototype.updateConditions = function (step) {
    var form = $("ct-step-" + step.id), data = this.data;
    step.fields.forEach(function (f) {
      var box = form.querySelector('[data-field="' + f.name + '"]');
      if (box && f.shown_when) { box.hidden = !D.fieldShown(f, data); }
    });
  };

  /* -- incidents: add and remove ---------------------------------------------------------------- */

  App.prototype.renderRows = function (step, focusRow) {
    var r = step.repeat, list = $("ct-rows-" + r.key), template = $("ct-row-template-" + r.key).innerHTML;
    var rows = Array.isArray(this.data[r.key]) ? this.data[r.key].slice(0, r.max) : [];
    while (rows.length < r.min) { rows.push({}); }
    this.data[r.key] = rows;
    list.innerHTML = "";
    rows.forEach(function (row, i) {
      var holder = document.createElement("template");
      holder.innerHTML = template.split("__N__").join(String(i + 1));   // our own escaped HTML
      var fs = holder.content.firstElementChild;
      r.fields.forEach(function (f) { writeRaw(fs, f, i + 1, row[f.path[0]]); });
      fs.querySelector(".ct-apply-row__actions").hidden = rows.length <= r.min;
      list.appendChild(fs);
    });
    var full = rows.length >= r.max;
    $("ct-add-" + r.key).hidden = full;
    $("ct-rows-" + r.key + "-full").hidden = !full;
    if (focusRow) {
      var target = list.querySelectorAll(".ct-apply-row")[focusRow - 1];
      if (target) { target.querySelector("input, textarea").focus(); }
    }
  };

  App.prototype.addRow = function (step) {
    this.readStep(step);
    var r = step.repeat;
    if (this.data[r.key].length >= r.max) { return; }
    this.data[r.key].push({});
    this.renderRows(step, this.data[r.key].length);
    $("ct-rows-" + r.key + "-status").textContent = D.words(r.item, this.data[r.key].length) + " added.";
  };

  App.prototype.removeRow = function (step, n) {
    this.readStep(step);
    var r = step.repeat, rows = this.data[r.key];
    rows.splice(n - 1, 1);
    this.renderRows(step, null);
    store(STORE, this.data);
    $("ct-rows-" + r.key + "-status").textContent = D.words(r.item, n) + " removed. " +
      (rows.length === 1 ? "1 is left." : rows.length + " are left.");
    var headings = $("ct-rows-" + r.key).querySelectorAll(".ct-apply-row__title");
    (headings[Math.min(n, headings.length) - 1] || $("ct-add-" + r.key)).focus();
  };

  /* -- errors ------------------------------------------------------------------------------------ */

  App.prototype.clearErrors = function () {
    this.root.querySelectorAll(".ct-apply-error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    this.root.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
    this.root.querySelectorAll(".ct-apply-field--error").forEach(function (f) { f.classList.remove("ct-apply-field--error"); });
    this.root.querySelectorAll("[data-error-described]").forEach(function (i) {
      var ids = (i.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== i.getAttribute("data-error-described"); });
      if (ids.length) { i.setAttribute("aria-describedby", ids.join(" ")); } else { i.removeAttribute("aria-describedby"); }
      i.removeAttribute("data-error-described");
    });
    this.summaryBox.hidden = true;
    $("ct-apply-errors-list").innerHTML = "";
  };

  function describe(node, id) {
    var ids = (node.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (ids.indexOf(id) < 0) { ids.push(id); }
    node.setAttribute("aria-describedby", ids.join(" "));
    node.setAttribute("data-error-described", id);
  }

  /* The error summary at the top, and each message beside its question (where it is on this step). */
  App.prototype.showErrors = function (problems, links) {
    var self = this, list = $("ct-apply-errors-list");
    problems.forEach(function (p) {
      var message = links ? null : $(p.id + "-error"), target = $(p.focus);
      if (message && !message.textContent) {
        message.appendChild(el("span", { "class": "ct-apply-visually-hidden" }, "Error: "));
        message.appendChild(document.createTextNode(p.message));
        message.hidden = false;
        var box = message.closest(".ct-apply-field");
        if (box) { box.classList.add("ct-apply-field--error"); }
        var owner = $(p.id) || target;
        if (owner) { describe(owner, p.id + "-error"); }
      }
      if (!links && target && target.matches("input, textarea")) {
        var group = target.closest("fieldset.ct-apply-date");   // a whole date is wrong unless one box is named
        var marks = group && /-day$/.test(p.focus) ? group.querySelectorAll("input") : [target];
        Array.prototype.forEach.call(marks, function (i) { i.setAttribute("aria-invalid", "true"); });
      }
      var a = el("a", { href: links ? PREFIX + links(p) : "#" + p.focus }, p.message);
      a.addEventListener("click", function (ev) {
        if (links) { self.backToCheck = true; self.pendingProblems = true; return; }
        ev.preventDefault();
        if (target) { target.focus(); self.scrollToLabel(target); }
      });
      var li = el("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    this.summaryBox.hidden = false;
    this.setTitle(true);
    this.summaryBox.focus();
  };

  /* -- the start page ------------------------------------------------------------------------------ */

  App.prototype.started = function () {
    var model = this.model, data = this.data;
    return model.steps.some(function (s) {
      return s.fields.some(function (f) { return !D.isBlank(D.getAt(data, f.path)); }) ||
        (s.repeat && (data[s.repeat.key] || []).some(function (row) { return !D.rowIsEmpty(s.repeat, row); }));
    });
  };

  App.prototype.prepareStart = function () {
    var incidents = stored(CHECKER_STORE), count = Array.isArray(incidents) ? incidents.length : 0;
    $("ct-apply-from-checker").hidden = count === 0;
    if (count) {
      $("ct-apply-use-checker-label").textContent = "Use the " + (count === 1 ? "incident" : count + " incidents") +
        " I entered in the date checker";
    }
    var started = this.started();
    $("ct-apply-in-progress").hidden = !started;
    $("ct-apply-restart").hidden = !started;
    $("ct-apply-start").textContent = started ? "Continue your application" : "Start now";
  };

  App.prototype.begin = function () {
    var incidents = stored(CHECKER_STORE);
    if (Array.isArray(incidents) && $("ct-apply-use-checker").checked) {
      D.addIncidents(this.model, this.data, incidents);
    }
    store(CHECKER_STORE, null);
    store(STORE, this.data);
    var open = D.allProblems(this.model, this.data)[0];
    this.go(this.started() && !open ? "check" : (open && this.started() ? open.step.id : this.neighbour("start", 1)));
  };

  App.prototype.forget = function () {
    this.data = {};
    this.sent = null;
    this.failure = null;
    store(STORE, null);
    store(SENT_STORE, null);
    this.model.steps.forEach(function (s) { $("ct-step-" + s.id).reset(); });
  };

  App.prototype.restart = function () {
    this.forget();
    this.prepareStart();
    $("ct-step-start-title").focus();
  };

  /* "Clear your answers from this browser", after sending: nothing of the application is left in the tab. */
  App.prototype.clear = function () {
    this.forget();
    this.go("start");
    $("ct-apply-start-status").textContent = "Your answers have been cleared from this browser.";
  };

  App.prototype.loadFile = function (input) {
    var self = this, file = input.files && input.files[0], error = $("ct-apply-file-error");
    if (!file) { return; }
    this.clearErrors();
    var fail = function (message) {
      self.showErrors([{ id: "ct-apply-file", focus: "ct-apply-file", message: message }]);
      input.value = "";
    };
    if (file.size > 2000000) { fail("The file is too large to be a saved answers file. Choose the file you saved from this page."); return; }
    file.text().then(function (text) {
      var parsed;
      try { parsed = JSON.parse(text); } catch (e) {
        throw new Error("The file could not be read as saved answers. Choose the file ending in .json that you saved from this page.");
      }
      var loaded = D.fromSaved(self.model, parsed);
      self.data = loaded.data;
      self.sent = null;       // these answers have not been sent from this tab
      store(STORE, self.data);
      store(SENT_STORE, null);
      self.model.steps.forEach(function (s) { $("ct-step-" + s.id).reset(); });
      self.leftOut = loaded.left_out;
      input.value = "";
      self.current = null;    // nothing on the page to read back: the file's answers stand
      // The first answer that needs attention, with its step's problems; then back to "Check your
      // answers", which lists whatever is left. With none, straight to "Check your answers".
      var open = D.allProblems(self.model, self.data)[0];
      self.backToCheck = true;
      self.pendingProblems = !!open;
      self.go(open ? open.step.id : "check");
    }).catch(function (e) { fail(e.message); });
    error.hidden = true;
  };

  /* -- "Check your answers" ------------------------------------------------------------------------- */

  function valueCell(lines) {
    var dd = el("dd", { "class": "ct-apply-summary__value" });
    if (!lines.length) { dd.textContent = "Not given"; dd.classList.add("ct-apply-summary__none"); return dd; }
    lines.forEach(function (line, i) {
      if (i) { dd.appendChild(el("br")); }
      dd.appendChild(document.createTextNode(line));
    });
    return dd;
  }

  App.prototype.summaryList = function (stepId, rows) {
    var self = this, dl = el("dl", { "class": "ct-apply-summary__list" });
    rows.forEach(function (row) {
      var div = el("div", { "class": "ct-apply-summary__row", "data-name": row.name });
      div.appendChild(el("dt", { "class": "ct-apply-summary__key" }, row.label));
      div.appendChild(valueCell(row.lines));
      var action = el("dd", { "class": "ct-apply-summary__action" });
      var a = el("a", { href: PREFIX + stepId }, "Change");
      a.appendChild(el("span", { "class": "ct-apply-visually-hidden" }, " " + row.words.charAt(0).toLowerCase() + row.words.slice(1)));
      a.addEventListener("click", function () { self.backToCheck = true; self.pendingFocus = row.focus; });
      action.appendChild(a);
      div.appendChild(action);
      dl.appendChild(div);
    });
    return dl;
  };

  App.prototype.renderCheck = function () {
    var self = this, box = $("ct-apply-summary");
    this.backToCheck = false;
    box.innerHTML = "";
    D.summary(this.model, this.data).forEach(function (section) {
      box.appendChild(el("h2", { "class": "ct-apply-summary__title" }, section.title));
      if (section.rows.length) { box.appendChild(self.summaryList(section.id, section.rows)); }
      section.groups.forEach(function (group) {
        box.appendChild(el("h3", { "class": "ct-apply-summary__subtitle" }, group.title));
        box.appendChild(self.summaryList(section.id, group.rows));
      });
      var step = self.steps[section.id];
      if (step.repeat) {
        var p = el("p"), a = el("a", { href: PREFIX + section.id }, "Add or remove " + step.repeat.item.replace(/ ?\{n\}/, "").toLowerCase() + "s");
        a.addEventListener("click", function () { self.backToCheck = true; });
        p.appendChild(a);
        box.appendChild(p);
      }
    });
    $("ct-apply-status").textContent = this.leftOut ?
      this.leftOut + " more incidents were in the file than the form has room for, so they were left out." : "";
    this.leftOut = 0;
    if (this.model.send) {   // sent once already: say so, with the reference, instead of offering to send again
      $("ct-apply-send-ready").hidden = !!this.sent;
      $("ct-apply-sent-before").hidden = !this.sent;
      $("ct-apply-sent-before-ref").textContent = this.sent ? this.sent.reference : "";
    }
  };

  /* On "Check your answers", each answer with a problem says so under it. */
  App.prototype.markSummary = function (problems) {
    var box = $("ct-apply-summary");
    problems.forEach(function (p) {
      var row = box.querySelector('[data-name="' + p.name.replace(/"/g, '\\"') + '"]');
      if (!row || row.querySelector(".ct-apply-error")) { return; }
      row.classList.add("ct-apply-summary__row--error");
      var message = el("p", { "class": "ct-apply-error" });
      message.appendChild(el("span", { "class": "ct-apply-visually-hidden" }, "Error: "));
      message.appendChild(document.createTextNode(p.message));
      row.querySelector(".ct-apply-summary__value").appendChild(message);
    });
  };

  App.prototype.checkProblems = function () {
    var found = [];
    D.allProblems(this.model, this.data).forEach(function (s) {
      s.problems.forEach(function (p) { p.step = s.step.id; found.push(p); });
    });
    return found;
  };

  /* -- the outputs ----------------------------------------------------------------------------------- */

  /* The answers file: what "Save your answers" writes and "Send your application" sends, the same bytes. */
  App.prototype.answersText = function () {
    return JSON.stringify(D.canonical(this.model, this.data), null, 2) + "\n";
  };

  App.prototype.save = function () {
    if (this.current && this.steps[this.current]) { this.readStep(this.steps[this.current]); }
    offer(this.answersText(), "community-trigger-" + this.model.form + "-answers.json", "application/json");
    var section = $("ct-step-" + this.current), status = section && section.querySelector(".ct-apply-status");
    if (status) { status.textContent = "Your answers have been saved as a file in your downloads."; }
  };

  /* The council's application PDF filled in with the answers, made here (pdf-lib and the font load from this site). */
  App.prototype.makePdf = function () {
    var self = this, link = $("ct-apply-pdf"), vendor = new URL("vendor/", SELF || location.href).href;
    var libs = window.PDFLib && window.fontkit ? Promise.resolve() :
      loadScript(vendor + "pdf-lib.min.js").then(function () { return loadScript(vendor + "fontkit.umd.min.js"); });
    return libs.then(function () {
      return Promise.all([fetchBytes(link.href), fetchBytes(vendor + "DejaVuSans.ttf")]);
    }).then(function (files) {
      return window.ctApplyPdf.fill(window.PDFLib, window.fontkit, files[0], files[1], D.pdfValues(self.model, self.data),
        { layout: self.model.pdf, labels: D.pdfLabels(self.model, self.data) });
    }).then(function (filled) { return filled.bytes; });
  };

  /* Every answer that still needs attention, listed at the top: true when there is none. */
  App.prototype.ready = function () {
    this.clearErrors();
    var problems = this.checkProblems();
    if (problems.length) { this.showErrors(problems, function (p) { return p.step; }); }
    return problems.length === 0;
  };

  App.prototype.download = function (button) {
    var self = this, status = $(button.getAttribute("data-status"));
    if (!this.ready()) { return; }
    if (!$("ct-apply-pdf")) { status.textContent = "The application form is not on this website, so it cannot be filled in here."; return; }
    button.disabled = true;
    status.textContent = "Making your application. This can take a few seconds.";
    this.makePdf().then(function (bytes) {
      offer(bytes, "community-trigger-" + self.model.form + ".pdf", "application/pdf");
      status.textContent = button.getAttribute("data-done") || "Your application has been downloaded as a PDF.";
    }).catch(function () {
      status.textContent = "Your application could not be made in this browser. Save your answers to a file, " +
        "or download the blank form and fill it in instead.";
    }).then(function () { button.disabled = false; });
  };

  /* "Send your application": the answers file and the filled PDF, as the contract names them, to the council's
   * own receiver. 201 with a reference: the confirmation. Anything else: "not-sent", saying why in the page's words. */
  App.prototype.send = function () {
    var self = this, send = this.model.send, status = $("ct-apply-send-status"), button = $("send-application");
    if (!this.ready()) { return; }
    if (!$("ct-apply-pdf")) { this.failure = "pdf"; this.go("not-sent"); return; }
    button.disabled = true;
    status.textContent = "Sending your application. This can take a few seconds.";
    function fail(why) { return function () { throw { why: why }; }; }
    this.makePdf().catch(fail("pdf")).then(function (pdf) {
      var answers = new Blob([self.answersText()], { type: "application/json" }), trap = $("ct-apply-leave-blank");
      if (answers.size > send.max_json_bytes || answers.size + pdf.length > send.max_bytes) { fail("refused")(); }
      var body = new FormData();
      body.append(send.json_part, answers, send.json_part);
      body.append(send.pdf_part, new Blob([pdf], { type: "application/pdf" }), send.pdf_part);
      body.append(send.honeypot, trap ? trap.value : "");
      return postWithin(send.url, body, send.timeout_seconds).catch(fail("network"));
    }).then(function (reply) {
      if (reply.status !== 201) { fail(reply.status === 429 || reply.status === 503 ? "busy" : "refused")(); }
      return reply.json().catch(fail("unclear"));
    }).then(function (answer) {
      var reference = answer && typeof answer.reference === "string" ? answer.reference.trim() : "";
      if (!reference) { fail("unclear")(); }
      self.sent = { reference: reference };
      self.failure = null;
      store(SENT_STORE, self.sent);
      self.go("sent");
    }).catch(function (e) {
      self.failure = e && e.why ? e.why : "network";
      self.go("not-sent");
    }).then(function () {
      button.disabled = false;
      status.textContent = "";
    });
  };

  App.prototype.explainFailure = function () {
    var why = this.failure;
    $("ct-apply-not-sent-why").querySelectorAll("[data-why]").forEach(function (p) {
      p.hidden = p.getAttribute("data-why") !== why;
    });
  };

  /* -- wiring -------------------------------------------------------------------------------------- */

  App.prototype.submitStep = function (step) {
    this.readStep(step);
    if (step.repeat) {   // rows left completely empty are dropped, as long as one is left
      var r = step.repeat;
      this.data[r.key] = this.data[r.key].filter(function (row) { return !D.rowIsEmpty(r, row); });
    }
    this.clearErrors();
    var problems = D.stepProblems(this.model, step, this.data);
    if (problems.length) {
      if (step.repeat) { this.renderRows(step, null); }
      this.showErrors(problems);
      return;
    }
    store(STORE, this.data);
    this.go(this.backToCheck ? "check" : this.neighbour(step.id, 1));
  };

  App.prototype.start = function () {
    var self = this;
    this.model.steps.forEach(function (step) {
      var form = $("ct-step-" + step.id);
      form.addEventListener("submit", function (ev) { ev.preventDefault(); self.submitStep(step); });
      form.addEventListener("change", function () { self.readStep(step); self.updateConditions(step); self.showWording(); });
      form.addEventListener("click", function (ev) {
        var button = ev.target.closest("button[data-action]");
        if (!button) { return; }
        var action = button.getAttribute("data-action");
        if (action === "add-row") { self.addRow(step); }
        if (action === "remove-row") { self.removeRow(step, Number(button.getAttribute("data-row"))); }
      });
    });
    this.root.querySelectorAll('button[data-action="save"]').forEach(function (b) {
      b.addEventListener("click", function () { self.save(); });
    });
    $("ct-apply-start").addEventListener("click", function () { self.begin(); });
    $("ct-apply-restart").addEventListener("click", function () { self.restart(); });
    $("ct-apply-file").addEventListener("change", function (ev) { self.loadFile(ev.target); });
    this.root.querySelectorAll('button[data-action="download"]').forEach(function (b) {
      b.addEventListener("click", function () { self.download(b); });
    });
    if (this.model.send) {
      $("send-application").addEventListener("click", function () { self.send(); });
      $("ct-apply-clear").addEventListener("click", function () { self.clear(); });
    }
    $("ct-apply-back").addEventListener("click", function () { self.readStepIfAny(); });
    window.addEventListener("hashchange", function () { self.route(); });
    this.root.hidden = false;
    $("ct-apply-nojs").hidden = true;
    this.route();
  };

  App.prototype.readStepIfAny = function () {
    if (this.current && this.steps[this.current]) { this.readStep(this.steps[this.current]); }
  };

  function init() {
    var root = $("ct-apply"), model = $("ct-apply-model");
    if (!root || !model || root.dataset.started || !D) { return; }
    root.dataset.started = "1";
    new App(root, JSON.parse(model.textContent)).start();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
