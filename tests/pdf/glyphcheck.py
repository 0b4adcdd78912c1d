#!/usr/bin/python3
"""Checks that every glyph a PDF draws is the glyph of its text, in the font it names.

usage: glyphcheck.py FILE.pdf [FILE2.pdf ...]

The truth comes from an independent route: the PDF read with pikepdf, the fonts with
fontTools, and the original of each embedded subset found among the installed fonts by
its PostScript name (the BaseFont less its ABCDEF+ tag, through one fc-list run). Every
string shown with Tj, TJ, ' or " on a page, or in a Form XObject it draws, becomes
glyphs through its font: a Type0 font with Identity-H has 2-byte codes that are CIDs,
turned into glyph ids by the CIDToGIDMap (CIDFontType2) or the inverted charset of a
CID-keyed CFF (CIDFontType0); simple TrueType and Type1C fonts go through their cmap or
/Encoding; a Type3 glyph is the path of its CharProcs, in the units of the original its
FontDescriptor names (as Skia writes CFF fonts). A drawn glyph must not be .notdef and
must have a text, its /ToUnicode entry or the /ActualText of the span around it; its
outline, components decomposed, rounded to font units and put in a canonical form
(quadratics as cubics, each contour's starting point and closing line made alike),
must equal the outline of a glyph the original reaches from that text: the cmap's
glyph for each character, taken as a shaper would (composed, decomposed where the font
lacks the composed one or the script splits its vowels, mirrored), and all that any
GSUB lookup can substitute for those, context ignored. So a composite that lost a
component (a Vietnamese 'ứ' drawn as a bare 'u', a CJK ideograph drawn as fragments)
and a glyph given the wrong text are caught; a cluster drawn with too few glyphs, or
shaped wrongly from the right glyphs, is not. A blank glyph passes for blank text
(spaces, format characters). A Type3 glyph may also be the outline made bold, as Skia
fakes a missing bold face: the original's filled area all filled, plus a band around
it, on a grid. Fonts must be embedded. Bitmap glyphs (colour emoji), Type1 programs
and Type3 fonts with no original are counted as not checked; invisible text (Tr 3) is
only counted. Each problem is printed once, with the first page it is on (at most 20 a
file, then a count), then a line a file; exits 1 when a file has a problem, 2 on a
usage error.
"""
import collections
import io
import math
import os
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal

try:
    import pikepdf
    from fontTools.agl import toUnicode as agl_to_unicode
    from fontTools.cffLib import CFFFontSet
    from fontTools.encodings.StandardEncoding import StandardEncoding
    from fontTools.pens.basePen import MissingComponentError
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont
except ImportError:
    # Both are Debian's (python3-pikepdf, python3-fonttools): when another python3 comes
    # first in PATH (pyenv's, say), run again with the system's.
    if __name__ == "__main__" and sys.executable != "/usr/bin/python3" \
            and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", os.path.abspath(__file__)] + sys.argv[1:])
    raise

MAX_LINES = 20  # problem lines printed per file; the rest are only counted
TAG = re.compile(r"^[A-Z]{6}\+")


# Characters a right-to-left run draws with its mirror image's glyph ('(' as ')').
# BidiMirroring.txt (Debian's unicode-data) when it is there, else the common pairs.
MIRROR = dict(zip(map(ord, "()<>[]{}«»‹›"), map(ord, ")(><][}{»«›‹")))
try:
    with open("/usr/share/unicode/BidiMirroring.txt", encoding="utf-8", errors="replace") as _f:
        for _line in _f:
            _m = re.match(r"([0-9A-F]+); ([0-9A-F]+)", _line)
            if _m:
                MIRROR[int(_m[1], 16)] = int(_m[2], 16)
except OSError:
    pass


def blank(text):
    """Text a shaper may draw with a blank glyph (HarfBuzz draws default-ignorable
    characters, and spaces the font lacks, as its space): spaces, controls and format
    characters, variation selectors and the like."""
    return all(unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cc", "Cf")
               or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF
               or ord(ch) in (0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0)
               or 0x180B <= ord(ch) <= 0x180F for ch in text)


# Khmer split vowels, which Unicode does not decompose but HarfBuzz's Khmer shaper does
# (into the prefix vowel sign E and the vowel itself).
SPLIT = {cp: "\u17c1" + chr(cp) for cp in (0x17BE, 0x17BF, 0x17C0, 0x17C4, 0x17C5)}


def always_decomposed(ch):
    """Brahmic scripts (Indic, Tibetan, Myanmar, Khmer, Balinese): HarfBuzz splits
    their two-part vowel signs and nukta letters whether or not the font has a glyph
    for the composed character."""
    cp = ord(ch)
    return 0x0900 <= cp <= 0x0DFF or 0x0F00 <= cp <= 0x109F or 0x1780 <= cp <= 0x17FF \
        or 0x1B00 <= cp <= 0x1B7F


class Problem(Exception):
    """A glyph or a font that is wrong; the message says how."""


class Unchecked(Exception):
    """A glyph that cannot be checked, and is not wrong for that."""


# ---------------------------------------------------------------------------------------
# Outlines: drawn decomposed, then put in a canonical form so that two drawings of the
# same outline compare equal whatever format or subsetter they went through.

def _mid(a, b):
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _cubic_of_quad(p0, q, p2):
    return (p0[0] + 2 / 3 * (q[0] - p0[0]), p0[1] + 2 / 3 * (q[1] - p0[1])), \
           (p2[0] + 2 / 3 * (q[0] - p2[0]), p2[1] + 2 / 3 * (q[1] - p2[1])), p2


