#!/usr/bin/env python3
"""Writes the bad-input corpus: small files with one defect each (see tests/bad_input.rs).

Run once with pyshp installed (`pip install pyshp`); the files are committed. Every case is
derived from a small valid layer so that each file has exactly the defect its name says.
"""
import os, struct, shutil, zipfile
import shapefile  # pyshp

HERE = os.path.dirname(os.path.abspath(__file__))
GK_PRJ = 'PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
WGS_PRJ = 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
VILLAGES = [("大坑村", 27), ("石狗村", 15), ("黄田村", 120), ("罗源村", 64)]


def p(name):
    return os.path.join(HERE, name)


def villages(name, encoding="gbk", prj=GK_PRJ, cpg="GBK", households_as_text=None, ids=None, points=None):
    w = shapefile.Writer(p(name), shapeType=shapefile.POINT, encoding=encoding)
    w.field("编号", "C", 12)
    w.field("名称", "C", 20)
    if households_as_text is None:
        w.field("户数", "N", 6, 0)
    else:
        w.field("户数", "C", 10)
    for i, (n, hh) in enumerate(VILLAGES):
        x, y = (points or [(38365000.0 + 500 * i, 2583000.0 + 300 * i)] * 4)[i] if points else (38365000.0 + 500 * i, 2583000.0 + 300 * i)
        w.point(x, y)
        hv = hh if households_as_text is None else households_as_text[i]
        w.record(ids[i] if ids else f"V{i + 1:03}", n, hv)
    w.close()
    if prj:
        open(p(name + ".prj"), "w").write(prj)
    if cpg:
        open(p(name + ".cpg"), "w").write(cpg)


def cut(name, keep):
    data = open(p(name), "rb").read()
    open(p(name), "wb").write(data[:keep])


