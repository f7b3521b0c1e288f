"""Reading a filled or printed PDF as a person would: the words poppler finds, and the smallest type.

Shared by the tests of answers that must never be cut off (not a test module itself).
`text_of` is what `pdftotext` reads off the pages, field boxes included (poppler draws a field's
appearance as a reader shows it); `missing_words` the words of an answer that are not there;
`font_sizes` every size text is set at, on the pages, in form XObjects and in each field's
appearance, so "nothing under 9 pt" is checked where a reader would see it; `tagging_problems`
what keeps a PDF from being read in structure order by a screen reader.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf


def text_of(pdftotext: str, pdf: Path) -> str:
    run = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, timeout=120, check=True)
    return run.stdout.decode("utf-8")


def missing_words(answer: str, text: str) -> list[str]:
    """The words of `answer` (as typed, punctuation and all) that `text` does not hold as words."""
    found = set(text.split())
    return [w for w in answer.split() if w not in found]


def _sizes(stream: pikepdf.Object) -> list[float]:
    out = []
    for operands, operator in pikepdf.parse_content_stream(stream):
        if str(operator) == "Tf" and len(operands) == 2:
            out.append(float(operands[1]))
    return out


def font_sizes(pdf: Path) -> list[float]:
    """Every text size set in the PDF's pages, their form XObjects and its fields' appearances."""
    sizes: list[float] = []
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            sizes += _sizes(page)
            xobjects = page.get("/Resources", {}).get("/XObject", {})
            for name in xobjects.keys():
                sizes += _sizes(xobjects[name])
            for annot in page.get("/Annots", []):
                normal = annot.get("/AP", {}).get("/N")
                if isinstance(normal, pikepdf.Stream):
                    sizes += _sizes(normal)
                elif isinstance(normal, pikepdf.Dictionary):
                    sizes += [s for state in normal.keys() for s in _sizes(normal[state])]
    return sizes


def visible_sizes(pdf: Path) -> list[float]:
    """The sizes of text that is drawn (a size 0 is a tick box's 'fit the box' font, not text)."""
    return [s for s in font_sizes(pdf) if s > 0]


PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}


def page_mcids(page: pikepdf.Page) -> tuple[set[int], list[str]]:
    """The MCIDs a page's content uses, and any painting done outside marked content."""
    mcids, outside, depth = set(), [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            depth += 1
            if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcids.add(int(operands[1].MCID))
        elif op == "EMC":
            depth -= 1
        elif op in PAINTING and depth == 0:
            outside.append(op)
    return mcids, outside


def tagging_problems(path: Path) -> list[str]:
    """What is wrong with a PDF's tags: content painted outside any tag or artifact, a page whose marked
    content the parent tree does not find, an annotation outside a Form or Link element."""
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        tree = pdf.Root.StructTreeRoot
        nums = list(tree.ParentTree.Nums)
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        if int(tree.ParentTreeNextKey) <= max(parents):
            found.append("ParentTreeNextKey is not above every key of the parent tree")
        for number, page in enumerate(pdf.pages, 1):
            if page.get("/Tabs") != "/S":
                found.append(f"page {number}: tab order is not the structure's")
            mcids, outside = page_mcids(page)
            if outside:
                found.append(f"page {number}: painted outside any tag or artifact: {outside[:5]}")
            if not mcids:
                found.append(f"page {number} has no tagged content")
                continue
            marks = parents.get(int(page.get("/StructParents", -1)))
            if marks is None or sorted(mcids) != list(range(len(marks))):
                found.append(f"page {number}: its marked content and the parent tree disagree")
            elif not all(m.Type == "/StructElem" for m in marks):
                found.append(f"page {number}: the parent tree points at something that is not an element")
            for annot in page.get("/Annots", []):
                element = parents.get(int(annot.get("/StructParent", -1)))
                kids = [] if element is None else (element.K if isinstance(element.K, pikepdf.Array) else [element.K])
                objrs = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
                if not any(k.Obj.objgen == annot.objgen for k in objrs):
                    found.append(f"page {number}: an annotation is not in the structure tree")
                elif element.S != ("/Form" if annot.Subtype == "/Widget" else "/Link"):
                    found.append(f"page {number}: an annotation sits in a {element.S} element")
    return found


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)
