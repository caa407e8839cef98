"""Small PDF files for the tests, written by hand: a valid one, one with
JavaScript, one with a launch action, an HTML polyglot, and (with qpdf)
an encrypted one."""
import functools
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


# Strict acceptance (core/pdf.c): what the outside test got through.

def html_in_comment():
    # Markup in a comment after the header, where a browser sniffing the
    # file would find a page.
    return valid().replace(b"%PDF-1.4\n", b"%PDF-1.4\n%<html><script>"
                           b"alert(1)</script></html>\n", 1)


def html_after_eof():
    return valid() + b"<html><body><script>alert(1)</script></body></html>\n"


def html_before_header():
    return b"<html><!-- " + valid() + b" --></html>"


def html_between_objects():
    # Outside any object, where qpdf's recovery would skip it.
    return valid().replace(b"endobj\n2 0 obj", b"endobj\n<html><script>x"
                           b"</script></html>\n2 0 obj", 1)


def with_embedded_file():
    return _pdf(b"/Names << /EmbeddedFiles << /Names [(a.txt) 5 0 R] >> >> ",
                [b"<< /Type /Filespec /F (a.txt) /EF << /F 6 0 R >> >>",
                 b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nhi\n"
                 b"endstream"])


def with_gotor():
    return _pdf(b"/OpenAction << /S /GoToR /F (other.pdf) /D [0 /Fit] >> ")


def with_submit_form():
    return _pdf(b"/OpenAction << /S /SubmitForm /F << /FS /URL "
                b"/F (http://collector.example/) >> >> ")


def with_import_data():
    return _pdf(b"/OpenAction << /S /ImportData /F (data.fdf) >> ")


def with_rich_media():
    return _pdf(b"/OpenAction 5 0 R ",
                [b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>"])


def with_duplicate_key():
    # Which /URI a viewer follows depends on the viewer.
    return _pdf(b"/OpenAction << /S /URI /URI (https://doi.org/10.1/a) "
                b"/URI (http://elsewhere.example/) >> ")


def with_escaped_name():
    # /JavaScript written with a #xx escape.
    return _pdf(b"/OpenAction << /S /Java#53cript /JS (x) >> ")


def with_uri_link():
    # A CV citing a paper: allowed.
    return _pdf(b"/OpenAction << /S /URI /URI (https://doi.org/10.1000/1) >> ")


def _xref_stream_pdf(objstm_objects, root_extra=b"", stream=None):
    """A PDF 1.5 file whose objects 5.. live in one compressed object
    stream (object 4 + len + 1), found through a cross-reference stream:
    what the byte scan cannot read and the parse must."""
    import zlib
    n = len(objstm_objects)
    heads, bodies, off = [], b"", 0
    for i, body in enumerate(objstm_objects):
        heads.append(b"%d %d" % (5 + i, off))
        bodies += body + b"\n"
        off += len(body) + 1
    head = b" ".join(heads) + b"\n"
    stm = stream(head) if stream else zlib.compress(head + bodies)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R " + root_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    objstm_num = 5 + n
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    objstm_off = len(out)
    out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Length %d "
            b"/Filter /FlateDecode >>\nstream\n" % (objstm_num, n, len(head),
                                                     len(stm)))
    out += stm + b"\nendstream\nendobj\n"
    xref_num = objstm_num + 1
    xref_off = len(out)
    rows = [b"\x00\x00\x00\x00\xff\xff"]
    rows += [b"\x01" + off.to_bytes(4, "big") + b"\x00" for off in offsets]
    rows += [b"\x02" + objstm_num.to_bytes(4, "big") + bytes([i])
             for i in range(n)]
    rows += [b"\x01" + objstm_off.to_bytes(4, "big") + b"\x00",
             b"\x01" + xref_off.to_bytes(4, "big") + b"\x00"]
    data = b"".join(rows)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R "
            b"/Length %d >>\nstream\n" % (xref_num, xref_num + 1, len(data)))
    out += data + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_off
    return bytes(out)


def with_compressed_javascript():
    # The action sits in a compressed object stream: no byte of the file
    # says "JavaScript".
    return _xref_stream_pdf(
        [b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"],
        b"/OpenAction 5 0 R ")


def compressed_valid():
    return _xref_stream_pdf([b"<< /Producer (test) >>"], b"/Info2 5 0 R ")


@functools.lru_cache(maxsize=None)
def decompression_bomb(inflated=1 << 30):
    """A 1 MB file whose object stream inflates to a gigabyte: a string of
    that size, which parsing it must hold in memory. The deflate data is
    one compressed megabyte, repeated (a full flush makes each copy stand
    alone), with the checksum of the whole."""
    import zlib

    def bomb(head):
        chunk = b"a" * (1 << 20)
        z = zlib.compressobj(9, zlib.DEFLATED, -15)
        first = z.compress(head + b"(") + z.flush(zlib.Z_FULL_FLUSH)
        body = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
        last = z.compress(b")\n") + z.flush(zlib.Z_FINISH)
        n = inflated // len(chunk)
        check = zlib.adler32(head + b"(")
        for _ in range(n):
            check = zlib.adler32(chunk, check)
        check = zlib.adler32(b")\n", check)
        return (b"\x78\xda" + first + body * n + last
                + check.to_bytes(4, "big"))
    return _xref_stream_pdf([b"(x)"], b"/Info2 5 0 R ", stream=bomb)


def padded(size):
    """A valid PDF of about size bytes: the padding is a string object
    inside the file, not bytes after its end (which are refused)."""
    base = len(_pdf(extra_objects=[b"()"]))
    return _pdf(extra_objects=[b"(" + b"x" * max(0, size - base) + b")"])


def many_objects(n=50000):
    """About 2.8 MB of tiny objects, all reachable: the file that made a
    sign-in take 37 s while six of them were checked in the workers."""
    return _pdf(b"/Many 5 0 R ",
                [b"[" + b" ".join(b"%d 0 R" % i
                                  for i in range(6, 6 + n)) + b"]"]
                + [b"<< /N %d >>" % i for i in range(n)])


def with_uri(address):
    return _pdf(b"/OpenAction << /S /URI /URI (" + address + b") >> ")
