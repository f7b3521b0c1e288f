/* Apply online: the council's own application PDF, filled in the browser.
 *
 * window.ctApplyPdf.fill(PDFLib, fontkit, pdfBytes, fontBytes, values, job) sets each field named in
 * `values` (PDF field name -> text, true for a tick, or a radio option) with pdf-lib and draws every
 * text answer in DejaVu Sans (embedded, as a subset), so a name such as "Zoë Łukasik – O’Brien Şahin"
 * shows in any PDF reader. The field's value keeps every character, which is what the SPOC's
 * validator reads. `job` comes from the page's model (generator/site/apply_page.py): `layout`, the
 * kit's own figures and words for laying out answers and pages (generator/render/answer_layout.py),
 * and `labels`, each field's question in words.
 *
 * As in the kit's own PDFs, an answer is drawn at 10 pt, or down to 9 pt, never smaller; what still
 * does not fit continues on a page added at the end ("Continued from “What happened in incident 2” on
 * page 3"), and the box says on which page. Wrapping measures each word once, so a long answer takes
 * linear time (pdf-lib's own multi-line layout is roughly cubic: 2,000 characters took a minute).
 * Pages that hold only rows of incidents beyond those answered are left out (the kit marks them
 * /CtkitRows). The PDF stays tagged: what is added is tagged, what is left out leaves the structure
 * tree, and "Page n of N" is set to the new count. The libraries are passed in, so the same file runs
 * in Node in the tests. The PDF keeps its metadata: its keywords say which form and version it is.
 */