def canonical(recording):
    """A hashable canonical form of a RecordingPen value (after decomposition).

    Each contour becomes a cycle of segments ('L', end) or ('C', c1, c2, end), with
    integer points, quadratics raised to cubics, the closing line explicit and
    zero-length segments dropped; the cycle starts at its smallest point and the
    contours are sorted. Empty contours vanish, so a blank glyph is ().
    """
    contours, segs, start, cur = [], [], None, None

    def r(p):
        return (math.floor(p[0] + 0.5), math.floor(p[1] + 0.5))

    def flush():
        nonlocal segs, start, cur
        if start is not None:
            if cur != start:
                segs.append(("L", start))
            out, prev = [], start
            for s in segs:
                pts = [r(p) for p in s[1:]]
                if all(p == r(prev) for p in pts):  # zero length
                    prev = s[-1]
                    continue
                out.append((s[0], *pts))
                prev = s[-1]
            if out:
                # Rotate the cycle to start after its smallest end point (ties: the
                # smallest rotation), so the contour's starting point does not matter.
                n = len(out)
                low = min(s[-1] for s in out)
                ties = [i for i in range(n) if out[i - 1][-1] == low]
                best = min(ties, key=lambda i: out[i:] + out[:i]) if len(ties) > 1 else ties[0]
                contours.append(tuple(out[best:] + out[:best]))
        segs, start, cur = [], None, None

    for op, args in recording:
        if op == "moveTo":
            flush()
            start = cur = args[0]
        elif op == "lineTo":
            segs.append(("L", args[0]))
            cur = args[0]
        elif op == "curveTo":
            # Only one cubic per call in practice; more points are a poly-Bezier.
            pts = list(args)
            while len(pts) >= 3:
                segs.append(("C", pts[0], pts[1], pts[2]))
                cur = pts[2]
                pts = pts[3:]
        elif op == "qCurveTo":
            pts = list(args)
            if pts[-1] is None:  # a closed contour of off-curve points only
                flush()
                pts = pts[:-1]
                start = cur = _mid(pts[-1], pts[0])
                pts = pts + [pts[0], start]
            for i in range(len(pts) - 1):
                end = pts[i + 1] if i == len(pts) - 2 else _mid(pts[i], pts[i + 1])
                c1, c2, end = _cubic_of_quad(cur, pts[i], end)
                segs.append(("C", c1, c2, end))
                cur = end
        elif op in ("closePath", "endPath"):
            flush()
        # addComponent cannot come: the pen decomposes.
    flush()
    return tuple(sorted(contours))


def near(a, b, tol):
    """Two canonical outlines alike within tol font units a coordinate."""
    if len(a) != len(b):
        return False
    for ca, cb in zip(a, b):
        if len(ca) != len(cb):
            return False
        for sa, sb in zip(ca, cb):
            if sa[0] != sb[0]:
                return False
            for pa, pb in zip(sa[1:], sb[1:]):
                if abs(pa[0] - pb[0]) > tol or abs(pa[1] - pb[1]) > tol:
                    return False
    return True


def _edges(outline):
    """The outline as straight edges (x0, y0, x1, y1), each cubic cut in eight."""
    edges = []
    for contour in outline:
        cur = contour[-1][-1]
        for seg in contour:
            if seg[0] == "L":
                pts = [seg[1]]
            else:
                (x0, y0), (x1, y1), (x2, y2), (x3, y3) = cur, seg[1], seg[2], seg[3]
                pts = []
                for i in range(1, 9):
                    t = i / 8
                    u = 1 - t
                    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
                    pts.append((a * x0 + b * x1 + c * x2 + d * x3,
                                a * y0 + b * y1 + c * y2 + d * y3))
            for p in pts:
                edges.append((cur[0], cur[1], p[0], p[1]))
                cur = p
    return edges


def _raster(outline, x0, y0, step, rows, cols):
    """The outline filled (nonzero winding) on a grid: one int per row, bit i set when
    the cell centre (x0 + (i + 0.5) * step, y) is inside."""
    crossings = [[] for _ in range(rows)]
    for ax, ay, bx, by in _edges(outline):
        if ay == by:
            continue
        lo, hi = (ay, by) if ay < by else (by, ay)
        # The rows whose centre y satisfies lo <= y < hi.
        first = max(0, math.ceil((lo - y0) / step - 0.5))
        last = min(rows - 1, math.ceil((hi - y0) / step - 0.5) - 1)
        for i in range(first, last + 1):
            y = y0 + (i + 0.5) * step
            crossings[i].append((ax + (y - ay) * (bx - ax) / (by - ay), 1 if by > ay else -1))
    masks = []
    for row in crossings:
        row.sort()
        mask, winding, start = 0, 0, 0.0
        for x, d in row:
            if winding == 0:
                start = x
            winding += d
            if winding == 0:
                a = max(0, math.ceil((start - x0) / step - 0.5))
                b = min(cols - 1, math.floor((x - x0) / step - 0.5))
                if b >= a:
                    mask |= ((1 << (b - a + 1)) - 1) << a
        masks.append(mask)
    return masks


def _bbox(outline):
    points = [p for c in outline for seg in c for p in seg[1:]]
    return (min(p[0] for p in points), min(p[1] for p in points),
            max(p[0] for p in points), max(p[1] for p in points))


