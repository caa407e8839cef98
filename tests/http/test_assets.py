"""The front end is served from the module with validators and the
security headers, and only what is embedded can be reached."""
import re

from test_conventions import assert_error, assert_security_headers


def test_shell_is_html_without_inline_script(api):
    status, h, body = api("GET", "/")
    assert status == 200
    assert h["Content-Type"] == "text/html; charset=utf-8"
    assert_security_headers(h)
    html = body.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, "inline script: " + tag
    assert re.search(r"<script[^>]*>\s*[^<\s]", html) is None
    assert 'lang="en"' in html
    assert "style=" not in html


def test_every_asset_the_shell_names_is_served(api):
    _, _, body = api("GET", "/")
    refs = re.findall(r'(?:src|href)="(/assets/[^"]+)"', body.decode())
    assert refs
    for ref in refs:
        status, h, _ = api("GET", ref)
        assert status == 200, ref
        assert_security_headers(h)


def test_media_types(api):
    cases = {
        "/assets/js/app.js": "text/javascript; charset=utf-8",
        "/assets/css/app.css": "text/css; charset=utf-8",
        "/assets/vendor/pico.min.css": "text/css; charset=utf-8",
        "/assets/favicon.svg": "image/svg+xml",
    }
    for path, ctype in cases.items():
        status, h, _ = api("GET", path)
        assert status == 200, path
        assert h["Content-Type"] == ctype, path


def test_etag_revalidation_gives_304(api):
    status, h, _ = api("GET", "/assets/js/app.js")
    etag = h["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert h["Cache-Control"] == "no-cache"
    status, h2, body = api("GET", "/assets/js/app.js",
                           headers={"If-None-Match": etag})
    assert status == 304
    assert not body
    assert h2["ETag"] == etag
    status, _, _ = api("GET", "/assets/js/app.js",
                       headers={"If-None-Match": '"stale"'})
    assert status == 200


def test_unknown_asset_is_json_404(api):
    status, h, body = api("GET", "/assets/nope.js")
    assert status == 404
    assert_error(body, "not_found")
    assert_security_headers(h)


def test_path_traversal_finds_nothing(api):
    for path in ("/assets/../conf/dev.conf", "/assets/..%2f..%2fetc/passwd",
                 "/assets//etc/passwd", "/assets/%2e%2e/Makefile"):
        status, _, _ = api("GET", path)
        assert status in (400, 404), path
