// What pdf.js (the PDF reader of Firefox and of many web viewers) makes of the kit's PDFs:
// the structure tree of every page, the text of each tagged element, every annotation with
// the accessible name pdf.js gives it, and the form fields it finds.
//
//   node tests/js/pdf_structure.mjs FILE.pdf... > report.json
//
// One run reads every file, so a test module starts Node once. The Python tests
// (tests/test_pdf_tagging.py) judge the report; this script only reports.
import { readFileSync } from "node:fs";
import { getDocument } from "../../node_modules/pdfjs-dist/legacy/build/pdf.mjs";

function textById(items) {
  // Marked content ids ("p19R_mc3") -> the text drawn inside them.
  const text = new Map();
  const open = [];
  for (const item of items) {
    if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
      open.push(item.id ?? null);
    } else if (item.type === "endMarkedContent") {
      open.pop();
    } else if (typeof item.str === "string") {
      const id = open.findLast((x) => x !== null);
      if (id) text.set(id, (text.get(id) ?? "") + item.str + (item.hasEOL ? " " : ""));
    }
  }
  return text;
}

function walk(node, texts, page, out, path) {
  if (!node) return "";
  if (node.type === "content") return texts.get(node.id) ?? "";
  if (node.type === "annotation") {
    out.annotationNodes.push({ id: node.id.replace(/^pdfjs_internal_id_/, ""), page, role: path.at(-1) ?? "", path: path.join("/") });
    return "";
  }
  if (node.type === "object") return "";
  const role = node.role ?? "";
  const inner = (node.children ?? []).map((kid) => walk(kid, texts, page, out, role ? [...path, role] : path)).join("");
  const text = inner.replace(/\s+/g, " ").trim();
  if (/^H[1-6]$/.test(role)) out.headings.push({ role, text, page });
  if (role) out.elements.push({ role, page, alt: node.alt ?? null, text: text.slice(0, 200) });
  return inner;
}

async function report(file) {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  const out = { file, pages: doc.numPages, pagesWithoutTree: [], headings: [], elements: [], annotationNodes: [], annotations: [] };
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const tree = await page.getStructTree();
    const texts = textById((await page.getTextContent({ includeMarkedContent: true })).items);
    if (!tree || !(tree.children ?? []).length) out.pagesWithoutTree.push(number);
    else walk(tree, texts, number, out, []);
    for (const a of await page.getAnnotations()) {
      out.annotations.push({
        id: a.id, page: number, subtype: a.annotationType === 20 ? "Widget" : a.annotationType === 2 ? "Link" : String(a.annotationType),
        fieldName: a.fieldName ?? null, fieldType: a.fieldType ?? null, alternativeText: a.alternativeText ?? null,
        required: Boolean(a.required), radio: Boolean(a.radioButton), checkBox: Boolean(a.checkBox),
        exportValue: a.buttonValue ?? a.exportValue ?? null, contents: a.contentsObj?.str ?? null, url: a.url ?? null,
      });
    }
    page.cleanup();
  }
  const fields = (await doc.getFieldObjects()) ?? {};
  out.fieldNames = Object.keys(fields);
  await doc.destroy();
  return out;
}

const results = [];
for (const file of process.argv.slice(2)) results.push(await report(file));
process.stdout.write(JSON.stringify(results));