def emboldened(original, drawn, upem):
    """Whether drawn is original made bold, as Skia fakes a missing bold face by
    filling and stroking the outline (and simplifies the result, so the contours are
    not the original's). Checked on a grid of upem/64: all the original fills is
    filled, and what is filled beyond it is a band around it no wider than about the
    growth of the bounding box, which must grow (by at most upem/10) and not shrink."""
    if not original or not drawn:
        return False
    ob, db = _bbox(original), _bbox(drawn)
    grow = (ob[0] - db[0], ob[1] - db[1], db[2] - ob[2], db[3] - ob[3])
    if min(grow) < -1 or max(grow) <= 0 or max(grow) > upem / 10:
        return False
    step = upem / 64
    rows, cols = int((db[3] - db[1]) / step) + 1, int((db[2] - db[0]) / step) + 1
    orig = _raster(original, db[0], db[1], step, rows, cols)
    bold = _raster(drawn, db[0], db[1], step, rows, cols)
    # The original grown by the band's width (and a cell), sideways then up and down.
    reach = int((1.5 * max(grow)) / step) + 1
    wide = []
    for m in orig:
        w = m
        for k in range(1, reach + 1):
            w |= (m << k) | (m >> k)
        wide.append(w)
    grown = [0] * rows
    for i in range(rows):
        for j in range(max(0, i - reach), min(rows, i + reach + 1)):
            grown[i] |= wide[j]
    inside = sum(bin(m).count("1") for m in orig)
    lost = sum(bin(o & ~b).count("1") for o, b in zip(orig, bold))
    stray = sum(bin(b & ~g).count("1") for b, g in zip(bold, grown))
    # A cell or two may fall either side of an edge both outlines share.
    return lost <= max(2, inside // 50) and stray <= max(2, inside // 50)


class GlyfSet:
    """glyf glyphs by name, drawable, without needing hmtx (as getGlyphSet does)."""

    def __init__(self, glyf):
        self.glyf = glyf

    def __contains__(self, name):
        return name in self.glyf.glyphs

    def __getitem__(self, name):
        glyph, glyf = self.glyf[name], self.glyf

        class Drawable:
            @staticmethod
            def draw(pen):
                glyph.draw(pen, glyf)
        return Drawable


def glyph_set(font, location=None):
    """Drawable glyphs of a TTFont by name: glyf or CFF directly, else fontTools'."""
    if location is None:
        if "glyf" in font:
            return GlyfSet(font["glyf"])
        if "CFF " in font:
            return font["CFF "].cff.topDictIndex[0].CharStrings
    return font.getGlyphSet(location=location)


def draw(glyphs, name):
    pen = DecomposingRecordingPen(glyphs)
    try:
        glyphs[name].draw(pen)
    except MissingComponentError as e:
        raise Problem(f"component {e} is missing from the embedded font")
    except Problem:
        raise
    except Exception as e:  # a broken glyph program
        raise Problem(f"glyph cannot be drawn ({type(e).__name__}: {e})")
    return canonical(pen.value)


# ---------------------------------------------------------------------------------------
# Original fonts, found by PostScript name among the installed ones.

class Original:
    """An installed font: its cmap, outlines and GSUB reach, each computed once."""

    def __init__(self, path, index):
        self.name = f"{path}#{index & 0xFFFF}"
        self.font = TTFont(path, fontNumber=index & 0xFFFF, lazy=True)
        location = None
        if index >> 16 and "fvar" in self.font:  # a named instance of a variable font
            location = self.font["fvar"].instances[(index >> 16) - 1].coordinates
        try:
            self.glyphs = glyph_set(self.font, location)
        except Exception:  # no outlines at all (a bitmap colour font)
            self.glyphs = {}
        self.upem = self.font["head"].unitsPerEm
        self.cmap = self.font.getBestCmap() or {}
        self.uvs = {}  # (base, selector) -> glyph name, from the format 14 subtable
        for table in self.font["cmap"].tables:
            if table.format == 14:
                for selector, pairs in table.uvsDict.items():
                    for base, name in pairs:
                        self.uvs[(base, selector)] = name or self.cmap.get(base)
        self.outlines, self.direct_of, self.closure_of = {}, {}, {}
        self.successors = None

    def outline(self, name):
        if name not in self.outlines:
            try:
                self.outlines[name] = draw(self.glyphs, name) if name in self.glyphs else None
            except Problem:
                self.outlines[name] = None
        return self.outlines[name]

    def direct(self, text):
        """The glyphs the cmap gives for the text, as a shaper would normalise it: the
        characters as they are and composed (NFC), and decomposed (NFD) where the font
        has no glyph for the composed one."""
        if text not in self.direct_of:
            names, chars = set(), list(text)
            for ch in unicodedata.normalize("NFC", text):
                if ord(ch) in self.cmap:
                    chars.append(ch)
                if ord(ch) not in self.cmap or always_decomposed(ch):
                    chars.extend(unicodedata.normalize("NFD", ch))
                chars.extend(SPLIT.get(ord(ch), ""))
            # The mirror images too: this tool does not know the text's direction.
            chars += [chr(MIRROR[ord(ch)]) for ch in chars if ord(ch) in MIRROR]
            for i, ch in enumerate(chars):
                if ord(ch) in self.cmap:
                    names.add(self.cmap[ord(ch)])
                if i and (ord(chars[i - 1]), ord(ch)) in self.uvs:
                    names.add(self.uvs[(ord(chars[i - 1]), ord(ch))])
            names.discard(None)
            self.direct_of[text] = names
        return self.direct_of[text]

    def _load_gsub(self):
        """Every substitution of every GSUB lookup, context ignored: glyph -> glyphs
        it can become, and first glyph -> (other components, ligature)."""
        self.successors, self.ligatures = {}, {}
        if "GSUB" not in self.font or not self.font["GSUB"].table.LookupList:
            return
        for lookup in self.font["GSUB"].table.LookupList.Lookup:
            for st in lookup.SubTable:
                kind = lookup.LookupType
                if kind == 7:
                    kind, st = st.ExtensionLookupType, st.ExtSubTable
                if kind == 1:
                    for a, b in st.mapping.items():
                        self.successors.setdefault(a, set()).add(b)
                elif kind == 2 or kind == 3:
                    for a, bs in (st.mapping if kind == 2 else st.alternates).items():
                        self.successors.setdefault(a, set()).update(bs)
                elif kind == 4:
                    for first, ligs in st.ligatures.items():
                        for lig in ligs:
                            self.ligatures.setdefault(first, []).append(
                                (tuple(lig.Component), lig.LigGlyph))
                elif kind == 8:
                    for a, b in zip(st.Coverage.glyphs, st.Substitute):
                        self.successors.setdefault(a, set()).add(b)
                # 5 and 6 (contextual) only call other lookups, which are in the list.

    def closure(self, text):
        """The direct glyphs and all GSUB can turn them into (a ligature once all of
        its components are in)."""
        if text not in self.closure_of:
            if self.successors is None:
                self._load_gsub()
            reached = set(self.direct(text))
            while True:
                new = set()
                for g in reached:
                    new.update(self.successors.get(g, ()))
                    for comps, lig in self.ligatures.get(g, ()):
                        if all(c in reached for c in comps):
                            new.add(lig)
                new -= reached
                if not new:
                    break
                reached |= new
            self.closure_of[text] = reached
        return self.closure_of[text]

    def reaches(self, text, outline, tol, bold=False):
        """Whether some glyph reachable from the text has this outline (or, with bold,
        has it once made bold as emboldened() says)."""
        def same(o):
            if bold:
                return emboldened(o, outline, self.upem)
            return o == outline or (tol and near(o, outline, tol))

        def any_of(names):
            return any(o is not None and same(o) for o in map(self.outline, names))
        return any_of(self.direct(text)) or any_of(self.closure(text) - self.direct(text))


class Installed:
    """The installed fonts by PostScript name, through one fc-list run."""

    def __init__(self):
        self.faces, self.loaded = {}, {}
        try:
            out = subprocess.run(["fc-list", "--format", "%{file}|%{index}|%{postscriptname}\n"],
                                 capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            out = ""
        for line in out.splitlines():
            parts = line.rsplit("|", 2)
            if len(parts) == 3 and parts[2] and parts[1].isdigit():
                path, index, ps = parts[0], int(parts[1]), parts[2]
                # Prefer a face itself to a named instance of a variable font.
                if ps not in self.faces or (self.faces[ps][1] >> 16 and not index >> 16):
                    self.faces[ps] = (path, index)

    def find(self, *names):
        for name in names:
            if name and name in self.faces:
                key = self.faces[name]
                if key not in self.loaded:
                    try:
                        self.loaded[key] = Original(*key)
                    except Exception:  # a font file fontTools cannot read: as if absent
                        self.loaded[key] = None
                return self.loaded[key]
        return None


# ---------------------------------------------------------------------------------------
# PDF fonts.

def to_unicode_map(stream):
    """A ToUnicode CMap's bfchar and bfrange entries: code (int) -> text."""
    data = stream.read_bytes().decode("latin-1")
    tokens = re.findall(r"<([0-9A-Fa-f\s]*)>|(\[)|(\])|([A-Za-z]+)", data)
    result, mode, i = {}, None, 0

    def hexbytes(s):
        s = re.sub(r"\s", "", s)
        return bytes.fromhex(s + "0" * (len(s) % 2))

    def text(b):
        return b.decode("utf-16-be", errors="replace")

    while i < len(tokens):
        hx, lb, rb, word = tokens[i]
        if word in ("beginbfchar", "beginbfrange"):
            mode = word[5:]
        elif word in ("endbfchar", "endbfrange"):
            mode = None
        elif mode == "bfchar" and not word and i + 1 < len(tokens):
            result[int.from_bytes(hexbytes(hx), "big")] = text(hexbytes(tokens[i + 1][0]))
            i += 1
        elif mode == "bfrange" and not word and i + 2 < len(tokens):
            lo = int.from_bytes(hexbytes(hx), "big")
            hi = int.from_bytes(hexbytes(tokens[i + 1][0]), "big")
            i += 2
            if tokens[i][1]:  # <lo> <hi> [<dst> ...]: one destination each
                i += 1
                code = lo
                while i < len(tokens) and not tokens[i][2]:
                    if code <= hi:
                        result[code] = text(hexbytes(tokens[i][0]))
                    code += 1
                    i += 1
            else:  # <lo> <hi> <dst>: dst, then dst + 1, ... (the last code unit grows)
                dst = hexbytes(tokens[i][0])
                base = int.from_bytes(dst, "big")
                for k in range(min(hi - lo + 1, 0x10000)):
                    result[lo + k] = text((base + k).to_bytes(len(dst), "big", signed=False)
                                          if base + k < 256 ** len(dst) else b"")
        i += 1
    return result


def simple_encoding(font_dict):
    """code -> glyph name from a simple font's /Encoding /Differences, and its base."""
    enc = font_dict.get("/Encoding")
    names, base = {}, None
    if isinstance(enc, pikepdf.Name):
        base = str(enc)
    elif isinstance(enc, pikepdf.Dictionary):
        base = str(enc.get("/BaseEncoding", "")) or None
        code = 0
        for item in enc.get("/Differences", []):
            if isinstance(item, pikepdf.Name):
                names[code] = str(item)[1:]
                code += 1
            else:
                code = int(item)
    return names, base


def base_unicode(code, base):
    codec = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}.get(base)
    if codec is None:
        return chr(code)
    try:
        return bytes([code]).decode(codec)
    except UnicodeDecodeError:
        return None


class Font:
    """One PDF font: how its codes become glyphs and how those glyphs are drawn."""

    def __init__(self, fd, installed):
        self.dict = fd
        self.subtype = str(fd.get("/Subtype", ""))
        self.name = str(fd.get("/BaseFont", ""))[1:]
        self.code_bytes = 1
        self.problem = None  # a problem of the whole font: its glyphs cannot be checked
        self.missing = None  # the original is not installed: all but outlines checked
        self.unchecked = None  # the kind of font program this tool does not read
        self.original = None
        self.program = None  # (glyph names by id, drawable glyphs)
        self.tol = 0  # outlines from font programs must match exactly
        self.results = {}  # (code, ActualText) -> what check() returns
        self.to_unicode = {}
        if "/ToUnicode" in fd and isinstance(fd.ToUnicode, pikepdf.Stream):
            try:
                self.to_unicode = to_unicode_map(fd.ToUnicode)
            except Exception:
                self.problem = "ToUnicode CMap cannot be read"
        try:
            self._load(installed)
        except Problem as e:
            self.problem = str(e)

    def _load(self, installed):
        fd = self.dict
        if self.subtype == "/Type3":
            self._load_type3(installed)
            return
        if self.subtype == "/Type0":
            enc = fd.get("/Encoding")
            if not (isinstance(enc, pikepdf.Name) and str(enc) in ("/Identity-H", "/Identity-V")):
                raise Problem(f"encoding {enc if isinstance(enc, pikepdf.Name) else 'stream'} "
                              "is not supported by glyphcheck")
            self.code_bytes = 2
            desc = fd.DescendantFonts[0]
        else:
            desc = fd
        self.desc = desc
        fdesc = desc.get("/FontDescriptor")
        if fdesc is None:
            raise Problem("not embedded (no font descriptor)")
        if "/FontFile2" in fdesc:
            data, kind = fdesc.FontFile2.read_bytes(), "sfnt"
        elif "/FontFile3" in fdesc:
            data = fdesc.FontFile3.read_bytes()
            kind = "sfnt" if str(fdesc.FontFile3.get("/Subtype")) == "/OpenType" else "cff"
        elif "/FontFile" in fdesc:
            self.unchecked = "Type1 font"
            return
        else:
            raise Problem("not embedded")
        try:
            if kind == "sfnt":
                ttf = TTFont(io.BytesIO(data), lazy=True)
                self.program = (ttf.getGlyphOrder(), glyph_set(ttf))
                self.ttf, cff = ttf, (ttf["CFF "].cff if "CFF " in ttf else None)
            else:
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(data), None)
                top = cff.topDictIndex[0]
                self.program = (list(top.charset), top.CharStrings)
                self.ttf = None
        except Exception as e:
            raise Problem(f"embedded font program cannot be read ({type(e).__name__}: {e})")
        self.cff = cff.topDictIndex[0] if cff is not None else None

        # How a code becomes a glyph id.
        self.gid_of = self._gid_function()

        # The original: by the base name without its subset tag, then without a
        # ',Bold'-like style suffix, then by the embedded font's own PostScript name.
        base = TAG.sub("", self.name)
        own = None
        if self.ttf is not None and "name" in self.ttf:
            own = self.ttf["name"].getDebugName(6)
        elif self.cff is not None:
            own = cff.fontNames[0]
        own = TAG.sub("", own) if own else None
        self.original = installed.find(base, base.split(",")[0], own)
        if self.original is None:
            self.missing = f"original font {base} not installed"

    def _gid_function(self):
        names = self.program[0]
        if self.subtype == "/Type0":
            if str(self.desc.get("/Subtype")) == "/CIDFontType0":
                if self.cff is not None and hasattr(self.cff, "ROS"):
                    # CID-keyed CFF: the charset names glyph id -> 'cidNNNNN'; invert it.
                    cid_to_gid = {0: 0}
                    for gid, name in enumerate(names):
                        if name.startswith("cid") and name[3:].isdigit():
                            cid_to_gid.setdefault(int(name[3:]), gid)
                    return lambda cid: cid_to_gid.get(cid, 0)
                return lambda cid: cid
            m = self.desc.get("/CIDToGIDMap")
            if isinstance(m, pikepdf.Stream):
                table = m.read_bytes()
                return lambda cid: int.from_bytes(table[2 * cid:2 * cid + 2], "big") \
                    if 2 * cid + 2 <= len(table) else 0
            return lambda cid: cid
        # Simple fonts: 1-byte codes.
        differences, base = simple_encoding(self.dict)
        if self.ttf is None:  # a Type1C program: by name, else its built-in encoding
            builtin = getattr(self.cff, "Encoding", "StandardEncoding")
            builtin = StandardEncoding if builtin == "StandardEncoding" else builtin
            index = {n: i for i, n in enumerate(names)}

            def gid_cff(code):
                name = differences.get(code) or (builtin[code] if code < len(builtin) else None)
                return index.get(name, 0)
            return gid_cff
        index = {n: i for i, n in enumerate(names)}
        cmaps = {(t.platformID, t.platEncID): t.cmap for t in self.ttf["cmap"].tables} \
            if "cmap" in self.ttf else {}

        def gid_tt(code):
            name = differences.get(code)
            if name in index:
                return index[name]
            if (3, 0) in cmaps:
                for c in (code, 0xF000 + code, 0xF100 + code, 0xF200 + code):
                    if c in cmaps[(3, 0)]:
                        return index.get(cmaps[(3, 0)][c], 0)
            if (3, 1) in cmaps:
                u = agl_to_unicode(name) if name else base_unicode(code, base)
                if u and len(u) == 1 and ord(u) in cmaps[(3, 1)]:
                    return index.get(cmaps[(3, 1)][ord(u)], 0)
            if (1, 0) in cmaps and code in cmaps[(1, 0)]:
                return index.get(cmaps[(1, 0)][code], 0)
            return 0
        return gid_tt

    def _load_type3(self, installed):
        fd = self.dict
        self.glyph_names, _ = simple_encoding(fd)
        self.procs = fd.get("/CharProcs", pikepdf.Dictionary())
        self.matrix = [float(v) for v in fd.get("/FontMatrix", [0.001, 0, 0, 0.001, 0, 0])]
        fdesc = fd.get("/FontDescriptor")
        name = str(fdesc.get("/FontName", ""))[1:] if fdesc is not None else ""
        self.name = name or "Type3"
        # A Type3 font made from a real font (as Skia does for CFF and colour fonts)
        # names it in its descriptor; its glyphs can then be compared with the original.
        base = TAG.sub("", name)
        self.original = installed.find(base, base.split(",")[0]) if base else None
        # Paths were written in decimal, maybe from a scaled outline: allow a unit's slack.
        self.tol = 1

    # -- per glyph ------------------------------------------------------------------

    def codes(self, s):
        b = bytes(s)
        if self.code_bytes == 2:
            return [int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b) - 1, 2)]
        return list(b)

    def label(self, code):
        if self.subtype == "/Type3":
            return self.glyph_names.get(code, f"code {code}")
        try:
            return str(self.gid_of(code))
        except Exception:
            return f"code {code}"

    def check(self, code, actual_text):
        """(glyph label, problem or None, note or None) for one drawn code, worked out
        once per (code, text); a note names a kind of glyph the summary counts."""
        key = (code, actual_text)
        if key not in self.results:
            label = self.label(code)
            try:
                self.results[key] = (label, None, self._check(code, actual_text))
            except Problem as e:
                self.results[key] = (label, str(e), None)
            except Unchecked as e:
                self.results[key] = (label, None, str(e))
            except Exception as e:  # a font this tool cannot follow: say so, go on
                self.results[key] = (label, f"cannot be checked ({type(e).__name__}: {e})", None)
        return self.results[key]

    def text_of(self, code, actual_text):
        # An empty ActualText (as for a hyphen a line break added) says the glyphs
        # stand for no text: then the glyph's own ToUnicode, if any, is the text.
        if actual_text:
            return actual_text
        if code not in self.to_unicode:
            if actual_text == "":
                raise Unchecked("glyph with no text")
            raise Problem("no ToUnicode entry")
        return self.to_unicode[code]

    def _check(self, code, actual_text):
        if self.subtype == "/Type3":
            return self._check_type3(code, actual_text)
        if self.program is None:  # a Type1 program
            return f"glyph of a {self.unchecked}"
        names, glyphs = self.program
        gid = self.gid_of(code)
        if gid == 0:
            raise Problem("drawn as .notdef")
        if gid >= len(names):
            raise Problem(f"glyph id beyond the embedded font's {len(names)} glyphs")
        text = self.text_of(code, actual_text)
        return self._compare(draw(glyphs, names[gid]), text)

    def _compare(self, outline, text):
        """None when the outline is one the text reaches, a note when it is one made
        bold; raises the problem otherwise."""
        if self.original is None:
            return "glyph of a missing original"
        if not outline and blank(text):
            return None
        if not self.original.direct(text) and not self.original.closure(text):
            raise Problem("text has no glyph in the original font")
        if self.original.reaches(text, outline, self.tol):
            return
        # Only in a Type3 font may a drawn glyph be a path made from the outline.
        if self.subtype == "/Type3" and self.original.reaches(text, outline, self.tol, bold=True):
            return "glyph made bold by the writer"
        raise Problem("outline differs from every glyph its text can reach"
                      + (" (drawn empty)" if not outline else ""))

    def _check_type3(self, code, actual_text):
        name = self.glyph_names.get(code)
        if name is None or "/" + name not in self.procs:
            raise Problem("no glyph procedure for the code")
        if name in (".notdef", "g0"):  # Skia names its glyphs g<hex id>: g0 is .notdef
            raise Problem("drawn as .notdef")
        text = self.text_of(code, actual_text)
        if self.original is None:
            return "glyph of a Type3 font with no original"
        outline = type3_outline(self.procs["/" + name], self.matrix, self.original.upem)
        if outline is None:
            return "bitmap glyph"
        return self._compare(outline, text)


