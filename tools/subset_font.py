"""Subset Noto Sans CJK SC (Debian's fonts-noto-cjk, face 2 of the .ttc) to what covplan draws:
every Chinese character of GBK, ASCII, Latin-1, CJK punctuation, full-width forms and the
technical symbols of the evidence strings. Run once; the output is committed with its licence.

    python3 tools/subset_font.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc assets/fonts/NotoSansCJKsc-covplan.otf
"""
import sys
from fontTools import subset
from fontTools.ttLib import TTCollection

src, out = sys.argv[1], sys.argv[2]
chars = set()
# Every double-byte GBK code (lead 0x81-0xFE, trail 0x40-0xFE except 0x7F) that decodes to a character.
for lead in range(0x81, 0xFF):
    for trail in range(0x40, 0xFF):
        if trail == 0x7F:
            continue
        try:
            chars.add(bytes([lead, trail]).decode("gbk"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))
chars.update(chr(c) for c in range(0xA0, 0x180))
for lo, hi in [(0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F),
               (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F), (0x3200, 0x33FF), (0xFF00, 0xFFEF), (0x0370, 0x03FF)]:
    chars.update(chr(c) for c in range(lo, hi + 1))
face = TTCollection(src).fonts[2]
assert "SC" in face["name"].getDebugName(4), face["name"].getDebugName(4)
opts = subset.Options()
opts.layout_features = ["kern", "liga", "palt", "halt", "fwid", "hwid"]  # no locl/vert variants: a quarter of the glyphs
opts.name_IDs = ["*"]
opts.name_languages = ["*"]
opts.notdef_outline = True
opts.hinting = False  # egui and PDF viewers render unhinted; saves a quarter of the size
opts.drop_tables += ["VORG", "vhea", "vmtx"]
s = subset.Subsetter(opts)
s.populate(text="".join(sorted(chars)))
s.subset(face)
face.save(out)
print(f"{len(chars)} characters -> {out}")
