"""Form fields any PDF tool can fill: an embedded field font and appearances drawn with it.

reportlab writes AcroForm fields whose default appearance (/DA) names Helvetica, not
embedded and Latin-1 only, and whose check marks and radio dots are ZapfDingbats
glyphs. After drawing (`pdf_tags.finish`), this module gives the form one embedded
font (`pdf_field_font`, DejaVu Sans), points /DR and every text field's /DA at it, and
redraws every appearance: text fields with their value in that font, so the kit's own
fill and a third-party filler (pdftk, pdf.js, PyMuPDF) draw "Zoë Łukasik – O’Brien
Şahin" alike; check boxes and radio buttons as plain vector shapes, no font at all.
Each radio button also gets its own tooltip (its option's label, then the question),
since /TU on the parent field names the question, not the option.
"""
from __future__ import annotations

import unicodedata

import pikepdf

from .answer_layout import INSET, LINE_FACTOR, PAD_X, SIZES, Layout, lay_out
from .pdf_field_font import FIELD_FONT_KEY, add_field_font, field_font

FIELD_SIZE = SIZES[0]
_MULTILINE = 1 << 12
_RADIO = 1 << 15
_PUSHBUTTON = 1 << 16


def shown(text: str) -> str:
    """`text` with characters the field font lacks replaced by their unaccented letter or '?'."""
    font = field_font()
    if all(font.covers(ch) or ch == "\n" for ch in text):
        return text
    out = []
    for ch in text:
        if font.covers(ch) or ch == "\n":
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(font.covers(c) for c in base) else "?")
    return "".join(out)


def fit_value(value: str, width: float, height: float, multiline: bool, page: int | str = "?") -> Layout:
    """The answer as its box shows it, in the characters the field font has (`answer_layout`)."""
    return lay_out(shown(value), width, height, multiline, page)


def finish_fields(pdf: pikepdf.Pdf, tooltips: dict[int, object], continued: dict[str, int] | None = None) -> None:
    """Embed the field font and redraw every widget; `tooltips` maps a widget's object number to its
    Form element (whose `tooltip` names a radio option), `continued` a field's name to the page its
    answer continues on."""
    font = add_field_font(pdf)
    form = pdf.Root.AcroForm
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary({"/" + FIELD_FONT_KEY: font}))
    # Check marks have their caption (/MK /CA) in ZapfDingbats, as every viewer expects should it
    # redraw a tick box itself; the kit's own appearances draw the tick as a shape, with no font.
    dingbats = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.ZapfDingbats))
    form.DR = pikepdf.Dictionary(Font=pikepdf.Dictionary({"/" + FIELD_FONT_KEY: font, "/ZaDb": dingbats}))
    form.DA = pikepdf.String(f"/{FIELD_FONT_KEY} {_num(FIELD_SIZE)} Tf 0 g")
    if "/NeedAppearances" in form:
        del form.NeedAppearances
    for field in form.Fields:
        kind = field.get("/FT")
        flags = int(field.get("/Ff", 0))
        widgets = list(field.Kids) if "/Kids" in field else [field]
        for widget in widgets:
            element = tooltips.get(widget.objgen[0])
            if kind == pikepdf.Name.Tx:
                page = (continued or {}).get(str(field.get("/T", "")), "?")
                _text_appearance(pdf, field, widget, resources, bool(flags & _MULTILINE), page)
            elif kind == pikepdf.Name.Btn and not flags & _PUSHBUTTON:
                field.DA = pikepdf.String("/ZaDb 0 Tf 0 g")
                _button_appearance(pdf, widget, radio=bool(flags & _RADIO))
                tooltip = getattr(element, "tooltip", "")
                if tooltip and widget is not field:
                    widget.TU = pikepdf.String(tooltip)


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _colour(mk: pikepdf.Object | None, key: str, default: tuple[float, ...]) -> tuple[float, ...]:
    try:
        return tuple(float(v) for v in mk[key])
    except (KeyError, TypeError):
        return default


def _size(widget: pikepdf.Object) -> tuple[float, float]:
    x0, y0, x1, y1 = (float(v) for v in widget.Rect)
    return abs(x1 - x0), abs(y1 - y0)