PATH_OPS = {"m", "l", "c", "v", "y", "re", "cm"}
TOKEN = re.compile(rb"([-+]?(?:\d+\.?\d*|\.\d+))|(/[^\s/\[\]()<>{}%]*)"
                   rb"|([A-Za-z'\"*][A-Za-z0-9'\"*]*)|([(<\[{%])")


def _path_instructions(proc):
    """(operator, numbers) of a glyph procedure. Skia's are plain paths, read here with a
    regular expression (pikepdf's parser makes a Decimal of every number, which is most
    of the time on a CJK document); anything with strings, arrays or dictionaries goes
    through pikepdf."""
    data = proc.read_bytes()
    out, nums = [], []
    for number, name, word, other in TOKEN.findall(data):
        if other:
            return [(str(op), [float(v) for v in operands] if str(op) in PATH_OPS else [])
                    for operands, op in pikepdf.parse_content_stream(proc)]
        if number:
            nums.append(float(number))
        elif word:
            out.append((word.decode(), nums))
            nums = []
    return out


def type3_outline(proc, matrix, upem):
    """A Type3 glyph procedure's path in the original font's units, canonical; None when
    it paints an image (a bitmap glyph) instead of a path."""
    a, b, c, d, e, f = [v * upem for v in matrix]
    rec, cur, path_start = [], (0, 0), None
    ctm = [1, 0, 0, 1, 0, 0]

    def pt(x, y):
        x, y = ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]
        return (a * x + c * y + e, b * x + d * y + f)

    painted = []
    for op, nums in _path_instructions(proc):
        if op == "m":
            rec.append(("moveTo", (pt(*nums),)))
            cur = path_start = nums
        elif op == "l":
            rec.append(("lineTo", (pt(*nums),)))
            cur = nums
        elif op == "c":
            rec.append(("curveTo", (pt(*nums[0:2]), pt(*nums[2:4]), pt(*nums[4:6]))))
            cur = nums[4:6]
        elif op == "v":
            rec.append(("curveTo", (pt(*cur), pt(*nums[0:2]), pt(*nums[2:4]))))
            cur = nums[2:4]
        elif op == "y":
            rec.append(("curveTo", (pt(*nums[0:2]), pt(*nums[2:4]), pt(*nums[2:4]))))
            cur = nums[2:4]
        elif op == "h":
            rec.append(("closePath", ()))
            cur = path_start
        elif op == "re":
            x, y, w, h = nums
            rec += [("moveTo", (pt(x, y),)), ("lineTo", (pt(x + w, y),)),
                    ("lineTo", (pt(x + w, y + h),)), ("lineTo", (pt(x, y + h),)), ("closePath", ())]
            cur = path_start = [x, y]
        elif op == "cm":
            m = nums
            ctm = [m[0] * ctm[0] + m[1] * ctm[2], m[0] * ctm[1] + m[1] * ctm[3],
                   m[2] * ctm[0] + m[3] * ctm[2], m[2] * ctm[1] + m[3] * ctm[3],
                   m[4] * ctm[0] + m[5] * ctm[2] + ctm[4], m[4] * ctm[1] + m[5] * ctm[3] + ctm[5]]
        elif op in ("f", "F", "f*", "B", "B*", "b", "b*", "S", "s"):
            painted += rec
            rec = []
        elif op == "n":  # a clipping path, not painted
            rec = []
        elif op in ("Do", "BI", "INLINE IMAGE", "sh"):
            return None
    return canonical(painted)


