#!/usr/bin/env python3
"""The two commands of the Quick start, plus one for maintainers.

    python3 dev.py run    set up a local virtual environment, the embedded SQLite database
                          and the demo, then serve on http://127.0.0.1:8000
    python3 dev.py test   install the development tools and run the whole test suite,
                          on SQLite and on PostgreSQL
    python3 dev.py lock   regenerate the lock files after changing pyproject.toml

Needs only Python 3.11+, pip and git. Safe to run again: nothing is lost, nothing is
installed twice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCK = ROOT / "requirements" / "lock.txt"
DEV_LOCK = ROOT / "requirements" / "dev-lock.txt"
PG_URL_DEFAULT = "postgres://postgres@127.0.0.1:5432/test"


def say(text: str) -> None:
    print(f"\033[1m==> {text}\033[0m" if sys.stdout.isatty() else f"==> {text}", flush=True)


def run(cmd: list[str | Path], *, env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def ensure_python() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs before the venv exists, on any python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")


def ensure_venv(lock: Path) -> None:
    """Create .venv and install exactly what the lock file says (hash-checked), once per lock."""
    if not PY.exists():
        say("Creating the virtual environment in .venv")
        run([sys.executable, "-m", "venv", VENV])
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{lock.stem}-{digest}"
    if stamp.exists():
        return
    say(f"Installing the locked dependencies ({lock.relative_to(ROOT)})")
    run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--require-hashes", "-r", lock])
    run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", ROOT])
    default_settings_module()
    for old in VENV.glob(f".installed-{lock.stem}-*"):
        old.unlink()
    stamp.touch()


def default_settings_module() -> None:
    """Inside .venv, `python -m django` and `django-admin` know the project's settings."""
    site = subprocess.run([str(PY), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "aftersales-settings.pth").write_text(
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'aftersales.settings')\n", encoding="ascii"
    )


def aftersales(*args: str, env: dict[str, str] | None = None, check: bool = True) -> int:
    return run([BIN / "aftersales", *args], env=env, check=check)


def cmd_run() -> None:
    ensure_python()
    ensure_venv(LOCK)
    env = os.environ.copy()
    aftersales("compiletranslations", env=env)
    say("Preparing the database")
    aftersales("migrate", "--no-input", "-v", "0", env=env)
    aftersales("collectstatic", "--no-input", "-v", "0", env=env)
    aftersales("demo", env=env)
    aftersales("serve", "--host", env.get("HOST", "127.0.0.1"), "--port", env.get("PORT", "8000"), env=env)


# ---- test -----------------------------------------------------------------------------------

def pg_answers(url: str) -> bool:
    code = (
        "import sys, psycopg\n"
        "try:\n"
        f"    psycopg.connect({url!r}, connect_timeout=3).close()\n"
        "except Exception as e:\n"
        "    print(e, file=sys.stderr); sys.exit(1)\n"
    )
    return subprocess.run([str(PY), "-c", code], capture_output=True).returncode == 0


def ensure_postgres(url: str) -> bool:
    if pg_answers(url):
        return True
    ctl = shutil.which("pg_ctlcluster")
    etc = Path("/etc/postgresql")
    if ctl and etc.is_dir():
        for version in sorted(p.name for p in etc.iterdir()):
            say(f"PostgreSQL does not answer; starting cluster {version}/main")
            subprocess.run([ctl, "--skip-systemctl-redirect", version, "main", "start"])
        for _ in range(20):
            if pg_answers(url):
                return True
            time.sleep(0.5)
    return False


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_redis() -> bool:
    """The job tests run a real consumer on Redis (decision 0017): start it if it is down."""
    if redis_answers():
        return True
    server = shutil.which("redis-server")
    if server:
        say(f"Redis does not answer on {REDIS_HOST}:{REDIS_PORT}; starting redis-server")
        subprocess.run([server, "--daemonize", "yes", "--bind", REDIS_HOST, "--port", str(REDIS_PORT),
                        "--save", "", "--appendonly", "no"])
        for _ in range(20):
            if redis_answers():
                return True
            time.sleep(0.25)
    return False


SYSTEM_PACKAGES = {
    # what the tests need from the system: (how to tell it is there, Debian package)
    "gettext": (lambda: shutil.which("xgettext") and shutil.which("msgmerge"), "gettext"),
    "chromium": (lambda: Path(CHROMIUM).exists(), "chromium"),
    "redis": (lambda: shutil.which("redis-server"), "redis-server"),
    "CJK fonts": (lambda: Path("/usr/share/fonts/opentype/noto").exists(), "fonts-noto-cjk"),
    # WeasyPrint draws the printable documents (PDF) with Pango and subsets fonts with HarfBuzz
    "Pango": (lambda: _has_library("pango-1.0"), "libpango-1.0-0"),
    "PangoFT2": (lambda: _has_library("pangoft2-1.0"), "libpangoft2-1.0-0"),
    "HarfBuzz subset": (lambda: _has_library("harfbuzz-subset"), "libharfbuzz-subset0"),
}
CHROMIUM = "/usr/bin/chromium"


