#!/usr/bin/env python3
"""The image we ship, built and run without a Docker engine: `python3 tools/image_check.py --bin PATH`.

Builds the root file system of the Dockerfile's runtime stage in a temporary folder and runs
the release binary in it the way `docker run` would, then checks what a container must do:

1. Base image. The runtime stage starts `FROM debian:<suite>-slim`; that image is made by
   debuerreotype (https://github.com/debuerreotype/debuerreotype, examples/debian.sh):
   `debootstrap --variant=minbase <suite>`, its APT and dpkg settings for containers
   (debuerreotype-minimizing-config), the suite's updates and security fixes (full-upgrade),
   the "slim" dpkg excludes (no documentation, manual pages or translations, also for every
   package installed later: debuerreotype-slimify), and the APT lists, caches and logs left out
   (scripts/.tar-exclude). `make_slim_base` does the same, so the size measured here is the
   size of what we ship, not of a fatter root.
2. Runtime stage. The stage's instructions are read from the Dockerfile and carried out in
   order: RUN lines verbatim with `/bin/sh -c` as root inside the root (so the package list,
   the groupadd/useradd lines and the /data ownership exist in ONE place, the Dockerfile, and
   cannot drift from what is tested here), COPY --from=<build stage> with the binary given
   by --bin (the one CI tests), COPY of the build context (.dockerignore applied), ENV, USER,
   WORKDIR, VOLUME, HEALTHCHECK, ENTRYPOINT and CMD as recorded values. An instruction this
   script cannot reproduce (ARG, SHELL, RUN --mount, ...) stops it with an error instead of
   being skipped, so a Dockerfile change either is tested or makes CI say why not.
3. Container. Like Docker: /proc (procfs), /sys (sysfs, read-only) and /dev (a tmpfs with
   null, zero, full, random, urandom and tty bound from the host) are mounted; the VOLUME is a
   fresh folder bind-mounted on /data, initialised with the image's /data owner and mode as a
   new named volume is. The process is `chroot --userspec=UID:GID ROOT /usr/bin/env -i
   --chdir=WORKDIR <environment> ENTRYPOINT CMD`: only the image's environment (PATH, HOME,
   HOSTNAME as Docker sets them, then the Dockerfile's ENV), working directory and user. PORT
   is the one change: a free port instead of the Dockerfile's, as `docker run -p` would map
   it (the chroot shares this machine's network).
   /proc is required, not decoration: the Swift runtime on Linux finds argv through
   /proc/self/maps, and without /proc `stracker healthcheck` (or `--help`) sees no arguments
   and starts a server instead. /dev and /sys are what Docker provides; the server runs
   without them.

Checks: GET /healthz answers 200 {"status":"ok"}; the HEALTHCHECK command exits 0 while the
server runs (and non-zero once it is stopped); the server runs as the image's USER; data made
through the API (sign-up with a TOTP code, a funnel, a spending) is listed again after a
SIGTERM (exit status 0) and a new start; every file the server wrote is in /data and owned by
that user; no file outside /data changed (paths, type, mode, owner, size, mtime and a SHA-256
of every regular file, before the first start and after the last stop; /data and the mounted
/proc, /sys, /dev are left out); the root's size (du) is at most --max-mb (a ceiling against
regressions); it is also printed next to the target --target-mb, met or not.

Needs root (debootstrap, chroot, mount), debootstrap, and Debian's mirror. Nothing is cached
between runs: everything lives in one temporary folder, removed at the end unless --keep
(it is never removed while anything is still mounted inside it). --self-test-stray-write
writes a file outside /data as the image's user while the server runs, to see the
no-writes check fail.
"""

import argparse
import fnmatch
import hashlib
import json
import os
import pathlib
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import requests  # noqa: E402

import stracker_harness  # noqa: E402

DOCKER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The device nodes Docker puts in a container's /dev (besides pts, shm and mqueue).
DOCKER_DEVICES = ("null", "zero", "full", "random", "urandom", "tty")


class Abort(Exception):
    """The time limit or a signal: unwind through the clean-up."""


class Failed(Exception):
    """A step that cannot go on (the checks after it would mean nothing)."""


def on_signal(signum, _frame):
    raise Abort(f"stopped by {signal.Signals(signum).name}")


def on_alarm(_signum, _frame):
    raise Abort("time limit reached")


def say(text=""):
    print(text, flush=True)


def step(title):
    say(f"\n--- {title}")


# --- Running commands -------------------------------------------------------------------------