# ---------------------------------------------------------------------------------------
# Content streams.

WALKED = "Tj TJ ' \" Tf Tr q Q gs BDC BMC EMC Do"
WALKED_OPS = set(WALKED.split())
DELIM = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
CONTENT_TOKEN = re.compile(rb"[\x00\t\n\x0c\r ]+|%[^\r\n]*"          # space, comment
                           rb"|\(((?:[^()\\]|\\.)*)\)"                 # 1 literal string
                           rb"|<([0-9A-Fa-f\x00\t\n\x0c\r ]*)>"       # 2 hex string
                           rb"|(<<|>>|\[|\])"                          # 3 brackets
                           rb"|/([^" + DELIM + rb"]*)"                 # 4 name
                           rb"|([-+]?(?:\d+\.?\d*|\.\d+))(?![^" + DELIM + rb"])"  # 5 number
                           rb"|([^" + DELIM + rb"]+)", re.S)            # 6 keyword
ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|.)", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
           b"\n": b"", b"\r": b"", b"\r\n": b""}


class Fallback(Exception):
    """A content stream the quick tokenizer leaves to pikepdf."""


def _unescape(m):
    e = m[1]
    if e[:1].isdigit():
        return bytes([int(e, 8) & 0xFF])
    return ESCAPES.get(e, e)


