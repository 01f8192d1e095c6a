"""One bubblewrap sandbox per submission: read-only system, no network, own PID namespace, limits, hard kill.

Inside, the filesystem is a fresh tmpfs root with read-only binds of what Python needs (/usr, the base
interpreter, the virtual environment or site-packages), a read-only grading copy of ``course_rnn`` at /pkg
and the runner at /grader; once mounted, the root (/, hence /root, /work, /grader) and /dev (hence
/dev/shm) are remounted read-only. Exactly two places are writable: /tmp, a tmpfs of TMP_BYTES, and
/submission, the submission's private directory, which the harness makes a tmpfs of SUBMISSION_BYTES
(``private_tmpfs``) where the grader may mount (root); elsewhere it is a plain directory on the host's
disk, bounded per file by RLIMIT_FSIZE only. tmpfs pages are not charged to RLIMIT_AS, hence the sizes.
Not bound: the repository, its src/, _build, the masters, the other submissions.
The process runs as uid/gid 65534 with a cleared environment, in its own session, and dies with the parent.
Address space, CPU time, file size and open files are limited by rlimits set before bwrap starts; the
number of processes by a pids cgroup where one can be created (RLIMIT_NPROC does not bind here: the
sandbox's user is mapped to root outside, which the kernel exempts). After the deadline the whole process
group is killed; the PID namespace takes every process of the submission with it.
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

LIMITS = {"memory_bytes": 4 << 30, "cpu_seconds": 300, "file_bytes": 64 << 20, "open_files": 256, "processes": 64}
CGROUP_PIDS = Path("/sys/fs/cgroup/pids")
TMP_BYTES = 256 << 20  # the sandbox's /tmp
SUBMISSION_BYTES = 128 << 20  # /submission: the case inputs, the answers, whatever the learner's code writes
SUBMISSION_FILES = 16384  # and its number of files (inodes)


def available():
    """The path of bwrap, or None."""
    return shutil.which("bwrap")


def python_binds():
    """Read-only paths the interpreter needs: prefixes and site-packages, outermost only, /usr excluded."""
    paths = {Path(sys.base_prefix), Path(sys.prefix), Path(sysconfig.get_paths()["purelib"]),
             Path(sysconfig.get_paths()["platlib"])}
    paths = sorted(p.resolve() for p in paths if p.exists())
    outer = [p for p in paths if not any(q != p and q in p.parents for q in paths)]
    return [p for p in outer if Path("/usr") not in [p, *p.parents]]


def command(private, package, runner, limits=LIMITS):
    """The bwrap argv that runs ``runner`` on the directory ``private`` with ``package`` on PYTHONPATH."""
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--uid", "65534", "--gid", "65534",
            "--clearenv", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
            "--size", str(TMP_BYTES), "--tmpfs", "/tmp"]
    for name in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            argv += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            argv += ["--ro-bind", str(target), str(target)]
    for path in ("/etc/ld.so.cache", "/etc/alternatives", "/etc/localtime"):
        if os.path.exists(path):
            argv += ["--ro-bind", path, path]
    for path in python_binds():
        argv += ["--ro-bind", str(path), str(path)]
    argv += ["--ro-bind", str(package), "/pkg", "--ro-bind", str(runner), "/grader/runner.py",
             "--bind", str(private), "/submission", "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/submission"]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": "/pkg", "PYTHONNOUSERSITE": "1",
           "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp", "LANG": "C.UTF-8"}
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return argv + [sys.executable, "-s", "/grader/runner.py"]


@contextmanager
def private_tmpfs(path, size=SUBMISSION_BYTES, files=SUBMISSION_FILES):
    """Mount a tmpfs of ``size`` bytes and ``files`` inodes on the directory ``path`` (root only); yields whether it did.

    Unmounted on the way out whatever happens (lazily if something still holds it), so nothing is left mounted.
    """
    mounted = os.geteuid() == 0 and shutil.which("mount") and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},nr_inodes={files},mode=0700,nosuid,nodev", "tmpfs", str(path)],
        stdin=subprocess.DEVNULL, capture_output=True).returncode == 0
    try:
        yield bool(mounted)
    finally:
        if mounted and subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def check_works(workdir):
    """Run one trivial sandbox; raise SystemExit, with bwrap's own message, if it cannot run.

    Where bwrap is installed but cannot make namespaces (many containers), every submission would
    otherwise score 0 with a note blaming the notebook.
    """
    workdir = Path(workdir)
    (workdir / "private").mkdir(parents=True)
    (workdir / "pkg").mkdir()
    (workdir / "check.py").write_text("open('/submission/ok', 'w').write('ok')\n")
    try:
        with private_tmpfs(workdir / "private"):
            rc, timed_out, _ = run(command(workdir / "private", workdir / "pkg", workdir / "check.py"), workdir, 60)
            ok = (workdir / "private" / "ok").is_file() and not (workdir / "private" / "ok").is_symlink()
    except OSError as err:
        rc, timed_out, ok = repr(err), False, False
    if not ok:
        with open(workdir / "stderr.txt", "rb") as f:  # written by bwrap (the check runs no learner code)
            stderr = f.read(4096).decode(errors="replace")[-500:]
        raise SystemExit(f"THE SANDBOX DOES NOT WORK ON THIS MACHINE (bwrap exit {rc}, timed out: {timed_out}): "
                         f"{stderr.strip() or 'no message'}; nothing was graded. bwrap needs user namespaces "
                         "(run as root, or allow unprivileged user namespaces).")


def _limit(limits, cgroup):
    """The pre-exec hook: join the pids cgroup, set rlimits inherited by bwrap and all the submission starts."""
    def apply():
        if cgroup.path:
            (cgroup.path / "cgroup.procs").write_text(str(os.getpid()))
        for name, value in ((resource.RLIMIT_AS, limits["memory_bytes"]), (resource.RLIMIT_CPU, limits["cpu_seconds"]),
                            (resource.RLIMIT_FSIZE, limits["file_bytes"]), (resource.RLIMIT_NOFILE, limits["open_files"]),
                            (resource.RLIMIT_NPROC, limits["processes"]), (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(name, (value, value))
    return apply


class _PidsCgroup:
    """A pids cgroup (v1) that caps the number of processes, where this machine lets the grader make one."""

    def __init__(self, limit):
        self.path = CGROUP_PIDS / f"course-rnn-grade-{os.getpid()}-{uuid.uuid4().hex[:12]}"  # pid: whose
        try:
            self.path.mkdir()
            (self.path / "pids.max").write_text(str(limit))
        except OSError:
            self.path = None

    def kill_all(self):
        """Kill what is left in the cgroup and remove it (retried: dying processes hold it for a moment)."""
        if not self.path:
            return
        for _ in range(200):
            for pid in (self.path / "cgroup.procs").read_text().split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.02)


def run(argv, log_dir, deadline, pass_fds=(), limits=LIMITS):
    """Run ``argv`` to completion or ``deadline`` seconds; kill everything it started. Returns (rc, timed out)."""
    cgroup = _PidsCgroup(limits["processes"])
    with open(log_dir / "stdout.txt", "wb") as out, open(log_dir / "stderr.txt", "wb") as err:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, pass_fds=pass_fds,
                                   start_new_session=True, preexec_fn=_limit(limits, cgroup))
    timed_out = False
    try:
        process.wait(timeout=deadline)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        cgroup.kill_all()
        process.wait()
    return process.returncode, timed_out, cgroup.path is not None