def run(cmd, log=None, check=True, timeout=None, **kw):
    """Runs `cmd` in its own process group; output to `log` (a path) or captured. On any
    exception (the time limit included) the whole group is killed, so no dpkg or wget outlives
    us. Returns the CompletedProcess; raises Failed with the output's tail if `check`."""
    out = open(log, "ab") if log else subprocess.PIPE
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, **kw)
        try:
            stdout, _ = proc.communicate(timeout=timeout)
        except BaseException:
            kill_group(proc)
            raise
    finally:
        if log:
            out.close()
    text = (stdout or b"").decode(errors="replace")
    if check and proc.returncode != 0:
        tail = text if not log else pathlib.Path(log).read_text(errors="replace")
        tail = "\n".join(tail.splitlines()[-25:])
        raise Failed(f"{shlex.join(map(str, cmd))} exited with {proc.returncode}:\n{tail}")
    return subprocess.CompletedProcess(cmd, proc.returncode, text)


def kill_group(proc, grace=10):
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            pass


# --- Mounts -----------------------------------------------------------------------------------

def mounts_under(root: pathlib.Path):
    """Mount points at or below `root`, deepest first (from /proc/self/mountinfo)."""
    found = []
    prefix = str(root).rstrip("/") + "/"
    with open("/proc/self/mountinfo") as f:
        for line in f:
            point = line.split()[4].encode().decode("unicode_escape")
            if point == str(root) or point.startswith(prefix):
                found.append(point)
    return sorted(set(found), key=lambda p: p.count("/"), reverse=True)


def mount(*args):
    run(["mount", *map(str, args)])


def unmount_all(root: pathlib.Path):
    """Unmounts everything below `root` (ours, and any debootstrap left after being killed).
    Returns the mount points that would not go away."""
    stuck = []
    for point in mounts_under(root):
        if run(["umount", point], check=False).returncode != 0:
            if run(["umount", "--lazy", point], check=False).returncode != 0:
                stuck.append(point)
    return stuck + [p for p in mounts_under(root) if p not in stuck]


def mount_container_filesystems(root: pathlib.Path):
    """What Docker gives a container (and a build step): procfs, a read-only sysfs, and a /dev
    with the usual device nodes (the image's own /dev is empty, as Docker exports it)."""
    mount("-t", "proc", "-o", "nosuid,nodev,noexec", "proc", root / "proc")
    mount("-t", "sysfs", "-o", "ro,nosuid,nodev,noexec", "sysfs", root / "sys")
    mount("-t", "tmpfs", "-o", "nosuid,mode=755,size=65536k", "tmpfs", root / "dev")
    for name in DOCKER_DEVICES:
        (root / "dev" / name).touch()
        mount("--bind", f"/dev/{name}", root / "dev" / name)
    for name in ("pts", "shm"):
        (root / "dev" / name).mkdir()
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        (root / "dev" / name).symlink_to(target)


# --- The Dockerfile's runtime stage -----------------------------------------------------------

def dockerfile_instructions(text: str):
    """(INSTRUCTION, arguments) in order: comments dropped, continuation lines joined."""
    logical, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if current and line.lstrip().startswith("#"):
            continue  # a comment line inside a continued instruction
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    if current:
        logical.append(current)
    result = []
    for line in logical:
        word, _, rest = line.strip().partition(" ")
        result.append((word.upper(), rest.strip()))
    return result


def runtime_stage(dockerfile: pathlib.Path):
    """The last stage: (base image, [(instruction, arguments)], names of the earlier stages)."""
    stages = []
    for instruction, args in dockerfile_instructions(dockerfile.read_text()):
        if instruction == "FROM":
            words = args.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append({"from": words[0], "name": name, "steps": []})
        elif not stages:
            raise Failed(f"Dockerfile: {instruction} before the first FROM is not supported here")
        else:
            stages[-1]["steps"].append((instruction, args))
    if not stages:
        raise Failed("Dockerfile: no FROM")
    earlier = {s["name"] for s in stages[:-1] if s["name"]} | {str(i) for i in range(len(stages) - 1)}
    return stages[-1]["from"], stages[-1]["steps"], earlier


def json_or_shell(args: str):
    """An exec form (JSON array) as a list; a shell form as ["/bin/sh", "-c", text]."""
    if args.startswith("["):
        return json.loads(args)
    return ["/bin/sh", "-c", args]


def env_pairs(args: str):
    words = shlex.split(args)
    if words and "=" not in words[0]:  # legacy form: ENV KEY value with spaces
        return [(words[0], args.split(None, 1)[1] if len(words) > 1 else "")]
    pairs = []
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            raise Failed(f"Dockerfile: cannot read ENV {args!r}")
        pairs.append((key, value))
    return pairs