def _instructions(data):
    """(operator, operands) of the operators in WALKED, read from a content stream with
    one regular expression: pikepdf's parser builds a Python object for every operand
    of every instruction, and on a page with one Tj a glyph that is most of the run.
    Strings are bytes, names '/Name' strings, numbers floats, arrays lists and
    dictionaries dicts. Raises Fallback on what it does not read (a string with
    unbalanced parentheses inside, an inline image)."""
    out, stack, pos, end = [], [[]], 0, len(data)
    match = CONTENT_TOKEN.match
    while pos < end:
        m = match(data, pos)
        if m is None:
            raise Fallback()
        pos = m.end()
        kind = m.lastindex
        if kind is None:
            continue
        if kind == 1:
            v = m[1]
            stack[-1].append(ESCAPE.sub(_unescape, v) if b"\\" in v else v)
        elif kind == 2:
            h = re.sub(rb"\s", b"", m[2])
            stack[-1].append(bytes.fromhex((h + b"0" * (len(h) % 2)).decode()))
        elif kind == 3:
            b = m[3]
            if b in (b"[", b"<<"):
                stack.append([])
            elif len(stack) > 1:
                items = stack.pop()
                if b == b"]":
                    stack[-1].append(items)
                else:
                    stack[-1].append({items[i]: items[i + 1] for i in range(0, len(items) - 1, 2)})
        elif kind == 4:
            n = m[4]
            if b"#" in n:
                n = re.sub(rb"#([0-9A-Fa-f]{2})", lambda e: bytes([int(e[1], 16)]), n)
            stack[-1].append("/" + n.decode("latin-1"))
        elif kind == 5:
            stack[-1].append(float(m[5]))
        else:
            word = m[6].decode("latin-1")
            if word in ("true", "false", "null"):
                stack[-1].append({"true": True, "false": False, "null": None}[word])
            elif word == "BI":
                raise Fallback()
            else:
                if word in WALKED_OPS:
                    out.append((word, stack[0]))
                stack = [[]]
    return out


