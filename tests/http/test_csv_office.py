"""The CSV exports opened as a spreadsheet would open them: LibreOffice
Calc (Debian's libreoffice-calc-nogui, headless) imports the staff's
applications list with ',' and with ';' as the separator, as in many
European locales, and converts it to a format that shows formulas (flat
ODF). No cell may be a formula, whatever the applicants typed. A file
written without the guard is converted the same way first, to show the
check sees formulas when there are some."""
import os
import re
import shutil
import subprocess

import pytest

from server import Client, Server

pytestmark = [pytest.mark.abuse, pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice is not installed")]

# What applicants type, each where a delimiter of some locale or a quote
# would let a formula start a cell of its own (names refuse tabs and line
# breaks; the unit tests and the fuzz target cover those).
NAMES = [
    ("Ana;=1+1;=cmd|' /C calc'!A0;", "Semicolon"),
    ("=HYPERLINK(\"http://x\",\"y\")", "Comma, =2+2"),
    ("+1+1", "Space ; =3+3"),
    ("-1+1", "@SUM(1;2)"),
    ("Quote\"=4+4", "Quote,\" =5+5"),
]


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    from conftest import _stop_and_check
    srv = Server(tmp_path_factory.mktemp("data"), demo=True).start()
    coord = Client(srv.url)
    assert coord.login("coordinator@demo.test")[0] == 200
    cycle = next(c["id"] for c in coord.call("GET", "/api/cycles")[2][
        "cycles"] if c["state"] == "open")
    for i, (first, last) in enumerate(NAMES, start=1):
        a = Client(srv.url)
        assert a.login("applicant%02d@demo.test" % i)[0] == 200
        assert a.call("GET", "/api/cycles/%d/application" % cycle)[0] == 200
        status, _, body = a.call(
            "PUT", "/api/cycles/%d/application" % cycle,
            {"fields": {"first_name": first, "last_name": last}})
        assert status == 200, body
    status, _, body = coord.call(
        "GET", "/api/cycles/%d/applications.csv" % cycle)
    assert status == 200
    yield body
    _stop_and_check(srv)


def formulas(tmp_path, data, separator):
    """The formulas LibreOffice finds in CSV data split at separator."""
    src = tmp_path / ("in-%d.csv" % separator)
    src.write_bytes(data)
    out = tmp_path / ("out-%d" % separator)
    profile = tmp_path / "profile"
    # Separator, text delimiter ("), UTF-8, from line 1; the rest as a
    # person opening the file would have it.
    subprocess.run(
        ["soffice", "-env:UserInstallation=file://%s" % profile,
         "--headless", "--norestore",
         "--infilter=CSV:%d,34,76,1" % separator,
         "--convert-to", "fods", "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=120,
        env=dict(os.environ, HOME=str(tmp_path)))
    xml = (out / src.with_suffix(".fods").name).read_text("utf-8")
    assert "<table:table-cell" in xml
    return re.findall(r'table:formula="([^"]*)"', xml)


def test_the_check_sees_formulas_in_an_unguarded_file(tmp_path):
    raw = "id;name\r\n1;=1+1\r\n2;Ana;=2+2\r\n".encode()
    assert formulas(tmp_path, raw, ord(";"))
    assert formulas(tmp_path, raw.replace(b";", b","), ord(","))


@pytest.mark.parametrize("separator", [",", ";"])
def test_no_cell_of_the_export_is_a_formula(export, tmp_path, separator):
    assert "Ana;" in export.decode("utf-8")
    assert formulas(tmp_path, export, ord(separator)) == []