def dockerignored(relative: str, patterns) -> bool:
    """A simple reading of .dockerignore (the patterns this repository uses: names, globs,
    `**/` prefixes; no `!` exceptions): a path is left out when it or a parent matches."""
    parts = relative.split("/")
    for i in range(1, len(parts) + 1):
        candidate = "/".join(parts[:i])
        for pattern in patterns:
            if pattern.startswith("!"):
                raise Failed(".dockerignore: `!` exceptions are not supported by image_check.py")
            bare = pattern.strip("/")
            if fnmatch.fnmatchcase(candidate, bare):
                return True
            if bare.startswith("**/") and fnmatch.fnmatchcase(parts[i - 1], bare[3:]):
                return True
    return False


def copy_from_context(source: str, dest: pathlib.Path):
    patterns = []
    ignore_file = REPO / ".dockerignore"
    if ignore_file.exists():
        patterns = [p.strip() for p in ignore_file.read_text().splitlines() if p.strip() and not p.startswith("#")]
    src = (REPO / source).resolve()
    if REPO not in src.parents and src != REPO:
        raise Failed(f"COPY {source}: outside the build context")
    if src.is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        for path in sorted(src.rglob("*")):
            relative = path.relative_to(REPO).as_posix()
            if dockerignored(relative, patterns):
                continue
            target = dest / path.relative_to(src)
            if path.is_dir() and not path.is_symlink():
                target.mkdir(exist_ok=True)
                shutil.copystat(path, target)
            else:
                shutil.copy2(path, target, follow_symlinks=False)
            os.lchown(target, 0, 0)
        shutil.copystat(src, dest)
        os.chown(dest, 0, 0)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
        os.chown(dest, 0, 0)


class Image:
    """The runtime stage as carried out: its root and the configuration Docker would record."""

    def __init__(self, root: pathlib.Path):
        self.root = root
        self.env = []           # [(key, value)] in Dockerfile order
        self.user = "0:0"
        self.workdir = "/"
        self.volumes = []
        self.healthcheck = None
        self.entrypoint = []
        self.cmd = []

    def userspec(self) -> str:
        return self.user if ":" in self.user else f"{self.user}:{self.user}"

    def uid_gid(self):
        user, _, group = self.userspec().partition(":")
        if not (user.isdigit() and group.isdigit()):
            raise Failed(f"USER {self.user}: image_check.py needs numeric ids (so does a non-root check without /etc lookups)")
        return int(user), int(group)

    def home(self, uid: int) -> str:
        for line in (self.root / "etc" / "passwd").read_text().splitlines():
            fields = line.split(":")
            if len(fields) > 5 and fields[2] == str(uid):
                return fields[5]
        return "/"

    def container_env(self, overrides=None):
        """The process environment of `docker run`: PATH, HOSTNAME, HOME, then the image's ENV."""
        uid, _ = self.uid_gid()
        env = {"PATH": DOCKER_PATH, "HOSTNAME": "stracker-image-check", "HOME": self.home(uid)}
        env.update(dict(self.env))
        env.update(overrides or {})
        return env

    def command(self, argv, env, user=None, workdir=None):
        """chroot as the user, a clean environment and the working directory, then argv."""
        spec = user or self.userspec()
        return (["chroot", f"--userspec={spec}", str(self.root), "/usr/bin/env", "-i",
                 f"--chdir={workdir or self.workdir}"] + [f"{k}={v}" for k, v in env.items()] + list(argv))


SUPPORTED = {"RUN", "COPY", "ENV", "USER", "WORKDIR", "VOLUME", "HEALTHCHECK", "ENTRYPOINT", "CMD", "EXPOSE", "LABEL"}


def unsupported(steps, earlier_stages):
    """Why this script cannot reproduce the stage (None: it can), known before anything is built."""
    for instruction, args in steps:
        if instruction not in SUPPORTED:
            return f"{instruction}: not reproduced by image_check.py (extend it, or the check means nothing)"
        if instruction == "RUN" and args.startswith("--"):
            return f"RUN {args.split()[0]}: flags are not reproduced by image_check.py"
        if instruction == "COPY":
            words = shlex.split(args)
            flags = [w for w in words if w.startswith("--")]
            if len([w for w in words if not w.startswith("--")]) != 2:
                return f"COPY {args}: one source and one destination expected"
            if flags and (len(flags) != 1 or not flags[0].startswith("--from=")):
                return f"COPY {args}: only --from=<stage> is reproduced by image_check.py"
            if flags and flags[0].split("=", 1)[1] not in earlier_stages:
                return f"COPY {args}: {flags[0]} is not a build stage of this Dockerfile"
    return None