def _native(o):
    """A pikepdf operand as _instructions() gives it."""
    if isinstance(o, (int, float, Decimal)) and not isinstance(o, bool):
        return float(o)
    if isinstance(o, pikepdf.String):
        return bytes(o)
    if isinstance(o, pikepdf.Name):
        return str(o)
    if isinstance(o, pikepdf.Array):
        return [_native(x) for x in o]
    if isinstance(o, pikepdf.Dictionary):
        return {k: _native(v) for k, v in o.items()}
    return o


def instructions_of(stream):
    """The WALKED instructions of a page or Form XObject."""
    contents = stream if isinstance(stream, pikepdf.Stream) else stream.get("/Contents")
    if contents is None:
        return []
    parts = [contents] if isinstance(contents, pikepdf.Stream) else list(contents)
    try:
        return _instructions(b"\n".join(p.read_bytes() for p in parts))
    except Fallback:
        return [(str(op), [_native(o) for o in operands])
                for operands, op in pikepdf.parse_content_stream(stream, WALKED)]


def text_string(b):
    """A PDF text string (UTF-16BE with its mark, else PDFDocEncoding, near enough
    Latin-1) as str."""
    if b[:2] == b"\xfe\xff":
        return b[2:].decode("utf-16-be", errors="replace")
    if b[:3] == b"\xef\xbb\xbf":
        return b[3:].decode("utf-8", errors="replace")
    return b.decode("latin-1")


