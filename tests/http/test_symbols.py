"""Every route's handler is exported by the module and collides with no
symbol of Kore or libc (a handler named like a libc function would bind to
libc instead, as `login` does)."""
import glob
import os
import re
import subprocess

from server import ROOT


def exported(path, dynamic=True):
    args = ["nm", "-D", "--defined-only", path] if dynamic else \
        ["nm", "--defined-only", path]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    return {line.split()[-1].split("@")[0]
            for line in out.stdout.splitlines() if line.strip()}


def route_handlers():
    """Handlers of routes and functions of validators (the gates)."""
    names = set()
    with open(os.path.join(ROOT, "conf", "routes.conf")) as f:
        for line in f:
            m = re.match(r"\s*route\s+\S+\s+(\S+)", line) or \
                re.match(r"\s*validator\s+\S+\s+function\s+(\S+)", line)
            if m:
                names.add(m.group(1))
    return names


def test_every_route_handler_is_exported_and_unique():
    handlers = route_handlers()
    assert handlers
    for module in ("build/fellowship.so", "build/san/fellowship.so"):
        syms = exported(os.path.join(ROOT, module))
        missing = handlers - syms
        assert not missing, (module, missing)
    kore = exported("/usr/bin/kore")
    libc = set()
    for lib in glob.glob("/lib/x86_64-linux-gnu/libc.so.6"):
        libc |= exported(lib)
    clashes = handlers & (kore | libc)
    assert not clashes, clashes


def test_module_exports_only_handlers_and_hooks():
    syms = exported(os.path.join(ROOT, "build", "fellowship.so"))
    ours = {s for s in syms if not s.startswith("_")}
    allowed = route_handlers() | {
        "kore_parent_configure", "kore_worker_configure",
        "kore_worker_teardown", "kore_seccomp_hook",
    }
    assert ours <= allowed, ours - allowed
