"""nginx in front of a running server, as deployed: the site of
deploy/nginx/fellowship.conf on free loopback ports with a self-signed
certificate. Used by the deployment tests and by scripts/security.py."""
import os
import shutil
import socket
import ssl
import subprocess
import time

from server import ROOT, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def make_cert(d):
    key, crt = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", key, "-out", crt],
                   check=True, capture_output=True)
    return crt, key


def render_site(app_port, http_port, https_port, crt, key):
    with open(os.path.join(ROOT, "deploy", "nginx", "fellowship.conf")) as f:
        site = f.read()
    site = site.replace("127.0.0.1:8888", "127.0.0.1:%d" % app_port)
    site = site.replace("listen 80;", "listen 127.0.0.1:%d;" % http_port)
    site = site.replace("listen 443 ssl http2;",
                        "listen 127.0.0.1:%d ssl http2;" % https_port)
    site = "\n".join(l for l in site.splitlines() if "[::]" not in l)
    site = site.replace("/etc/ssl/fellowship/fullchain.pem", crt)
    site = site.replace("/etc/ssl/fellowship/privkey.pem", key)
    return site


def start(app_port, d, access_log=None):
    """Starts nginx (its files in the directory d) in front of the server
    on app_port; returns (process, {"http", "https", "ctx", "cert"}), ctx
    an SSL context that trusts the certificate. access_log: a file for
    nginx's access log in its default "combined" format (none when
    None). The caller terminates the process."""
    d = str(d)
    log = "access_log %s combined;" % access_log if access_log else \
        "access_log off;"
    crt, key = make_cert(d)
    # Two different ports: a port just freed can be handed out again.
    http_port = free_port()
    https_port = free_port()
    while https_port == http_port:
        https_port = free_port()
    site = render_site(app_port, http_port, https_port, crt, key)
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
daemon off;
events { worker_connections 1024; }
http {
    %(log)s
    client_body_temp_path %(d)s/body;
    proxy_temp_path %(d)s/proxy;
    fastcgi_temp_path %(d)s/fastcgi;
    uwsgi_temp_path %(d)s/uwsgi;
    scgi_temp_path %(d)s/scgi;
    %(site)s
}
""" % {"d": d, "site": site, "log": log})
    proc = subprocess.Popen([NGINX, "-p", d, "-c", conf],
                            stderr=subprocess.PIPE)
    deadline = time.time() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), 0.2).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode())
            if time.time() > deadline:
                proc.kill()
                raise RuntimeError("nginx did not start")
            time.sleep(0.05)
    ctx = ssl.create_default_context(cafile=crt)
    ctx.check_hostname = False
    return proc, {"http": http_port, "https": https_port, "ctx": ctx,
                  "cert": crt}


def stop(proc):
    proc.terminate()
    proc.wait(timeout=10)