class Checker:
    def __init__(self, path, installed):
        self.path, self.installed = path, installed
        self.fonts = {}  # font object key -> Font
        self.used = set()
        self.glyphs = 0
        self.notes = collections.Counter()  # kinds of glyph the summary counts
        self.problems = {}  # key -> (page, message), in order found
        self.streams = {}  # form objgen -> parsed instructions

    def problem(self, key, page, message):
        if key not in self.problems:
            self.problems[key] = (page, message)

    def font(self, obj):
        key = obj.objgen if obj.objgen != (0, 0) else ("direct", obj.unparse())
        if key not in self.fonts:
            self.fonts[key] = Font(obj, self.installed)
        return key, self.fonts[key]

    def run(self):
        pdf = pikepdf.open(self.path)
        for number, page in enumerate(pdf.pages, 1):
            self.walk(page.obj, resources_of(page.obj), number, set())
        notes = []
        for what, n in sorted(self.notes.items()):
            if what == "glyph made bold by the writer":
                notes.append(f"{n} glyph{'s' if n > 1 else ''} made bold by the writer")
            elif what != "glyph of a missing original":  # reported as a problem already
                what = what.replace("glyph", "glyphs" if n > 1 else "glyph", 1)
                notes.append(f"{n} {what} not checked")
        return notes

    def walk(self, stream, resources, page, active):
        """Walks one content stream; Form XObjects recursively (never into themselves)."""
        key = stream.objgen
        if key in self.streams:
            instructions = self.streams[key]
        else:
            instructions = instructions_of(stream)
            if key != (0, 0):
                self.streams[key] = instructions
        fonts = resources.get("/Font") if resources is not None else None
        by_name = {}  # font resource name -> (key, Font), for this stream's resources
        font, mode, stack = None, 0, []
        marked = []  # ActualText (or None) of each open marked-content sequence
        for op, operands in instructions:
            if op in ("Tj", "TJ", "'", '"'):
                if not operands:
                    continue
                if font is None:
                    self.problem(("nofont", page), page, "text shown with no font set")
                    continue
                fkey, f = font
                actual = next((t for t in reversed(marked) if t is not None), None)
                shown = operands[-1] if op == "TJ" else [operands[-1]]
                for s in shown if isinstance(shown, list) else ():
                    if isinstance(s, bytes):
                        self.show(fkey, f, s, mode, actual, page)
            elif op == "Tf" and operands:
                name = operands[0]
                if name not in by_name:
                    obj = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) and \
                        isinstance(name, str) else None
                    by_name[name] = self.font(obj) if obj is not None else None
                font = by_name[name]
                if font is None:
                    self.problem(("nores", str(name)), page, f"font resource {name} missing")
            elif op == "Tr" and operands:
                mode = int(operands[0])
            elif op == "q":
                stack.append((font, mode))
            elif op == "Q" and stack:
                font, mode = stack.pop()
            elif op == "gs" and resources is not None and operands:
                gs = resources.get("/ExtGState", {}).get(operands[0])
                if gs is not None and "/Font" in gs:
                    font = self.font(gs.Font[0])
            elif op in ("BDC", "BMC"):
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if isinstance(props, str) and resources is not None:
                    props = resources.get("/Properties", {}).get(props)
                is_dict = isinstance(props, (dict, pikepdf.Dictionary))
                text = props.get("/ActualText") if is_dict else None
                if isinstance(text, bytes):
                    text = text_string(text)
                marked.append(str(text) if text is not None else None)
            elif op == "EMC" and marked:
                marked.pop()
            elif op == "Do" and resources is not None and operands:
                xobj = resources.get("/XObject", {}).get(operands[0])
                if isinstance(xobj, pikepdf.Stream) and str(xobj.get("/Subtype")) == "/Form" \
                        and xobj.objgen not in active:
                    inner = xobj.get("/Resources", resources)
                    self.walk(xobj, inner, page, active | {xobj.objgen})

    def show(self, fkey, f, s, mode, actual, page):
        self.used.add(fkey)
        codes = f.codes(s)
        self.glyphs += len(codes)
        if f.problem:
            self.problem((fkey,), page, f"font {f.name}: {f.problem}")
            return
        if f.missing:
            self.problem((fkey,), page, f"font {f.name}: {f.missing}")
        if mode == 3:  # invisible text: only counted
            return
        for code in codes:
            label, problem, note = f.check(code, actual)
            if note:
                self.notes[note] += 1
            if problem:
                text = actual if actual is not None else f.to_unicode.get(code, "")
                self.problem((fkey, code, actual), page,
                             f"font {f.name}: glyph {label} (text {text!r}): {problem}")


def resources_of(page):
    """A page's resources, inherited from its parents when it has none itself."""
    node = page
    while node is not None:
        if "/Resources" in node:
            return node.Resources
        node = node.get("/Parent")
    return None


def main(args):
    if not args or any(a.startswith("-") for a in args):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    installed = Installed()
    failed = False
    for path in args:
        checker = Checker(path, installed)
        try:
            notes = checker.run()
        except Exception as e:  # not a PDF, or one pikepdf cannot read
            print(f"{path}: cannot be read ({type(e).__name__}: {e})")
            failed = True
            continue
        problems = list(checker.problems.values())
        for page, message in problems[:MAX_LINES]:
            print(f"{path}: page {page}: {message}")
        if len(problems) > MAX_LINES:
            more = len(problems) - MAX_LINES
            print(f"{path}: ... and {more} more problem{'s' if more > 1 else ''}")
        counts = f"{checker.glyphs} glyphs in {len(checker.used)} fonts"
        counts += "".join(f"; {n}" for n in notes)
        if problems:
            failed = True
            print(f"{path}: {len(problems)} problem{'s' if len(problems) > 1 else ''} ({counts})")
        else:
            print(f"{path}: ok, {counts}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
