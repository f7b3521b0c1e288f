/* The threshold rules of the date checker, as one pure function.
 *
 * ctJudge(criteria, receivedOn, incidents, hateIncident) mirrors generator/judge/threshold.py
 * (judge_incidents): the same reason codes in the same order, the same grouping into
 * occasions, the same two counts (the qualifying complaints decide) and the same routes. Both run the shared table of cases
 * (tests/cases/threshold_cases.yml) in the fast test run, so they cannot drift apart.
 * Every figure comes from `criteria`, exported at build time from guidance/criteria.yml.
 * Dates are ISO strings (YYYY-MM-DD); comparing them as strings compares the dates.
 *
 * A report is a qualifying complaint when it names who it was made to, was made on or after
 * the incident and within report_within_months of it, was made on or before the day the
 * application is received, and the application comes within period_months of the report
 * (s.104(11): the months run from the complaint, not from the incident).
 */
(function (global) {
  "use strict";

  var ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

  function daysInMonth(year, month) {            // month 1..12
    return new Date(Date.UTC(year, month, 0)).getUTCDate();
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) { s = "0" + s; }
    return s;
  }

  /* Calendar months added (or taken away), clamping the month end: 31 Jan + 1 = 28/29 Feb. */
  function addMonths(iso, months) {
    var m = ISO.exec(iso);
    var total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
    var year = Math.floor(total / 12);
    var month = total - year * 12 + 1;
    var day = Math.min(Number(m[3]), daysInMonth(year, month));
    return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2);
  }

  /* A real ISO date within the years of the one reading of dates (criteria.reading, exported from
   * generator/model/values.py). */
  function isRealDate(iso, reading) {
    var m = ISO.exec(iso || "");
    if (!m) { return false; }
    var year = Number(m[1]), month = Number(m[2]);
    return year >= reading.years[0] && year <= reading.years[1] && month >= 1 && month <= 12 &&
      Number(m[3]) >= 1 && Number(m[3]) <= daysInMonth(year, month);
  }

  function blank(value) {
    return value === undefined || value === null || String(value).trim() === "";
  }

  function lastApplicationDay(reportedOn, window) {
    return addMonths(reportedOn, window);
  }

  function timingReasons(entry, receivedOn, criteria, window) {
    var reasons = [];
    var occurred = entry.occurred_on, reported = entry.reported_on;
    var months = window === undefined ? criteria.period_months : window;
    if (occurred === null || reported === null) { reasons.push("date_missing"); }
    if (occurred !== null && occurred > receivedOn) { reasons.push("in_future"); }
    if (reported !== null && reported <= receivedOn && receivedOn > lastApplicationDay(reported, months)) {
      reasons.push("too_old");
    }
    if (occurred !== null && reported !== null) {
      if (reported < occurred) { reasons.push("reported_before_it_happened"); }
      else if (reported > addMonths(occurred, criteria.report_within_months)) { reasons.push("reported_too_late"); }
    }
    if (reported !== null && reported > receivedOn) { reasons.push("reported_after_received"); }
    if (blank(entry.reported_to)) { reasons.push("no_organisation"); }
    return reasons;
  }

  function compareKeys(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) { return -1; }
      if (a[i] > b[i]) { return 1; }
    }
    return 0;
  }

  /* Each entry's occasion as a key that does not depend on the order of the entries (threshold.py
   * _occasion_keys): same date and time, one occasion; an untimed entry joins the earliest qualifying
   * time of its date (or the date's untimed qualifying reports), never an entry that does not qualify.
   * With mergeUntimed false, an untimed entry is an occasion of its own. */
  function occasionKeys(entries, complaint, mergeUntimed) {
    var qualifyingTimes = {};
    entries.forEach(function (e) {
      if (e.occurred_on !== null && complaint[e.index]) {
        var times = qualifyingTimes[e.occurred_on] = qualifyingTimes[e.occurred_on] || [];
        if (e.occurred_at) { times.push(e.occurred_at); }
      }
    });
    return entries.map(function (e) {
      if (e.occurred_on === null) { return [1, "9999-12-31", "", e.index]; }
      if (e.occurred_at) { return [0, e.occurred_on, e.occurred_at, -1]; }
      var times = qualifyingTimes[e.occurred_on];
      if (mergeUntimed && times) { return [0, e.occurred_on, times.length ? times.slice().sort()[0] : "", -1]; }
      return [0, e.occurred_on, "", e.index];
    });
  }

  function groupOccasions(entries, complaint, mergeUntimed) {
    var keys = occasionKeys(entries, complaint, mergeUntimed);
    var byKey = {}, order = [];
    entries.forEach(function (e) {
      var id = JSON.stringify(keys[e.index]);
      if (!byKey[id]) { byKey[id] = []; order.push(keys[e.index]); }
      byKey[id].push(e);
    });
    order.sort(compareKeys);
    return order.map(function (key) { return byKey[JSON.stringify(key)]; });
  }

  function normalise(raw, index, reading) {
    var occurred = raw.occurred_on, reported = raw.reported_on;
    return {
      index: index,
      occurred_on: isRealDate(occurred, reading) ? occurred : null,
      reported_on: isRealDate(reported, reading) ? reported : null,
      occurred_at: blank(raw.occurred_at) ? null : String(raw.occurred_at).trim(),
      reported_to: blank(raw.reported_to) ? "" : String(raw.reported_to),
      reported_by: blank(raw.reported_by) ? "" : String(raw.reported_by)
    };
  }

  /* One person however the name is spaced or cased: threshold.py person_key. */
  var NAME_SPACES = /[ \t\n\r\f\v\u00a0]+/g;
  function personKey(name) {
    return String(name || "").replace(NAME_SPACES, " ").replace(/^ +| +$/g, "").toUpperCase().toLowerCase();
  }

  function qualifyingOccasions(groups, complaint) {
    return groups.filter(function (g) {
      return g.some(function (e) { return complaint[e.index]; });
    }).length;
  }

  /* Judge every entry and the threshold. Entries come back in the order given. The qualifying
   * complaints decide in every version (s.104(4)); the occasions are counted beside them. */
  function ctJudge(criteria, receivedOn, incidents, hateIncident) {
    var entries = (incidents || []).map(function (raw, i) { return normalise(raw, i, criteria.reading); });
    var own = entries.map(function (e) { return timingReasons(e, receivedOn, criteria); });
    var complaint = own.map(function (reasons) { return reasons.length === 0; });
    var results = [];
    var groups = groupOccasions(entries, complaint, true);
    groups.forEach(function (group, g) {
      var byReport = group.slice().sort(function (a, b) {
        return compareKeys([a.reported_on === null ? "9999-99-99" : a.reported_on, a.index],
                           [b.reported_on === null ? "9999-99-99" : b.reported_on, b.index]);
      });
      var passing = byReport.filter(function (e) { return complaint[e.index]; });
      var primary = (passing.length ? passing : byReport)[0];
      var untimedMerge = group.length > 1 && group.some(function (e) { return !e.occurred_at; });
      group.forEach(function (e) {
        var reasons = own[e.index].slice();
        var sameAs = null;
        if (e !== primary) {
          sameAs = primary.index + 1;
          reasons.push("duplicate_of_earlier_entry");   // a note: it adds no occasion, it still counts
        }
        results[e.index] = { complaint: complaint[e.index], qualifies: complaint[e.index], reasons: reasons,
                             incident: g + 1, same_as: sameAs, untimed_merge: untimedMerge };
      });
    });
    var complaints = complaint.filter(Boolean).length;
    var met = complaints >= criteria.threshold;
    var judgement = {
      threshold_met: met,
      qualifying_complaints: complaints,
      qualifying_incidents: qualifyingOccasions(groups, complaint),
      deciding_count: complaints,
      incidents: groups.length,
      incidents_if_untimed_apart: qualifyingOccasions(groupOccasions(entries, complaint, false), complaint),
      route: met ? "threshold" : null,
      entries: results
    };
    var route = criteria.five_individuals_route;
    if (route) {
      var people = {};
      entries.forEach(function (e) {
        var who = personKey(e.reported_by);
        if (who && timingReasons(e, receivedOn, criteria, route.period_months).length === 0) { people[who] = true; }
      });
      judgement.individuals = Object.keys(people).length;
      if (!judgement.threshold_met && judgement.individuals >= route.individuals) {
        judgement.threshold_met = true;
        judgement.route = "five_individuals";
      }
    }
    var hate = criteria.hate_route;
    if (hate && hateIncident && !judgement.threshold_met) {
      var within = entries.filter(function (e) {
        return timingReasons(e, receivedOn, criteria, hate.months).length === 0;
      }).length;
      if (within >= hate.incidents) { judgement.threshold_met = true; judgement.route = "hate"; }
    }
    return judgement;
  }

  global.ctJudge = ctJudge;
  global.ctDates = { addMonths: addMonths, isRealDate: isRealDate, lastApplicationDay: lastApplicationDay };
}(typeof window !== "undefined" ? window : globalThis));
