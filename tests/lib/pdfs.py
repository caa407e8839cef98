"""Small PDF files for the tests, written by hand: a valid one, one with
JavaScript, one with a launch action, an HTML polyglot, and (with qpdf)
an encrypted one."""
import subprocess


CONTENT = b"BT /F1 12 Tf 72 720 Td (Test) Tj ET"


def _pdf(extra_catalog=b"", extra_objects=(), generation=0, size=None):
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R " + extra_catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(CONTENT), CONTENT),
    ] + list(extra_objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        gen = generation if i > 4 else 0
        out += b"%d %d obj\n" % (i, gen) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for i, off in enumerate(offsets, start=1):
        out += b"%010d %05d n \n" % (off, generation if i > 4 else 0)
    out += (b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (size or len(objs) + 1, xref))
    return bytes(out)


def valid():
    return _pdf()


def with_javascript():
    return _pdf(b"/OpenAction 5 0 R ",
                [b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"])


def with_nested_javascript():
    # A direct action dictionary, not an object of its own.
    return _pdf(b"/AA << /O << /S /JavaScript /JS (x) >> >> ")


def with_javascript_generation_1():
    # The action is object 5 with generation 1.
    return _pdf(b"/OpenAction 5 1 R ",
                [b"<< /Type /Action /S /JavaScript /JS (x) >>"], generation=1)


def with_javascript_beyond_size():
    # The trailer's /Size claims fewer objects than the file has.
    return _pdf(b"/OpenAction 5 0 R ",
                [b"<< /Type /Action /S /JavaScript /JS (x) >>"], size=5)


def with_xfa():
    return _pdf(b"/AcroForm << /Fields [] /XFA (<xdp:xdp/>) >> ")


def with_launch():
    return _pdf(b"/OpenAction << /S /Launch /F (calc.exe) >> ")


def html_polyglot():
    return (b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>"
            b"\n")


def encrypted(tmpdir):
    src = tmpdir / "plain.pdf"
    dst = tmpdir / "encrypted.pdf"
    src.write_bytes(valid())
    subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--",
                    str(src), str(dst)], check=True)
    return dst.read_bytes()
