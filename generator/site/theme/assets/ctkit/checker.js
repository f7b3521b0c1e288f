/* The date checker ("Can I use it? Check your dates"): the form around window.ctJudge (judge.js).
 *
 * The page holds, as JSON written at build time, the criteria (from guidance/criteria.yml),
 * the rule in words (guidance/wording.yml) and the labels, hints and error messages of the
 * incident questions (forms/application.yml, through the form model), so the checker asks and
 * explains exactly as the form and the validator do. This script shows the form, reads
 * day/month/year answers, explains errors in words that say how to fix them, and explains the
 * result incident by incident. Nothing is sent anywhere.
 */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function longdate(iso) {
    var p = iso.split("-");
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }

  function months(n) { return n + (n === 1 ? " month" : " months"); }

  function sentence(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  /* A GOV.UK-style date: a fieldset with Day, Month and Year boxes. */
  function dateGroup(id, legend, hint) {
    var fs = el("fieldset", { "class": "ct-date", id: id, "aria-describedby": id + "-hint" });
    fs.appendChild(el("legend", {}, legend));
    fs.appendChild(el("p", { "class": "ct-hint", id: id + "-hint" }, hint));
    fs.appendChild(el("p", { "class": "ct-error", id: id + "-error", hidden: "" }));
    var row = el("div", { "class": "ct-date__row" });
    [["day", "Day", 2], ["month", "Month", 2], ["year", "Year", 4]].forEach(function (part) {
      var wrap = el("div", { "class": "ct-date__item" });
      wrap.appendChild(el("label", { "for": id + "-" + part[0] }, part[1]));
      wrap.appendChild(el("input", { id: id + "-" + part[0], name: id + "-" + part[0], type: "text",
        inputmode: "numeric", autocomplete: "off", maxlength: String(part[2]),
        "class": "ct-input ct-input--w" + part[2] }));
      row.appendChild(wrap);
    });
    fs.appendChild(row);
    return fs;
  }

  function textField(id, label, hint, width) {
    var wrap = el("div", { "class": "ct-field" });
    wrap.appendChild(el("label", { "for": id }, label));
    wrap.appendChild(el("p", { "class": "ct-hint", id: id + "-hint" }, hint));
    wrap.appendChild(el("p", { "class": "ct-error", id: id + "-error", hidden: "" }));
    wrap.appendChild(el("input", { id: id, name: id, type: "text", autocomplete: "off",
      "aria-describedby": id + "-hint", "class": "ct-input ct-input--" + width }));
    return wrap;
  }

  function setDate(id, date) {
    document.getElementById(id + "-day").value = String(date.getDate());
    document.getElementById(id + "-month").value = String(date.getMonth() + 1);
    document.getElementById(id + "-year").value = String(date.getFullYear());
  }

  /* The date typed in a group: "" when all boxes are empty, null when it is not a real date (in the
   * years of the one reading of dates, `reading`, exported with the criteria). */
  function readDate(id, reading) {
    var d = document.getElementById(id + "-day").value.trim();
    var m = document.getElementById(id + "-month").value.trim();
    var y = document.getElementById(id + "-year").value.trim();
    if (!d && !m && !y) { return ""; }
    if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) { return null; }
    var iso = y + "-" + pad(Number(m)) + "-" + pad(Number(d));
    return window.ctDates.isRealDate(iso, reading) ? iso : null;
  }

  function Checker(root, criteria, words) {
    this.root = root;
    this.criteria = criteria;
    this.words = words;
    this.count = 0;
    this.form = root.querySelector("form");
    this.list = root.querySelector("#ct-incidents");
    this.summary = root.querySelector("#ct-error-summary");
    this.result = document.getElementById("ct-result");
  }

  Checker.prototype.addIncident = function (focus) {
    this.count += 1;
    var n = this.count, id = "ct-i" + n;
    var w = this.words.fields;
    var fs = el("fieldset", { "class": "ct-incident", id: id });
    fs.appendChild(el("legend", { "class": "ct-incident__legend" }, "Incident " + n));
    fs.appendChild(dateGroup(id + "-occurred", w.occurred_on.label, w.occurred_on.hint));
    fs.appendChild(textField(id + "-time", w.occurred_at.label + " (optional)",
      w.occurred_at.hint + ". This helps tell apart two incidents on the same day.", "w5"));
    fs.appendChild(dateGroup(id + "-reported", w.reported_on.label, w.reported_on.hint));
    fs.appendChild(textField(id + "-to", w.reported_to.label, w.reported_to.hint, "w20"));
    this.list.appendChild(fs);
    if (focus) { document.getElementById(id + "-occurred-day").focus(); }
  };

  /* The form's hate incident tick, asked only where the version has a hate route: it changes the answer. */
  Checker.prototype.hateQuestion = function () {
    var w = this.words.fields.hate_incident;
    var wrap = el("div", { "class": "ct-field ct-checkbox" });
    wrap.appendChild(el("input", { id: "ct-hate", name: "ct-hate", type: "checkbox", "aria-describedby": "ct-hate-hint" }));
    wrap.appendChild(el("label", { "for": "ct-hate" }, w.label));
    wrap.appendChild(el("p", { "class": "ct-hint", id: "ct-hate-hint" }, w.hint + "."));
    return wrap;
  };

  Checker.prototype.clearErrors = function () {
    this.root.querySelectorAll(".ct-error").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    this.root.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
    this.summary.hidden = true;
    this.summary.innerHTML = "";
  };

  Checker.prototype.showErrors = function (errors) {
    var summary = this.summary;
    summary.appendChild(el("h2", { id: "ct-error-title" }, "Check what you entered"));
    var ul = el("ul");
    errors.forEach(function (e) {
      var message = document.getElementById(e.id + "-error");
      message.textContent = e.message;
      message.hidden = false;
      var target = document.getElementById(e.focus);
      target.setAttribute("aria-invalid", "true");
      var owner = document.getElementById(e.id);
      var described = (owner.getAttribute("aria-describedby") || "").split(" ");
      if (described.indexOf(e.id + "-error") < 0) {
        owner.setAttribute("aria-describedby", described.concat([e.id + "-error"]).join(" ").trim());
      }
      var li = el("li"), a = el("a", { href: "#" + e.focus }, e.message);
      a.addEventListener("click", function (ev) { ev.preventDefault(); target.focus(); });
      li.appendChild(a);
      ul.appendChild(li);
    });
    summary.appendChild(ul);
    summary.hidden = false;
    summary.focus();
  };

  /* Read the form; returns {receivedOn, incidents, numbers, errors}. Empty incidents are skipped. */
  Checker.prototype.read = function () {
    var errors = [], incidents = [], numbers = [], example = this.words.date_example;
    var reading = this.criteria.reading;
    var received = readDate("ct-received", reading);
    if (!received) {
      errors.push({ id: "ct-received", focus: "ct-received-day", message: (received === "" ?
        "Enter the date you will apply" : "The date you will apply must be a real date") + ", " + example });
    }
    for (var n = 1; n <= this.count; n++) {
      var id = "ct-i" + n;
      var occurred = readDate(id + "-occurred", reading), reported = readDate(id + "-reported", reading);
      var time = document.getElementById(id + "-time").value.trim();
      var to = document.getElementById(id + "-to").value.trim();
      if (occurred === "" && reported === "" && !time && !to) { continue; }
      [[occurred, "-occurred", "happened"], [reported, "-reported", "was reported"]].forEach(function (d) {
        if (!d[0]) {
          errors.push({ id: id + d[1], focus: id + d[1] + "-day", message: (d[0] === "" ?
            "Enter the date incident " + n + " " + d[2] :
            "The date incident " + n + " " + d[2] + " must be a real date") + ", " + example });
        }
      });
      if (time && !new RegExp(reading.time).test(time)) {
        errors.push({ id: id + "-time", focus: id + "-time",
          message: "The time of incident " + n + " must be like 21:30, or leave it empty" });
      } else if (time.length === 4) { time = "0" + time; }
      if (!to) {
        errors.push({ id: id + "-to", focus: id + "-to", message: "Incident " + n + ": " + this.words.fields.reported_to.error });
      }
      incidents.push({ occurred_on: occurred || null, occurred_at: time || null,
        reported_on: reported || null, reported_to: to });
      numbers.push(n);
    }
    if (!errors.length && !incidents.length) {
      errors.push({ id: "ct-i1-occurred", focus: "ct-i1-occurred-day",
        message: "Enter at least one incident: when it happened and when you reported it" });
    }
    var hate = document.getElementById("ct-hate");
    return { receivedOn: received, incidents: incidents, numbers: numbers, errors: errors,
             hateIncident: Boolean(hate && hate.checked) };
  };

  Checker.prototype.reason = function (code, incident, receivedOn, numbers, sameAs) {
    var c = this.criteria;
    switch (code) {
      case "in_future": return "it happened after the date you will apply (" + longdate(receivedOn) + ")";
      case "too_old": return "you will apply more than " + months(c.period_months) + " after you reported it. " +
        "For this report to count, you needed to apply by " +
        longdate(window.ctDates.lastApplicationDay(incident.reported_on, c.period_months));
      case "reported_before_it_happened": return "the date you reported it is before the date it happened. " +
        "Check both dates";
      case "reported_too_late": return "you reported it more than " + months(c.report_within_months) +
        " after it happened. The last day to report it was " +
        longdate(window.ctDates.addMonths(incident.occurred_on, c.report_within_months));
      case "reported_after_received": return "you reported it after the date you will apply";
      case "no_organisation": return "you have not said who you reported it to";
      case "duplicate_of_earlier_entry": return "it is the same incident as incident " + numbers[sameAs - 1] +
        " (the same day" + (incident.occurred_at ? " and time" : "") + "), reported again";
      default: return "a date is missing";
    }
  };

  Checker.prototype.explain = function (data, judgement) {
    var c = this.criteria, self = this;
    this.result.innerHTML = "";
    var box = el("div", { "class": "ct-result " + (judgement.threshold_met ? "ct-result--met" : "ct-result--not-met") });
    box.appendChild(el("h2", { id: "ct-result-title", tabindex: "-1" }, judgement.threshold_met ?
      "The threshold looks met" : "The threshold does not look met yet"));
    var reports = judgement.qualifying_complaints, incidents = judgement.qualifying_incidents;
    var counted = reports + (reports === 1 ? " report counts" : " reports count") +
      (incidents < reports ? " (about " + incidents + (incidents === 1 ? " incident" : " different incidents") +
        ": each report counts, even when you reported the same incident to two organisations)" : "");
    box.appendChild(el("p", {}, counted + ". You need at least " + c.threshold + ". " + sentence(this.words.rule.reporting) +
      ", and " + this.words.rule.window + "."));
    if (judgement.route === "hate") {
      box.appendChild(el("p", {}, "Because you said it is a hate incident, fewer reports are needed here: " +
        c.hate_route.incidents + (c.hate_route.incidents === 1 ? " report" : " reports") + " made in the last " +
        months(c.hate_route.months) + " can be enough."));
    } else if (judgement.route === "five_individuals") {
      box.appendChild(el("p", {}, "It looks met because " + judgement.individuals + " different people reported it."));
    }
    var ol = el("ul", { "class": "ct-result__list" });
    judgement.entries.forEach(function (entry, i) {
      var incident = data.incidents[i], n = data.numbers[i];
      var when = incident.occurred_on ? " (" + longdate(incident.occurred_on) +
        (incident.occurred_at ? " at " + incident.occurred_at : "") + ")" : "";
      var text = "Incident " + n + when + ": ";
      var said = function (code) { return self.reason(code, incident, data.receivedOn, data.numbers, entry.same_as); };
      var because = entry.reasons.filter(function (code) { return code !== "duplicate_of_earlier_entry"; });
      if (entry.qualifies) {
        text += "counts" + (entry.same_as ? " (" + said("duplicate_of_earlier_entry") + ")" : "") + ".";
      } else {
        text += "does not count, because " + because.map(said).join("; and ") + ".";
      }
      ol.appendChild(el("li", { "class": entry.qualifies ? "ct-counts" : "ct-does-not-count" }, text));
    });
    box.appendChild(ol);
    box.appendChild(el("p", {}, judgement.threshold_met ?
      "You can apply. The council's " + this.words.team + " will check the details, including whether " +
      "the incidents are related, and tell you its decision." :
      "You can still apply. The council's " + this.words.team + " will look at your case, and it can " +
      "check the organisations' records for reports you may have forgotten."));
    offerApplyOnline(box, data.incidents);
    this.result.appendChild(box);
    box.querySelector("h2").focus();
  };

  /* Apply online (apply.js): a link that carries these incidents to the online form, within this tab only. */
  function offerApplyOnline(box, incidents) {
    var page = document.getElementById("ct-apply-online");
    if (!page) { return; }
    var p = el("p"), a = el("a", { href: page.href, "class": "md-button" }, "Apply online with these incidents");
    a.addEventListener("click", function () {
      try { window.sessionStorage.setItem("ctkit:checker:incidents", JSON.stringify(incidents)); } catch (e) { /* off */ }
    });
    p.appendChild(a);
    box.appendChild(p);
  }

  Checker.prototype.start = function () {
    var self = this;
    this.root.querySelector("#ct-applying").appendChild(dateGroup("ct-received", "When will you apply?",
      "Today's date is filled in. Change it if you applied on another day. " + this.words.date_hint));
    setDate("ct-received", new Date());
    if (this.criteria.hate_route) { this.root.querySelector("#ct-applying").appendChild(this.hateQuestion()); }
    for (var i = 0; i < this.criteria.threshold; i++) { this.addIncident(false); }
    this.root.querySelector("#ct-add").addEventListener("click", function () { self.addIncident(true); });
    this.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      self.clearErrors();
      var data = self.read();
      if (data.errors.length) { self.result.innerHTML = ""; self.showErrors(data.errors); return; }
      self.explain(data, window.ctJudge(self.criteria, data.receivedOn, data.incidents, data.hateIncident));
    });
    this.root.hidden = false;
    var nojs = document.getElementById("ct-needs-js");
    if (nojs) { nojs.hidden = true; }
  };

  function init() {
    var root = document.getElementById("ct-checker");
    var data = document.getElementById("ct-criteria");
    if (!root || !data || root.dataset.started) { return; }
    root.dataset.started = "1";
    new Checker(root, JSON.parse(data.textContent), JSON.parse(document.getElementById("ct-words").textContent)).start();
  }

  /* Material's instant loading is off, but handle both a fresh page and its document$ stream. */
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
}());