def _has_library(name: str) -> bool:
    import ctypes.util

    return ctypes.util.find_library(name) is not None


def ensure_system_packages() -> None:
    """gettext checks the catalogues against the code; Chromium runs the browser tests;
    the CJK fonts let screenshots show Chinese and Korean; Pango draws the PDFs. Installed from
    Debian if missing."""
    missing = {name: pkg for name, (present, pkg) in SYSTEM_PACKAGES.items() if not present()}
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"Installing from Debian: {', '.join(missing.values())}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        cmd = [apt, "install", "-y", "-qq", "--no-install-recommends", *missing.values()]
        if subprocess.run(cmd, env=env).returncode != 0:
            subprocess.run([apt, "update", "-qq"], env=env)
            subprocess.run(cmd, env=env)
    still = [name for name, (present, _pkg) in SYSTEM_PACKAGES.items() if not present()]
    if still:
        sys.exit(f"The tests need {', '.join(still)}: install the Debian packages "
                 f"{', '.join(SYSTEM_PACKAGES[n][1] for n in still)} (as root) and run again.")


def cmd_test(extra: list[str]) -> None:
    ensure_python()
    ensure_venv(DEV_LOCK)
    ensure_system_packages()
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    data_dir = Path(tempfile.mkdtemp(prefix="aftersales-test-"))
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    base["AFTERSALES_DATA_DIR"] = str(data_dir)
    base["PYTHONDONTWRITEBYTECODE"] = "1"
    base["AFTERSALES_CHROMIUM"] = CHROMIUM
    aftersales("compiletranslations", env=base)

    say("Lint (ruff) and migrations in step with the models")
    run([PY, "-m", "ruff", "check", "--quiet", "src", "dev.py", "conftest.py", "bench"], env=base)
    aftersales("makemigrations", "--check", "--dry-run", "-v", "1", env=base)

    results: list[tuple[str, int]] = []
    if not ensure_redis():
        # The job-consumer tests need it; they fail rather than skip, locally and in CI alike.
        print(f"Redis does not answer at {REDIS_HOST}:{REDIS_PORT} and could not be started"
              + (": failing, as CI must." if in_ci else ": the job-consumer tests will fail."))
        if in_ci:
            results.append(("Redis", 1))
    base["TEST_REDIS_URL"] = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
    say("Test suite on SQLite")
    results.append(("SQLite", run([PY, "-m", "pytest", *extra], env=base, check=False)))

    pg_url = os.environ.get("TEST_POSTGRES_URL", PG_URL_DEFAULT)
    if ensure_postgres(pg_url):
        say(f"Test suite on PostgreSQL ({pg_url})")
        results.append(("PostgreSQL", run([PY, "-m", "pytest", *extra], env={**base, "DATABASE_URL": pg_url},
                                          check=False)))
    elif in_ci:
        print(f"PostgreSQL does not answer at {pg_url} and could not be started: failing, as CI must.")
        results.append(("PostgreSQL", 1))
    else:
        print(f"!! PostgreSQL does not answer at {pg_url}: the PostgreSQL run was NOT done.")

    shutil.rmtree(data_dir, ignore_errors=True)
    failed = [name for name, code in results if code != 0]
    say("Summary: " + ", ".join(f"{name} {'passed' if code == 0 else 'FAILED'}" for name, code in results))
    sys.exit(1 if failed else 0)


def cmd_lock() -> None:
    ensure_venv(DEV_LOCK)
    run([PY, "-m", "pip", "install", "--quiet", "pip-tools"])
    common = ["--quiet", "--strip-extras", "--generate-hashes", "--no-emit-index-url", "--no-emit-find-links"]
    run([BIN / "pip-compile", *common, "-o", LOCK, "pyproject.toml"])
    run([BIN / "pip-compile", *common, "--extra", "dev", "-o", DEV_LOCK, "pyproject.toml"])


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    if args[0] == "run":
        cmd_run()
    elif args[0] == "test":
        cmd_test(args[1:])
    elif args[0] == "lock":
        cmd_lock()
    else:
        sys.exit(f"Unknown command {args[0]!r}. Try: python3 dev.py run | test")


if __name__ == "__main__":
    main()
