/* The threshold rules of the eligibility checker, as one pure function.
 *
 * window.ctJudge(criteria, receivedOn, incidents) mirrors generator/judge/threshold.py
 * (judge_incidents): same reason codes, same order, same grouping of duplicates. Both
 * are run against tests/cases/threshold_cases.yml, so they cannot drift apart.
 * Every figure comes from `criteria`, exported at build time from guidance/criteria.yml.
 * Dates are ISO strings (YYYY-MM-DD); comparing them as strings compares the dates.
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

  function isRealDate(iso) {
    var m = ISO.exec(iso || "");
    if (!m) { return false; }
    var month = Number(m[2]);
    return month >= 1 && month <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= daysInMonth(Number(m[1]), month);
  }

  function blank(value) {
    return value === undefined || value === null || String(value).trim() === "";
  }

  function timingReasons(entry, receivedOn, periodMonths, reportWithinMonths) {
    var reasons = [];
    var occurred = entry.occurred_on, reported = entry.reported_on;
    if (occurred === null || reported === null) { reasons.push("date_missing"); }
    if (occurred !== null) {
      if (occurred > receivedOn) { reasons.push("in_future"); }
      else if (occurred < addMonths(receivedOn, -periodMonths)) { reasons.push("too_old"); }
    }
    if (occurred !== null && reported !== null) {
      if (reported < occurred) { reasons.push("reported_before_it_happened"); }
      else if (reported > addMonths(occurred, reportWithinMonths)) { reasons.push("reported_too_late"); }
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

  /* Same date and time: one incident; an entry without a time joins the first incident of its day. */
  function groupIncidents(entries, countOnce) {
    var ordered = entries.slice().sort(function (a, b) {
      return compareKeys([a.occurred_on === null ? 1 : 0, a.occurred_on || "", a.occurred_at || "", a.index],
                         [b.occurred_on === null ? 1 : 0, b.occurred_on || "", b.occurred_at || "", b.index]);
    });
    if (!countOnce) { return ordered.map(function (e) { return [e]; }); }
    var groups = [], byKey = {}, firstOfDay = {}, untimed = [];
    ordered.forEach(function (e) {
      if (e.occurred_on === null) { groups.push([e]); }
      else if (e.occurred_at) {
        var key = e.occurred_on + " " + e.occurred_at;
        if (!byKey[key]) {
          byKey[key] = [];
          groups.push(byKey[key]);
          if (!firstOfDay[e.occurred_on]) { firstOfDay[e.occurred_on] = byKey[key]; }
        }
        byKey[key].push(e);
      } else { untimed.push(e); }
    });
    untimed.forEach(function (e) {
      var group = firstOfDay[e.occurred_on];
      if (!group) { group = firstOfDay[e.occurred_on] = []; groups.push(group); }
      group.push(e);
    });
    function groupKey(g) {
      var times = g.map(function (x) { return x.occurred_at || "99:99"; }).sort();
      var indexes = g.map(function (x) { return x.index; });
      return [g[0].occurred_on === null ? 1 : 0, g[0].occurred_on || "", times[0], Math.min.apply(null, indexes)];
    }
    groups.sort(function (a, b) { return compareKeys(groupKey(a), groupKey(b)); });
    return groups;
  }

  function normalise(raw, index) {
    var occurred = raw.occurred_on, reported = raw.reported_on;
    return {
      index: index,
      occurred_on: isRealDate(occurred) ? occurred : null,
      reported_on: isRealDate(reported) ? reported : null,
      occurred_at: blank(raw.occurred_at) ? null : String(raw.occurred_at).trim(),
      reported_to: blank(raw.reported_to) ? "" : String(raw.reported_to),
      reported_by: blank(raw.reported_by) ? "" : String(raw.reported_by)
    };
  }

  /* Judge every entry and the threshold. Entries come back in the order given. */
  function ctJudge(criteria, receivedOn, incidents) {
    var entries = (incidents || []).map(normalise);
    var own = entries.map(function (e) {
      return timingReasons(e, receivedOn, criteria.period_months, criteria.report_within_months);
    });
    var results = [], qualifying = 0;
    var groups = groupIncidents(entries, criteria.duplicates_count_once);
    groups.forEach(function (group, g) {
      var byReport = group.slice().sort(function (a, b) {
        return compareKeys([a.reported_on === null ? "9999-99-99" : a.reported_on, a.index],
                           [b.reported_on === null ? "9999-99-99" : b.reported_on, b.index]);
      });
      var passing = byReport.filter(function (e) { return own[e.index].length === 0; });
      var primary = (passing.length ? passing : byReport)[0];
      if (passing.length) { qualifying += 1; }
      group.forEach(function (e) {
        var reasons = own[e.index].slice();
        var sameAs = null;
        if (e !== primary) { reasons.push("duplicate_of_earlier_entry"); sameAs = primary.index + 1; }
        results[e.index] = { qualifies: reasons.length === 0, reasons: reasons, incident: g + 1, same_as: sameAs };
      });
    });
    var judgement = {
      threshold_met: qualifying >= criteria.threshold,
      qualifying_incidents: qualifying,
      incidents: groups.length,
      route: qualifying >= criteria.threshold ? "threshold" : null,
      window_start: addMonths(receivedOn, -criteria.period_months),
      entries: results
    };
    var route = criteria.five_individuals_route;
    if (route) {
      var people = {};
      entries.forEach(function (e) {
        var who = e.reported_by.split(/\s+/).filter(Boolean).join(" ").toLowerCase();
        if (who && timingReasons(e, receivedOn, route.period_months, criteria.report_within_months).length === 0) {
          people[who] = true;
        }
      });
      judgement.individuals = Object.keys(people).length;
      if (!judgement.threshold_met && judgement.individuals >= route.individuals) {
        judgement.threshold_met = true;
        judgement.route = "five_individuals";
      }
    }
    return judgement;
  }

  global.ctJudge = ctJudge;
  global.ctDates = { addMonths: addMonths, isRealDate: isRealDate };
}(window));