def carry_out_runtime_stage(image: Image, steps, earlier_stages, binary: pathlib.Path, log):
    for instruction, args in steps:
        shown = args if len(args) < 100 else args[:97] + "..."
        say(f"  {instruction} {shown}")
        if instruction == "RUN":
            if args.startswith("--"):
                raise Failed(f"RUN {args.split()[0]}: flags are not reproduced by image_check.py")
            argv = json_or_shell(args)
            env = {"PATH": DOCKER_PATH, **dict(image.env)}
            run(image.command(argv, env, user="0:0" if image.user in ("0", "0:0", "root") else None), log=log)
        elif instruction == "COPY":
            words = shlex.split(args)
            flags = [w for w in words if w.startswith("--")]
            paths = [w for w in words if not w.startswith("--")]
            if len(paths) != 2:
                raise Failed(f"COPY {args}: one source and one destination expected")
            source, dest = paths
            target = image.root / dest.lstrip("/")
            if flags and (len(flags) != 1 or not flags[0].startswith("--from=")):
                raise Failed(f"COPY {args}: only --from=<stage> is reproduced by image_check.py")
            if flags:
                stage = flags[0].split("=", 1)[1]
                if stage not in earlier_stages:
                    raise Failed(f"COPY {args}: --from={stage} is not a build stage of this Dockerfile")
                # The build stage's one product is the release binary: the one given by --bin.
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(binary, target)
                os.chown(target, 0, 0)
                os.chmod(target, 0o755)
            else:
                copy_from_context(source, target)
        elif instruction == "ENV":
            image.env.extend(env_pairs(args))
        elif instruction == "USER":
            image.user = args.strip()
        elif instruction == "WORKDIR":
            image.workdir = args.strip()
            (image.root / image.workdir.lstrip("/")).mkdir(parents=True, exist_ok=True)
        elif instruction == "VOLUME":
            image.volumes = json.loads(args) if args.startswith("[") else args.split()
        elif instruction == "HEALTHCHECK":
            match = re.search(r"\bCMD\s+(.*)$", args)
            if not match:
                raise Failed(f"HEALTHCHECK {args}: no CMD")
            image.healthcheck = json_or_shell(match.group(1).strip())
        elif instruction == "ENTRYPOINT":
            image.entrypoint = json_or_shell(args)
        elif instruction == "CMD":
            image.cmd = json_or_shell(args)
        elif instruction in ("EXPOSE", "LABEL"):
            pass  # recorded by Docker; nothing in the root file system
        else:
            raise Failed(f"{instruction}: not reproduced by image_check.py (extend it, or the check means nothing)")


# --- The base image, as debian:<suite>-slim is built ------------------------------------------

SLIM_EXCLUDES = ["/usr/share/doc/*", "/usr/share/info/*", "/usr/share/linda/*", "/usr/share/lintian/overrides/*",
                 "/usr/share/locale/*", "/usr/share/man/*", "/usr/share/doc/kde/HTML/*/*",
                 "/usr/share/gnome/help/*/*", "/usr/share/omf/*/*-*.emf"]
SLIM_INCLUDES = ["/usr/share/doc/*/copyright", "/usr/share/doc/kde/HTML/C/*", "/usr/share/gnome/help/*/C/*",
                 "/usr/share/locale/all_languages", "/usr/share/locale/currency/*", "/usr/share/locale/l10n/*",
                 "/usr/share/locale/languages", "/usr/share/locale/locale.alias", "/usr/share/omf/*/*-C.emf"]
APT_CLEAN = '"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
CONTAINER_CONFIG = {
    # debuerreotype-minimizing-config, without its comments.
    "usr/sbin/policy-rc.d": "#!/bin/sh\nexit 101\n",
    "etc/dpkg/dpkg.cfg.d/docker-apt-speedup": "force-unsafe-io\n",
    "etc/apt/apt.conf.d/docker-autoremove-suggests": 'Apt::AutoRemove::SuggestsImportant "false";\n',
    "etc/apt/apt.conf.d/docker-clean": (f"DPkg::Post-Invoke {{ {APT_CLEAN} }};\nAPT::Update::Post-Invoke {{ {APT_CLEAN} }};\n"
                                        'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n'),
    "etc/apt/apt.conf.d/docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
    "etc/apt/apt.conf.d/docker-no-languages": 'Acquire::Languages "none";\n',
}
# scripts/.tar-exclude: what the published image leaves out of the root.
TAR_EXCLUDES = ["var/cache/apt/*.bin", "var/cache/apt/archives/*.deb", "var/cache/apt/archives/lock",
                "var/lib/apt/lists/*Packages*", "var/lib/apt/lists/*Release*", "var/lib/apt/lists/lock",
                "etc/apt/apt.conf.d/01autoremove-kernels", "var/log/apt/history.log", "var/log/apt/term.log",
                "var/lib/systemd/catalog/database"]


