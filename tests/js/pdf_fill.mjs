// Fill one text field of a PDF with pdf.js and save it, as a resident typing into the form
// in a pdf.js viewer (Firefox) and pressing "Save" would: pdf.js draws the field's new
// appearance itself, with the font the field's /DA names.
//
//   node tests/js/pdf_fill.mjs IN.pdf OUT.pdf FIELD_NAME VALUE
import { readFileSync, writeFileSync } from "node:fs";
import { getDocument } from "../../node_modules/pdfjs-dist/legacy/build/pdf.mjs";

const [input, output, fieldName, value] = process.argv.slice(2);
const doc = await getDocument({ data: new Uint8Array(readFileSync(input)), verbosity: 0 }).promise;
let found = 0;
for (let number = 1; number <= doc.numPages; number++) {
  const page = await doc.getPage(number);
  for (const a of await page.getAnnotations()) {
    if (a.fieldName === fieldName) {
      doc.annotationStorage.setValue(a.id, { value });
      found++;
    }
  }
}
if (!found) {
  process.stderr.write(`no field named ${fieldName}\n`);
  process.exit(1);
}
writeFileSync(output, await doc.saveDocument());
await doc.destroy();