# A good reference layer.
villages("good")
# Truncated .shp: the file stops inside record 3 (header length still claims the whole file).
villages("truncated_shp")
cut("truncated_shp.shp", 100 + 2 * 28 + 12)
# Truncated .dbf: stops inside record 3.
villages("truncated_dbf")
d = open(p("truncated_dbf.dbf"), "rb").read()
hl, rl = struct.unpack("<HH", d[8:12])
cut("truncated_dbf.dbf", hl + 2 * rl + 5)
# The .dbf holds 3 records, the .shp 4.
villages("count_mismatch")
d = bytearray(open(p("count_mismatch.dbf"), "rb").read())
d[4:8] = struct.pack("<I", 3)
open(p("count_mismatch.dbf"), "wb").write(d[: hl + 3 * rl] + b"\x1a")
# A header claiming two billion records.
villages("billion_records")
d = bytearray(open(p("billion_records.dbf"), "rb").read())
d[4:8] = struct.pack("<I", 2_000_000_000)
open(p("billion_records.dbf"), "wb").write(d)
# GBK text with no .cpg and language driver 0: must still decode (UTF-8 invalid → GBK).
villages("gbk_no_cpg", cpg=None)
# A .cpg that lies (says UTF-8, text is GBK).
villages("wrong_cpg", cpg="UTF-8")
# Projected coordinates and no .prj.
villages("missing_prj", prj=None)
# NaN coordinate in record 2.
villages("nan_coords")
d = bytearray(open(p("nan_coords.shp"), "rb").read())
rec2 = 100 + 28 + 8 + 4  # header + record 1 + record 2 header + shape type
d[rec2:rec2 + 8] = struct.pack("<d", float("nan"))
open(p("nan_coords.shp"), "wb").write(d)
# Lon/lat file whose record 3 lies outside lon/lat bounds.
villages("out_of_range", prj=WGS_PRJ, points=[(112.7, 23.3), (112.8, 23.4), (212.9, 23.5), (112.6, 23.2)])
# Non-numeric households (text field) in record 2, and duplicate ids.
villages("bad_households", households_as_text=["27", "二十", "120", "64"])
villages("duplicate_ids", ids=["V001", "V002", "V001", "V004"])
# A polyline record claiming far more points than it holds.
w = shapefile.Writer(p("huge_parts"), shapeType=shapefile.POLYLINE, encoding="utf-8")
w.field("name", "C", 10)
w.line([[(112.7, 23.3), (112.8, 23.4)]])
w.record("a")
w.close()
d = bytearray(open(p("huge_parts.shp"), "rb").read())
d[100 + 8 + 4 + 32 + 4:100 + 8 + 4 + 32 + 8] = struct.pack("<i", 1_000_000_000)
open(p("huge_parts.shp"), "wb").write(d)
open(p("huge_parts.prj"), "w").write(WGS_PRJ)
# Empty files.
open(p("empty.shp"), "wb").close()
open(p("empty.geojson"), "wb").close()
open(p("empty.csv"), "wb").close()
# GeoJSON: truncated; bad coordinate in feature 2; a geometry type that does not exist.
open(p("truncated.geojson"), "w").write('{"type": "FeatureCollection", "features": [\n {"type": "Feature", "properties": {"名称": "大坑村"},\n  "geometry": {"type": "Point", "coordinates": [112.7, 2')
open(p("bad_coordinate.geojson"), "w").write('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [112.7, 23.3]}}, {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": ["东经", 23.3]}}]}')
open(p("unknown_geometry.geojson"), "w").write('{"type": "Feature", "properties": {}, "geometry": {"type": "Circle", "coordinates": [112.7, 23.3]}}')
# Site tables: a bad latitude in data row 3 (line 4); two azimuth columns; GBK without BOM.
open(p("bad_latitude.csv"), "w", encoding="utf-8").write("站名,小区名,经度,纬度,制式\nA站,A-1,112.7,23.3,LTE\nB站,B-1,112.8,23.4,LTE\nC站,C-1,112.9,北纬,LTE\n")
open(p("ambiguous_azimuth.csv"), "w", encoding="utf-8").write("站名,小区名,经度,纬度,制式,方位角,方向角\nA站,A-1,112.7,23.3,LTE,0,120\n")
open(p("no_tech.csv"), "w", encoding="utf-8").write("站名,小区名,经度,纬度\nA站,A-1,112.7,23.3\n")
open(p("gbk_sites.csv"), "wb").write("站名,小区名,经度,纬度,制式,方位角\n大沙站,大沙-1,112°41'42.4\",23°20'24\",LTE,120\n".encode("gbk"))
# KML that stops mid-tag.
open(p("broken.kml"), "w").write('<?xml version="1.0"?><kml><Document><Placemark><name>大坑村</name><Point><coordinates>112.7,23.3</coordinates></Point></Placemark><Placemark><name>x</na')
# Zip files: not a zip; two shapefiles inside.
open(p("not_a_zip.zip"), "wb").write(b"PK\x03\x04 this is not really a zip archive")
with zipfile.ZipFile(p("two_layers.zip"), "w") as z:
    for stem in ["good", "duplicate_ids"]:
        for ext in ["shp", "shx", "dbf", "prj", "cpg"]:
            z.write(p(f"{stem}.{ext}"), f"{stem}.{ext}")
# Not a GeoPackage; an SRTM tile of the wrong size; a TIFF without georeferencing.
open(p("not_a.gpkg"), "wb").write(b"SQLite format 3\x00" + b"\x00" * 84)
open(p("N23E112.hgt"), "wb").write(b"\x00" * 1000)
# Minimal uncompressed 1×1 8-bit TIFF, no GeoTIFF tags.
tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 4)
tiff += struct.pack("<HHII", 256, 3, 1, 1) + struct.pack("<HHII", 257, 3, 1, 1)
tiff += struct.pack("<HHII", 273, 4, 1, 8 + 2 + 4 * 12 + 4) + struct.pack("<HHII", 279, 4, 1, 1) + struct.pack("<I", 0) + b"\x05"
open(p("plain.tif"), "wb").write(tiff)
print("corpus written to", HERE)