def slimify(root: pathlib.Path):
    """debuerreotype-slimify: dpkg keeps excluding these paths, and the ones present go."""
    lines = ["# The \"slim\" variant of the Debian base image (as debuerreotype-slimify writes it)."]
    lines += [f"path-exclude {p}" for p in sorted(set(SLIM_EXCLUDES))]
    lines += [f"path-include {p}" for p in sorted(set(SLIM_INCLUDES))]
    (root / "etc/dpkg/dpkg.cfg.d/docker").write_text("\n".join(lines) + "\n")
    man_sections = [p for p in (root / "usr/share/man").glob("man[0-9]") if p.is_dir()]
    for pattern in sorted(set(SLIM_EXCLUDES)):
        top = root / os.path.dirname(pattern).lstrip("/").split("*")[0]
        if not top.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(top):
            for name in files:
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    continue  # links go below, once dangling
                inside = "/" + os.path.relpath(path, root)
                if fnmatch.fnmatchcase(inside, pattern) and not any(fnmatch.fnmatchcase(inside, i) for i in SLIM_INCLUDES):
                    os.unlink(path)
        removed = True
        while removed:  # dangling links and empty folders, until there are none
            removed = False
            for dirpath, dirs, files in os.walk(top, topdown=False):
                for name in files + dirs:
                    path = os.path.join(dirpath, name)
                    if os.path.islink(path) and not os.path.exists(path):
                        os.unlink(path)
                        removed = True
                    elif os.path.isdir(path) and not os.path.islink(path) and not os.listdir(path):
                        os.rmdir(path)
                        removed = True
    for section in man_sections:  # debuerreotype issue 10: packages expect these to exist
        section.mkdir(parents=True, exist_ok=True)


def make_slim_base(root: pathlib.Path, suite: str, mirror: str, security_mirror: str, slim: bool, log):
    for relative, text in CONTAINER_CONFIG.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(0o755 if relative.endswith("policy-rc.d") else 0o644)
    # The image's sources (deb822, as debuerreotype writes them for APT >= 2.3).
    (root / "etc/apt/sources.list").unlink(missing_ok=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    (root / "etc/apt/sources.list.d/debian.sources").write_text(
        f"Types: deb\nURIs: {mirror}\nSuites: {suite} {suite}-updates\nComponents: main\nSigned-By: {keyring}\n\n"
        f"Types: deb\nURIs: {security_mirror}\nSuites: {suite}-security\nComponents: main\nSigned-By: {keyring}\n")
    apt_env = {"PATH": DOCKER_PATH, "DEBIAN_FRONTEND": "noninteractive"}
    base = ["chroot", str(root), "/usr/bin/env", "-i"] + [f"{k}={v}" for k, v in apt_env.items()]
    run(base + ["apt-get", "update", "-qq"], log=log)
    run(base + ["apt-get", "full-upgrade", "-yqq"], log=log)
    if slim:
        slimify(root)
    for pattern in TAR_EXCLUDES:
        for path in root.glob(pattern):
            if path.is_file() or path.is_symlink():
                path.unlink()


# --- Snapshot of the root ---------------------------------------------------------------------

def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def snapshot(root: pathlib.Path, skip):
    """path -> (type and mode, uid, gid, size, mtime, link target or SHA-256), for every entry
    of the root except the folders in `skip` (relative paths) and everything under them."""
    skip = {root / s for s in skip}
    entries = {}
    for dirpath, dirs, files in os.walk(root):
        here = pathlib.Path(dirpath)
        dirs[:] = [d for d in dirs if here / d not in skip]
        for name in dirs + files:
            path = here / name
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode):
                content = sha256(path)
            elif stat.S_ISLNK(st.st_mode):
                content = "-> " + os.readlink(path)
            else:
                content = ""
            entries["/" + str(path.relative_to(root))] = (stat.filemode(st.st_mode), st.st_uid, st.st_gid,
                                                          st.st_size if not stat.S_ISDIR(st.st_mode) else 0,
                                                          st.st_mtime_ns, content)
    return entries


def differences(before, after):
    lines = []
    for path in sorted(set(before) | set(after)):
        if path not in before:
            lines.append(f"added    {path} {after[path][:4]}")
        elif path not in after:
            lines.append(f"removed  {path}")
        elif before[path] != after[path]:
            names = ("mode", "uid", "gid", "size", "mtime", "content")
            changed = [n for n, a, b in zip(names, before[path], after[path]) if a != b]
            lines.append(f"changed  {path} ({', '.join(changed)})")
    return lines


