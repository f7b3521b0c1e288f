/* Apply online: the council's own application PDF, filled in the browser.
 *
 * window.ctApplyPdf.fill(PDFLib, fontkit, pdfBytes, fontBytes, values) sets each field named in
 * `values` (PDF field name -> text, true for a tick, or a radio option) with pdf-lib, and draws
 * every text answer in DejaVu Sans (embedded, as a subset), so a name such as "Zoë Łukasik –
 * O’Brien Şahin" shows in any PDF reader. The field's value keeps every character, which is
 * what the SPOC's validator reads. Like the kit's own filler, a long answer is drawn smaller
 * (down to 6 pt) until it fits its box. The libraries are passed in, so the same file runs in
 * Node in the tests. The PDF keeps its metadata: its keywords say which form and version it is.
 */
(function (global) {
  "use strict";

  var SIZE = 10, SMALLEST = 6, STEP = 0.5;

  function wrap(font, text, size, width) {
    var lines = [];
    text.split("\n").forEach(function (paragraph) {
      var line = "";
      paragraph.split(/\s+/).forEach(function (word) {
        var candidate = line ? line + " " + word : word;
        if (!line || font.widthOfTextAtSize(candidate, size) <= width) { line = candidate; return; }
        lines.push(line);
        line = word;
      });
      lines.push(line);
    });
    return lines;
  }

  function fits(font, text, size, box, multiline) {
    var width = box.width - 4, height = box.height - 4;
    if (!multiline) { return font.widthOfTextAtSize(text.replace(/\n/g, " "), size) <= width; }
    var lines = wrap(font, text, size, width);
    return lines.every(function (l) { return font.widthOfTextAtSize(l, size) <= width; }) &&
      lines.length * font.heightAtSize(size) <= height;
  }

  function sizeFor(font, field, text) {
    var box = field.acroField.getWidgets()[0].getRectangle(), multiline = field.isMultiline(), size = SIZE;
    while (size > SMALLEST && !fits(font, text, size, box, multiline)) { size -= STEP; }
    return size;
  }

  /* Resolves to the filled PDF's bytes and the names of any fields the PDF does not have. */
  function fill(lib, fontkit, pdfBytes, fontBytes, values) {
    var doc, font, missing = [];
    return lib.PDFDocument.load(pdfBytes, { updateMetadata: false }).then(function (loaded) {
      doc = loaded;
      doc.registerFontkit(fontkit);
      return doc.embedFont(fontBytes, { subset: true });
    }).then(function (embedded) {
      font = embedded;
      var form = doc.getForm();
      Object.keys(values).forEach(function (name) {
        var field;
        try { field = form.getField(name); } catch (e) { missing.push(name); return; }
        var value = values[name];
        if (field instanceof lib.PDFTextField) {
          var text = String(value);
          field.setText(text);
          field.setFontSize(sizeFor(font, field, text));
          field.updateAppearances(font);
        } else if (field instanceof lib.PDFCheckBox) {
          if (value === true) { field.check(); } else { field.uncheck(); }
        } else if (field instanceof lib.PDFRadioGroup) {
          field.select(String(value));
        } else {
          missing.push(name);
        }
      });
      // Tick boxes and radio buttons keep the form's own drawings of "on"; only text is redrawn.
      return doc.save({ updateFieldAppearances: false });
    }).then(function (bytes) {
      return { bytes: bytes, missing: missing };
    });
  }

  global.ctApplyPdf = { fill: fill };
}(typeof window !== "undefined" ? window : globalThis));