def _box(w: float, h: float, fill: tuple, stroke: tuple) -> str:
    ops = []
    if fill:
        ops.append(f"{' '.join(_num(c) for c in fill)} rg 0.5 0.5 {_num(w - 1)} {_num(h - 1)} re f")
    if stroke:
        ops.append(f"{' '.join(_num(c) for c in stroke)} RG 1 w 0.5 0.5 {_num(w - 1)} {_num(h - 1)} re S")
    return "\n".join(ops)


def _form_xobject(pdf: pikepdf.Pdf, content: str, w: float, h: float, resources=None) -> pikepdf.Object:
    stream = pdf.make_stream(content.encode("latin-1"), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                             BBox=[0, 0, round(w, 3), round(h, 3)])
    if resources is not None:
        stream.Resources = resources
    return stream


def _text_appearance(pdf: pikepdf.Pdf, field, widget, resources, multiline: bool, page: int | str) -> None:
    w, h = _size(widget)
    mk = widget.get("/MK")
    value = str(field.get("/V", ""))
    fit = fit_value(value, w, h, multiline, page)
    field.DA = pikepdf.String(f"/{FIELD_FONT_KEY} {_num(fit.size)} Tf 0 g")
    ops = ["/Tx BMC", "q", _box(w, h, _colour(mk, "/BG", (1, 1, 1)), _colour(mk, "/BC", ()))]
    if fit.lines:
        font = field_font()
        lead = fit.size * LINE_FACTOR
        y = h - INSET - fit.size if multiline else (h - fit.size) / 2 + 0.22 * fit.size
        ops += [f"{_num(INSET)} {_num(INSET)} {_num(w - 2 * INSET)} {_num(h - 2 * INSET)} re W n", "BT",
                f"/{FIELD_FONT_KEY} {_num(fit.size)} Tf", "0 g", f"{_num(PAD_X)} {_num(y)} Td"]
        for i, line in enumerate(fit.lines):
            if i:
                ops.append(f"0 {_num(-lead)} Td")
            ops.append(f"<{font.encode(line).hex().upper()}> Tj")
        ops.append("ET")
    ops += ["Q", "EMC"]
    widget.AP = pikepdf.Dictionary(N=_form_xobject(pdf, "\n".join(ops), w, h, resources))


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5523 * r
    return (f"{_num(cx + r)} {_num(cy)} m "
            f"{_num(cx + r)} {_num(cy + k)} {_num(cx + k)} {_num(cy + r)} {_num(cx)} {_num(cy + r)} c "
            f"{_num(cx - k)} {_num(cy + r)} {_num(cx - r)} {_num(cy + k)} {_num(cx - r)} {_num(cy)} c "
            f"{_num(cx - r)} {_num(cy - k)} {_num(cx - k)} {_num(cy - r)} {_num(cx)} {_num(cy - r)} c "
            f"{_num(cx + k)} {_num(cy - r)} {_num(cx + r)} {_num(cy - k)} {_num(cx + r)} {_num(cy)} c")


def _button_appearance(pdf: pikepdf.Pdf, widget, radio: bool) -> None:
    """On and off appearances as vector shapes: a tick in a box, or a dot in a circle."""
    w, h = _size(widget)
    mk = widget.get("/MK")
    fill = " ".join(_num(c) for c in _colour(mk, "/BG", (1, 1, 1)))
    stroke = " ".join(_num(c) for c in _colour(mk, "/BC", (0, 0, 0)))
    on_names = [k for k in widget.AP.N.keys() if k != "/Off"] if "/AP" in widget else ["/Yes"]
    if radio:
        r = min(w, h) / 2
        frame = f"{fill} rg {stroke} RG 1 w {_circle(w / 2, h / 2, r - 0.5)} B"
        mark = f"0 g {_circle(w / 2, h / 2, r * 0.45)} f"
    else:
        frame = f"{fill} rg {stroke} RG 1 w 0.5 0.5 {_num(w - 1)} {_num(h - 1)} re B"
        mark = (f"0 G 1.6 w 1 J 1 j {_num(w * 0.22)} {_num(h * 0.52)} m {_num(w * 0.42)} {_num(h * 0.27)} l "
                f"{_num(w * 0.8)} {_num(h * 0.76)} l S")
    states = {"/Off": _form_xobject(pdf, f"q {frame} Q", w, h)}
    for name in on_names:
        states[str(name)] = _form_xobject(pdf, f"q {frame} {mark} Q", w, h)
    widget.AP = pikepdf.Dictionary(N=pikepdf.Dictionary(states))


__all__ = ["FIELD_SIZE", "fit_value", "shown", "finish_fields"]