# --- The container ----------------------------------------------------------------------------

class Container:
    def __init__(self, image: Image, env, log_path: pathlib.Path):
        self.image, self.env, self.log_path = image, env, log_path
        self.process = None

    def start(self, url, timeout=30):
        argv = self.image.entrypoint + self.image.cmd
        cmd = self.image.command(argv, self.env)
        say(f"  $ {shlex.join(cmd)}")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failed(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                answer = requests.get(url + "/healthz", timeout=1)
                return answer
            except requests.RequestException:
                time.sleep(0.1)
        raise Failed(f"no answer on {url}/healthz within {timeout} s:\n{self.log_tail()}")

    def stop(self, timeout=15):
        """SIGTERM and wait; SIGKILL after `timeout`. Returns the exit status (None: not running)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                kill_group(self.process, grace=0)
        return self.process.returncode

    def log_tail(self, lines=20):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def process_ids(pid):
    """(uids, gids, groups) of a running process, from /proc/PID/status."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    return fields.get("Uid", []), fields.get("Gid", []), fields.get("Groups", [])


# --- Main -------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, type=pathlib.Path, help="the release binary (static Swift runtime)")
    parser.add_argument("--dockerfile", type=pathlib.Path, default=REPO / "Dockerfile")
    parser.add_argument("--mirror", default="http://deb.debian.org/debian")
    parser.add_argument("--security-mirror", default="http://deb.debian.org/debian-security")
    parser.add_argument("--target-mb", type=float, default=120,
                        help="size target of the root in MB (10^6 bytes; default 120, issue 11): printed as met or not")
    parser.add_argument("--max-mb", type=float, default=230,
                        help="size above which the check fails (default 230: the binary with its debug information "
                             "back in would be 277; see the Size step's note)")
    parser.add_argument("--time-limit", type=int, default=1200, help="seconds for the whole check (default 1200)")
    parser.add_argument("--workdir", type=pathlib.Path, help="where the temporary folder goes (default: the system's)")
    parser.add_argument("--keep", action="store_true", help="keep the root, the volume and the logs")
    parser.add_argument("--self-test-stray-write", action="store_true",
                        help="write /tmp/stray as the image's user while the server runs: the no-writes check must fail")
    args = parser.parse_args()

    started = time.monotonic()
    timings = {}
    results = []  # (check, passed, detail)

    def check(name, passed, detail=""):
        results.append((name, bool(passed), detail))
        say(f"  [{'PASS' if passed else 'FAIL'}] {name}{': ' + detail if detail else ''}")
        return passed

    if os.geteuid() != 0:
        print("image_check.py needs root (debootstrap, chroot, mount)", file=sys.stderr)
        return 2
    binary = args.bin.resolve()
    if not binary.is_file():
        print(f"no binary at {binary}", file=sys.stderr)
        return 2
    for tool in ("debootstrap", "chroot", "mount", "umount", "du"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing (apt-get install debootstrap)", file=sys.stderr)
            return 2

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.time_limit)

    work = pathlib.Path(tempfile.mkdtemp(prefix="stracker-image-", dir=args.workdir))
    root, volume, log = work / "root", work / "volume", work / "build.log"
    container = None
    error = None
    try:
        step(f"Dockerfile: the runtime stage of {args.dockerfile}")
        base, steps, earlier = runtime_stage(args.dockerfile)
        match = re.fullmatch(r"(?:docker\.io/)?(?:library/)?debian:([a-z]+)(-slim)?", base)
        if not match:
            raise Failed(f"FROM {base}: image_check.py builds debian:<suite>[-slim] bases only")
        suite, slim = match.group(1), bool(match.group(2))
        problem = unsupported(steps, earlier)
        if problem:
            raise Failed(f"Dockerfile: {problem}")
        say(f"  FROM {base}: debootstrap --variant=minbase {suite}{', slimmed as the -slim image is' if slim else ''}")
        say(f"  work folder {work}")

        step(f"Base image: debootstrap --variant=minbase {suite} (log: {log})")
        t = time.monotonic()
        run(["debootstrap", "--variant=minbase", suite, root, args.mirror], log=log)
        timings["debootstrap"] = time.monotonic() - t
        say(f"  done in {timings['debootstrap']:.0f} s")
        for entry in (root / "dev").iterdir():  # the image's /dev is empty; Docker mounts one
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        mount_container_filesystems(root)

        step(f"Base image: as debian:{suite}{'-slim' if slim else ''} is made (container settings, updates{', slim' if slim else ''}, no APT lists)")
        t = time.monotonic()
        make_slim_base(root, suite, args.mirror, args.security_mirror, slim, log)
        timings["base image"] = time.monotonic() - t
        base_bytes = int(run(["du", "-sx", "-B1", root]).stdout.split()[0])
        say(f"  done in {timings['base image']:.0f} s; base root {base_bytes / 1e6:.1f} MB")

        step("Runtime stage: the Dockerfile's instructions")
        t = time.monotonic()
        image = Image(root)
        carry_out_runtime_stage(image, steps, earlier, binary, log)
        timings["runtime stage"] = time.monotonic() - t
        say(f"  done in {timings['runtime stage']:.0f} s")
        if not image.entrypoint and not image.cmd:
            raise Failed("the Dockerfile has no ENTRYPOINT or CMD")
        if image.healthcheck is None:
            raise Failed("the Dockerfile has no HEALTHCHECK CMD")
        uid, gid = image.uid_gid()

        step("Size")
        size = int(run(["du", "-sx", "-B1", root]).stdout.split()[0])
        apparent = int(run(["du", "-sx", "-B1", "--apparent-size", root]).stdout.split()[0])
        tops = [root / p for p in ("usr", "var", "etc", "app") if (root / p).exists()]
        parts = run(["du", "-sx", "-B1", *tops]).stdout.split()
        breakdown = ", ".join(f"/{pathlib.Path(p).name} {int(n) / 1e6:.1f}" for n, p in zip(parts[::2], parts[1::2]))
        say(f"  du -sx {root}: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB; the files' own sizes: "
            f"{apparent / 1e6:.1f} MB, about what `docker images` would show); {breakdown} MB; "
            f"/app/stracker {binary.stat().st_size / 1e6:.1f} MB of it; base image {base_bytes / 1e6:.1f} MB")
        size_ok = size <= args.max_mb * 1e6
        size_detail = f"{size / 1e6:.1f} MB {'<=' if size_ok else '>'} {args.max_mb:g} MB"
        # The target is not met and the check says so rather than fail CI on it: the base alone
        # is ~86 MB, which leaves the binary ~34 MB, and Foundation's ICU data is 34 MB of its
        # 91 MB of sections (GRDB and others import all of Foundation, not FoundationEssentials).
        met = size <= args.target_mb * 1e6
        say(f"  target (issue 11): <= {args.target_mb:g} MB: {'met' if met else 'NOT met'} "
            f"({size / 1e6:.1f} MB, {size / (args.target_mb * 1e6):.2f}x the target)")

        step("Container: volume and environment")
        if image.volumes != ["/data"]:
            raise Failed(f"VOLUME {image.volumes}: image_check.py expects the one volume /data")
        data = root / "data"
        volume.mkdir()
        st = os.stat(data)
        os.chown(volume, st.st_uid, st.st_gid)  # a new named volume takes the image folder's owner and mode
        os.chmod(volume, stat.S_IMODE(st.st_mode))
        mount("--bind", volume, data)
        port = stracker_harness.free_port()
        env = image.container_env({"PORT": str(port)})
        url = f"http://127.0.0.1:{port}"
        say(f"  USER {image.userspec()}, WORKDIR {image.workdir}, VOLUME /data = {volume}")
        say(f"  environment: {' '.join(f'{k}={v}' for k, v in env.items())} (PORT: the Dockerfile's "
            f"{dict(image.env).get('PORT', '-')} mapped to a free port)")
        skip = ["data", "proc", "sys", "dev"]
        before = snapshot(root, skip)
        say(f"  snapshot: {len(before)} paths outside /data, /proc, /sys, /dev")

        step("Run: start, /healthz, HEALTHCHECK, the process's user")
        t = time.monotonic()
        container = Container(image, env, work / "server.log")
        answer = container.start(url)
        check("GET /healthz answers 200 {\"status\":\"ok\"}",
              answer.status_code == 200 and answer.json() == {"status": "ok"}, f"{answer.status_code} {answer.text[:80]}")
        health = run(image.command(image.healthcheck, env), check=False, timeout=30)
        check(f"HEALTHCHECK {shlex.join(image.healthcheck)} exits 0", health.returncode == 0,
              f"exit {health.returncode}" + (f": {health.stdout.strip()[:300]}" if health.stdout.strip() else ""))
        uids, gids, groups = process_ids(container.process.pid)
        check(f"the server runs as {uid}:{gid}", set(uids) == {str(uid)} and set(gids) == {str(gid)},
              f"Uid {' '.join(uids)}, Gid {' '.join(gids)}, Groups {' '.join(groups) or '-'}")

        step("Data: sign up, a funnel and a spending through the API, SIGTERM, start again")
        username = "image-check"
        _secret, tokens = stracker_harness.register_user(url, username)
        headers = {"Authorization": f"Bearer {tokens['access']}"}
        funnel = requests.post(url + "/funnel/", json={"name": "Groceries", "limit": 400, "color": "teal", "emoji": "🛒"},
                               headers=headers, timeout=10)
        if funnel.status_code not in (200, 201):
            raise Failed(f"POST /funnel/: {funnel.status_code} {funnel.text[:200]}")
        created = requests.post(url + "/spending/", json={"amount": 12.34, "funnel_id": funnel.json()}, headers=headers,
                                timeout=10)
        if created.status_code not in (200, 201):
            raise Failed(f"POST /spending/: {created.status_code} {created.text[:200]}")
        spending_id = created.json()
        window = {"timestamp_from": -1, "timestamp_to": 253402300800000}
        listed = requests.get(url + "/spending/", params=window, headers=headers, timeout=10).json()
        say(f"  signed up {username!r}, funnel {funnel.json()}, spending {spending_id}; listed: {len(listed)}")
        if args.self_test_stray_write:
            say("  self-test: writing /tmp/stray as the image's user (the no-writes check must fail)")
            run(image.command(["/bin/sh", "-c", "echo stray > /tmp/stray"], env))
        status = container.stop()
        check("SIGTERM: the server exits with 0", status == 0, f"exit {status}")
        answer = container.start(url)
        check("after the restart GET /healthz answers 200", answer.status_code == 200, str(answer.status_code))
        again = requests.get(url + "/spending/", params=window, headers=headers, timeout=10)
        ids = [s.get("id") for s in again.json()] if again.status_code == 200 else []
        check("after the restart the spending is listed (same token: the keys in /data survived too)",
              again.status_code == 200 and spending_id in ids and len(ids) == len(listed),
              f"{again.status_code}, {len(ids)} spending(s)")
        status = container.stop()
        check("SIGTERM again: exit 0", status == 0, f"exit {status}")
        health = run(image.command(image.healthcheck, env), check=False, timeout=30)
        check("HEALTHCHECK with the server stopped exits non-zero", health.returncode != 0, f"exit {health.returncode}")
        timings["run and checks"] = time.monotonic() - t

        step("Files: nothing written outside /data")
        after = snapshot(root, skip)
        changed = differences(before, after)
        check("no path outside /data added, removed or changed", not changed,
              f"{len(changed)} difference(s)" + "".join(f"\n      {line}" for line in changed[:30]))
        written = [p for p in volume.rglob("*")]
        foreign = [str(p.relative_to(volume)) for p in written if (p.lstat().st_uid, p.lstat().st_gid) != (uid, gid)]
        check(f"every file in /data belongs to {uid}:{gid}", written and not foreign,
              f"{len(written)} files: {', '.join(sorted(str(p.relative_to(volume)) for p in written)[:8])}"
              + (f"; foreign: {foreign}" if foreign else ""))

        step("Size ceiling")
        check(f"root size <= {args.max_mb:g} MB (a regression guard; the target {args.target_mb:g} MB is printed above)",
              size_ok, size_detail)
    except Failed as e:
        error = str(e)
    except Abort as e:
        error = str(e)
    except Exception as e:  # noqa: BLE001 - reported, then cleaned up like the others
        error = f"{type(e).__name__}: {e}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        failed = [name for name, passed, _ in results if not passed]
        if (error or failed) and container is not None:
            say(f"\n--- Server log (tail)\n{container.log_tail()}")
        step("Clean-up")
        if container is not None and container.process is not None and container.process.poll() is None:
            say(f"  stopping the server: exit {container.stop()}")
        stuck = unmount_all(root) if root.exists() else []
        if stuck:
            say(f"  STILL MOUNTED (kept {work}): {', '.join(stuck)}")
            error = error or f"could not unmount {', '.join(stuck)}"
        elif args.keep:
            say(f"  kept {work} (root, volume, build.log, server.log); nothing is mounted in it")
        else:
            shutil.rmtree(work, ignore_errors=True)
            say(f"  removed {work}")

    total = time.monotonic() - started
    step("Summary")
    for name, seconds in timings.items():
        say(f"  {name}: {seconds:.1f} s")
    say(f"  total: {total:.1f} s")
    if error:
        say(f"  ERROR: {error}")
    say(f"  {len(results) - len(failed)} of {len(results)} checks passed" + (f"; failed: {'; '.join(failed)}" if failed else ""))
    return 1 if error or failed else 0


if __name__ == "__main__":
    sys.exit(main())