(function (global) {
  "use strict";

  /* -- laying out an answer (the same rules as answer_layout.py) ------------------------------------ */

  function measurer(font, size) {
    var cache = Object.create(null);
    return function (text) {
      var w = cache[text];
      if (w === undefined) { w = cache[text] = font.widthOfTextAtSize(text, size); }
      return w;
    };
  }

  /* Lines no wider than `width`, each [text, endsParagraph]; a word wider than a line is broken. */
  function wrap(text, width, measure) {
    var out = [], space = measure(" ");
    text.split("\n").forEach(function (paragraph) {
      var line = [], used = 0;
      paragraph.split(/\s+/).filter(Boolean).forEach(function (word) {
        var w = measure(word);
        if (w > width) {
          if (line.length) { out.push([line.join(" "), false]); }
          var piece = "", pieceW = 0;
          Array.from(word).forEach(function (ch) {
            var cw = measure(ch);
            if (piece && pieceW + cw > width) { out.push([piece, false]); piece = ""; pieceW = 0; }
            piece += ch;
            pieceW += cw;
          });
          line = [piece];
          used = pieceW;
          return;
        }
        if (line.length && used + space + w > width) { out.push([line.join(" "), false]); line = []; used = 0; }
        used += (line.length ? space : 0) + w;
        line.push(word);
      });
      out.push([line.join(" "), true]);
    });
    return out;
  }

  function joinLines(lines) {
    return lines.map(function (l) { return l[0] + (l[1] ? "\n" : " "); }).join("").trim();
  }

  function lineCount(L, height, size) {
    return Math.max(1, Math.floor((height - 2 * L.inset) / (size * L.line_factor)));
  }

  /* {lines, size, rest} for `text` in a box `width` × `height`; `page` is where the rest would go. */
  function layOut(L, font, text, width, height, multiline, page) {
    text = String(text).replace(/\r\n?/g, "\n");
    if (!text.trim()) { return { lines: [], size: L.sizes[0], rest: "" }; }
    var room = width - 2 * L.pad_x, lines = null, measure = null;
    for (var i = 0; i < L.sizes.length; i++) {
      var size = L.sizes[i];
      measure = measurer(font, size);
      if (multiline) {
        lines = wrap(text, room, measure);
        while (lines.length > 1 && !lines[lines.length - 1][0]) { lines.pop(); }
        if (lines.length <= lineCount(L, height, size)) {
          return { lines: lines.map(function (l) { return l[0]; }), size: size, rest: "" };
        }
      } else {
        var flat = text.split(/\s+/).filter(Boolean).join(" ");
        if (measure(flat) <= room) { return { lines: [flat], size: size, rest: "" }; }
      }
    }
    var smallest = L.sizes[L.sizes.length - 1], note = L.note.replace("{page}", String(page));
    if (multiline) {
      var keep = lineCount(L, height, smallest) - 1;
      return { lines: lines.slice(0, keep).map(function (l) { return l[0]; }).concat([note]), size: smallest,
               rest: joinLines(lines.slice(keep)) };
    }
    var whole = text.split(/\s+/).filter(Boolean).join(" "), tail = L.ellipsis + " " + note;
    var budget = room - measure(tail), start = "", used = 0, chars = Array.from(whole);
    for (var c = 0; c < chars.length; c++) {
      used += measure(chars[c]);
      if (used > budget) { break; }
      start += chars[c];
    }
    return { lines: [start.replace(/\s+$/, "") + tail], size: smallest, rest: whole };
  }

  /* -- low-level PDF helpers ------------------------------------------------------------------------ */

  function op(lib, name, args) { return lib.PDFOperator.of(name, args || []); }

  function num(lib, n) { return lib.PDFNumber.of(Math.round(n * 1000) / 1000); }

  function key(ref) { return ref ? ref.toString() : ""; }

  function kidsOf(lib, value) {
    if (value instanceof lib.PDFArray) { return value.asArray(); }
    return value === undefined ? [] : [value];
  }

  /* A box's appearance: the kit's white box and grey border, the lines clipped inside it. */
  function boxAppearance(lib, L, font, widget, fit, multiline) {
    var rect = widget.getRectangle(), w = rect.width, h = rect.height, mk = widget.getAppearanceCharacteristics();
    var border = (mk && mk.getBorderColor()) || [0.35, 0.35, 0.35], fill = (mk && mk.getBackgroundColor()) || [1, 1, 1];
    var rgb = function (c) { return c.length === 1 ? [c[0], c[0], c[0]] : c.slice(0, 3); };
    var ops = [op(lib, "BMC", [lib.PDFName.of("Tx")]), op(lib, "q"),
      op(lib, "rg", rgb(fill).map(function (v) { return num(lib, v); })),
      op(lib, "re", [num(lib, 0.5), num(lib, 0.5), num(lib, w - 1), num(lib, h - 1)]), op(lib, "f"),
      op(lib, "RG", rgb(border).map(function (v) { return num(lib, v); })), op(lib, "w", [num(lib, 1)]),
      op(lib, "re", [num(lib, 0.5), num(lib, 0.5), num(lib, w - 1), num(lib, h - 1)]), op(lib, "S")];
    if (fit.lines.length) {
      var y = multiline ? h - L.inset - fit.size : (h - fit.size) / 2 + 0.22 * fit.size;
      ops.push(op(lib, "re", [num(lib, L.inset), num(lib, L.inset), num(lib, w - 2 * L.inset), num(lib, h - 2 * L.inset)]),
        op(lib, "W"), op(lib, "n"), lib.beginText(), lib.setFontAndSize(font.name, fit.size),
        op(lib, "g", [num(lib, 0)]), lib.moveText(L.pad_x, y));
      fit.lines.forEach(function (line, i) {
        if (i) { ops.push(lib.moveText(0, -fit.size * L.line_factor)); }
        ops.push(lib.showText(font.encodeText(line)));
      });
      ops.push(lib.endText());
    }
    ops.push(op(lib, "Q"), op(lib, "EMC"));
    return ops;
  }

  /* -- the structure tree ------------------------------------------------------------------------------ */

  function Tags(lib, doc) {
    this.lib = lib;
    this.doc = doc;
    this.root = doc.catalog.lookupMaybe(lib.PDFName.of("StructTreeRoot"), lib.PDFDict);
    var parents = this.root && this.root.lookupMaybe(lib.PDFName.of("ParentTree"), lib.PDFDict);
    this.nums = parents && parents.lookupMaybe(lib.PDFName.of("Nums"), lib.PDFArray);
  }

  /* The Document element, under which every part of the form hangs. */
  Tags.prototype.document = function () {
    var k = this.root.lookup(this.lib.PDFName.of("K"));
    return k instanceof this.lib.PDFArray ? k.get(0) : this.root.get(this.lib.PDFName.of("K"));
  };

  /* Take out every element whose content was all on the dropped pages or in the dropped annotations. */
  Tags.prototype.prune = function (pages, annots) {
    var lib = this.lib, ctx = this.doc.context, N = lib.PDFName;
    function gone(kid, pg) {
      var node = kid instanceof lib.PDFRef ? ctx.lookup(kid) : kid;
      if (node instanceof lib.PDFNumber) { return pages.has(key(pg)); }
      if (!(node instanceof lib.PDFDict)) { return false; }
      var type = node.get(N.of("Type"));
      if (type === N.of("MCR")) { return pages.has(key(node.get(N.of("Pg")))); }
      if (type === N.of("OBJR")) { return annots.has(key(node.get(N.of("Obj")))) || pages.has(key(node.get(N.of("Pg")))); }
      return walk(node);
    }
    function walk(el) {
      var k = el.get(N.of("K")), list = k instanceof lib.PDFRef && ctx.lookup(k) instanceof lib.PDFArray ? ctx.lookup(k) : k;
      var kids = kidsOf(lib, list), pg = el.get(N.of("Pg"));
      if (!kids.length) { return false; }
      var kept = kids.filter(function (kid) { return !gone(kid, pg); });
      if (kept.length === kids.length) { return false; }
      if (!kept.length) { return true; }
      el.set(N.of("K"), kept.length === 1 ? kept[0] : ctx.obj(kept));
      return false;
    }
    if (this.root) { walk(this.root); }
  };

  Tags.prototype.dropKeys = function (keys) {
    if (!this.nums) { return; }
    var lib = this.lib, items = this.nums.asArray(), kept = [];
    for (var i = 0; i + 1 < items.length; i += 2) {
      if (!keys.has(items[i].asNumber())) { kept.push(items[i], items[i + 1]); }
    }
    while (this.nums.size()) { this.nums.remove(0); }
    kept.forEach(function (item) { this.nums.push(item); }, this);
  };

  Tags.prototype.nextKey = function () {
    var lib = this.lib, N = lib.PDFName, next = this.root.lookupMaybe(N.of("ParentTreeNextKey"), lib.PDFNumber);
    var value = next ? next.asNumber() : 0;
    this.root.set(N.of("ParentTreeNextKey"), lib.PDFNumber.of(value + 1));
    return value;
  };

  /* A new element under `parent` (a ref), starting on page `pg`; returns its ref. */
  Tags.prototype.element = function (role, parent, pg) {
    var lib = this.lib, ctx = this.doc.context, N = lib.PDFName;
    var ref = ctx.register(ctx.obj({ Type: "StructElem", S: role, P: parent, Pg: pg, K: [] }));
    var parentDict = ctx.lookup(parent, lib.PDFDict), k = parentDict.get(N.of("K"));
    var kids = kidsOf(lib, k instanceof lib.PDFRef && ctx.lookup(k) instanceof lib.PDFArray ? ctx.lookup(k) : k);
    parentDict.set(N.of("K"), ctx.obj(kids.concat([ref])));
    return ref;
  };

  /* -- pages that hold only unanswered rows ------------------------------------------------------------ */

  function rowsAnswered(values) {
    var most = {};
    Object.keys(values).forEach(function (name) {
      var m = /^([a-z_]+):(\d+):/.exec(name);
      if (m) { most[m[1]] = Math.max(most[m[1]] || 0, Number(m[2])); }
    });
    return Math.max.apply(null, [0].concat(Object.keys(most).map(function (k) { return most[k]; })));
  }

  function dropUnansweredRows(lib, doc, tags, answered) {
    var N = lib.PDFName, ctx = doc.context, pages = doc.getPages(), drop = [];
    pages.forEach(function (page, i) {
      var rows = page.node.lookupMaybe(N.of("CtkitRows"), lib.PDFNumber);
      if (rows && rows.asNumber() > answered) { drop.push(i); }
    });
    if (!drop.length) { return 0; }
    var pageKeys = new Set(), annots = new Set(), keys = new Set();
    drop.forEach(function (i) {
      var node = pages[i].node;
      pageKeys.add(key(pages[i].ref));
      var sp = node.lookupMaybe(N.of("StructParents"), lib.PDFNumber);
      if (sp) { keys.add(sp.asNumber()); }
      var list = node.lookupMaybe(N.of("Annots"), lib.PDFArray);
      (list ? list.asArray() : []).forEach(function (ref) {
        annots.add(key(ref));
        var a = ctx.lookup(ref, lib.PDFDict), p = a.lookupMaybe(N.of("StructParent"), lib.PDFNumber);
        if (p) { keys.add(p.asNumber()); }
      });
    });
    var acro = doc.catalog.lookupMaybe(N.of("AcroForm"), lib.PDFDict);
    var fields = acro && acro.lookupMaybe(N.of("Fields"), lib.PDFArray);
    if (fields) {
      for (var f = fields.size() - 1; f >= 0; f--) {
        if (annots.has(key(fields.get(f)))) { fields.remove(f); }
      }
    }
    tags.prune(pageKeys, annots);
    tags.dropKeys(keys);
    drop.slice().reverse().forEach(function (i) {
      var ref = pages[i].ref, contents = pages[i].node.get(N.of("Contents"));
      doc.removePage(i);
      kidsOf(lib, contents instanceof lib.PDFRef && ctx.lookup(contents) instanceof lib.PDFArray ?
        ctx.lookup(contents) : contents).forEach(function (c) { if (c instanceof lib.PDFRef) { ctx.delete(c); } });
      ctx.delete(ref);
    });
    if (doc.pageCache) { doc.pageCache.invalidate(); }   // pdf-lib 1.17 forgets to after removePage
    annots.forEach(function (k) {
      var parts = k.split(" ");
      ctx.delete(lib.PDFRef.of(Number(parts[0]), Number(parts[1])));
    });
    return drop.length;
  }

  /* -- the continuation pages ----------------------------------------------------------------------------- */

  /* Where each line of the continued answers goes: [{page, items}], and each answer's first page. */
  function planContinuation(L, font, entries, firstPage) {
    var P = L.page, pages = [], y = P.top, items = [], starts = {}, width = P.content_width;
    function newPage() { pages.push(items); items = []; y = P.top; }
    function ensure(h) { if (y - h < P.bottom && y < P.top) { newPage(); } }
    function block(text, size, lead, role, element, after) {
      wrap(text, width, measurer(font, size)).forEach(function (line) {
        ensure(lead);
        items.push({ text: line[0], size: size, y: y - size, role: role, element: element });
        y -= lead;
      });
      y -= after;
    }
    var head = P.heading;
    items.push({ shade: true, y: y, height: head[1] + 8 });
    items.push({ text: L.continued_title, size: head[0], y: y - 4 - head[0], role: "H2", element: "title", x: 6 });
    y -= head[1] + 16;
    block(L.continued_intro, P.body[0], P.body[1], "P", "intro", 8);
    entries.forEach(function (entry, i) {
      ensure(P.label[1] + 3 * P.body[1]);
      starts[entry.name] = firstPage + pages.length;
      block(L.continued_from.replace("{label}", entry.label).replace("{page}", String(entry.page)),
        P.label[0], P.label[1], "H3", "h" + i, 2);
      block(entry.rest, P.body[0], P.body[1], "P", "p" + i, 10);
    });
    pages.push(items);
    return { pages: pages, starts: starts };
  }

  function drawFooter(lib, doc, page, font, L, number, total) {
    var P = L.page, F = L.footer, grey = lib.grayscale(0.27);
    page.pushOperators(op(lib, "BDC", [lib.PDFName.of("Artifact"), doc.context.obj({ Type: "Pagination", Subtype: "Footer" })]));
    page.drawLine({ start: { x: P.margin_x, y: F.rule_y }, end: { x: P.page_width - P.margin_x, y: F.rule_y },
      thickness: 0.5, color: lib.grayscale(0.35) });
    var y = F.top, measure = measurer(font, F.size);
    F.lines.forEach(function (text, i) {
      var width = i === F.lines.length - 1 ? P.content_width - 80 : P.content_width;
      wrap(text, width, measure).forEach(function (line) {
        page.drawText(line[0], { x: P.margin_x, y: y - F.size, size: F.size, font: font, color: grey });
        y -= F.lead;
      });
    });
    var label = "Page " + number + " of " + total;
    page.drawText(label, { x: P.page_width - P.margin_x - measure(label), y: y + F.lead - F.size, size: F.size,
      font: font, color: grey });
    page.pushOperators(op(lib, "EMC"));
  }

  function drawContinuation(lib, doc, font, L, tags, plan, firstPage, total) {
    var N = lib.PDFName, ctx = doc.context, P = L.page, size = doc.getPage(0).getSize();
    var documentRef = tags.document(), sect = null, elements = {};
    plan.pages.forEach(function (items, index) {
      var page = doc.addPage([size.width, size.height]), mcid = 0, marks = [];
      var structKey = tags.nextKey();
      page.node.set(N.of("StructParents"), lib.PDFNumber.of(structKey));
      page.node.set(N.of("Tabs"), N.of("S"));
      if (!sect) { sect = tags.element("Sect", documentRef, page.ref); }
      items.forEach(function (item) {
        if (item.shade) {
          page.pushOperators(op(lib, "BMC", [N.of("Artifact")]));
          page.drawRectangle({ x: P.margin_x, y: item.y - item.height, width: P.content_width, height: item.height,
            color: lib.rgb(0.93, 0.94, 0.96) });
          page.pushOperators(op(lib, "EMC"));
          return;
        }
        var parent = sect;
        if (/^[hp]\d+$/.test(item.element)) {   // each answer: a Div holding its H3 and its P
          var div = "d" + item.element.slice(1);
          if (!elements[div]) { elements[div] = tags.element("Div", sect, page.ref); }
          parent = elements[div];
        }
        if (!elements[item.element]) { elements[item.element] = tags.element(item.role, parent, page.ref); }
        var el = ctx.lookup(elements[item.element], lib.PDFDict);
        page.pushOperators(op(lib, "BDC", [N.of(item.role), ctx.obj({ MCID: mcid })]));
        page.drawText(item.text, { x: P.margin_x + (item.x || 0), y: item.y, size: item.size, font: font,
          color: lib.rgb(0, 0, 0) });
        page.pushOperators(op(lib, "EMC"));
        var kids = kidsOf(lib, el.get(N.of("K")));
        kids.push(el.get(N.of("Pg")) === page.ref ? lib.PDFNumber.of(mcid) :
          ctx.obj({ Type: "MCR", Pg: page.ref, MCID: mcid }));
        el.set(N.of("K"), ctx.obj(kids));
        marks.push(elements[item.element]);
        mcid += 1;
      });
      tags.nums.push(lib.PDFNumber.of(structKey));
      tags.nums.push(ctx.register(ctx.obj(marks)));
      drawFooter(lib, doc, page, font, L, firstPage + index, total);
    });
  }

  /* "Page n of N": N is one form XObject every page's footer shows; draw the new count into it. */
  function setPageCount(lib, doc, font, L, total) {
    var N = lib.PDFName, ctx = doc.context, resources = doc.getPage(0).node.Resources();
    var xobjects = resources && resources.lookupMaybe(N.of("XObject"), lib.PDFDict);
    if (!xobjects) { return; }
    xobjects.keys().forEach(function (name) {
      if (name.asString().indexOf(L.footer.page_count_form) < 0) { return; }
      var ref = xobjects.get(name), old = ctx.lookup(ref);
      var bbox = old.dict.lookup(N.of("BBox"));
      var fonts = {};
      fonts[font.name] = font.ref;
      ctx.assign(ref, ctx.formXObject([op(lib, "rg", [num(lib, 0.27), num(lib, 0.27), num(lib, 0.27)]),
        lib.beginText(), lib.setFontAndSize(font.name, L.footer.size), lib.showText(font.encodeText(String(total))),
        lib.endText()], { BBox: bbox, Resources: { Font: fonts } }));
    });
  }

  /* -- filling ---------------------------------------------------------------------------------------------- */

  function pageOfWidgets(lib, doc) {
    var where = {};
    doc.getPages().forEach(function (page, i) {
      var list = page.node.lookupMaybe(lib.PDFName.of("Annots"), lib.PDFArray);
      (list ? list.asArray() : []).forEach(function (ref) { where[key(ref)] = i + 1; });
    });
    return where;
  }

  /* Resolves to the filled PDF's bytes and the names of any fields the PDF does not have. */
  function fill(lib, fontkit, pdfBytes, fontBytes, values, job) {
    job = job || {};
    var L = job.layout, labels = job.labels || {};
    var doc, font, missing = [];
    return lib.PDFDocument.load(pdfBytes, { updateMetadata: false }).then(function (loaded) {
      doc = loaded;
      doc.registerFontkit(fontkit);
      return doc.embedFont(fontBytes, { subset: true });
    }).then(function (embedded) {
      font = embedded;
      var tags = new Tags(lib, doc);
      if (tags.root) { dropUnansweredRows(lib, doc, tags, rowsAnswered(values)); }
      var form = doc.getForm(), pages = pageOfWidgets(lib, doc), boxes = [], entries = [];
      Object.keys(values).forEach(function (name) {
        var field;
        try { field = form.getField(name); } catch (e) { missing.push(name); return; }
        var value = values[name];
        if (field instanceof lib.PDFTextField) {
          var text = String(value), widget = field.acroField.getWidgets()[0], rect = widget.getRectangle();
          var multiline = field.isMultiline(), fit = layOut(L, font, text, rect.width, rect.height, multiline, "?");
          field.acroField.setValue(lib.PDFHexString.fromText(text));   // every character, whatever the box shows
          boxes.push({ field: field, widget: widget, text: text, multiline: multiline, rect: rect });
          if (fit.rest) {
            entries.push({ name: name, label: labels[name] || name, page: pages[key(field.ref)] || 1, rest: fit.rest });
          }
        } else if (field instanceof lib.PDFCheckBox) {
          if (value === true) { field.check(); } else { field.uncheck(); }
        } else if (field instanceof lib.PDFRadioGroup) {
          field.select(String(value));
        } else {
          missing.push(name);
        }
      });
      var first = doc.getPageCount() + 1;
      var plan = entries.length ? planContinuation(L, font, entries, first) : { pages: [], starts: {} };
      var total = doc.getPageCount() + plan.pages.length;
      boxes.forEach(function (b) {
        var fit = layOut(L, font, b.text, b.rect.width, b.rect.height, b.multiline, plan.starts[b.field.getName()] || "?");
        b.field.acroField.setFontSize(fit.size);
        b.field.updateAppearances(font, function () { return boxAppearance(lib, L, font, b.widget, fit, b.multiline); });
      });
      if (plan.pages.length && tags.root) { drawContinuation(lib, doc, font, L, tags, plan, first, total); }
      setPageCount(lib, doc, font, L, total);
      // Tick boxes and radio buttons keep the form's own drawings of "on"; only text is redrawn.
      return doc.save({ updateFieldAppearances: false });
    }).then(function (bytes) {
      return { bytes: bytes, missing: missing };
    });
  }

  global.ctApplyPdf = { fill: fill, layOut: layOut, wrap: wrap };
}(typeof window !== "undefined" ? window : globalThis));
