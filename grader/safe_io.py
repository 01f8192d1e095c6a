"""Reading what the sandbox wrote without trusting it: no links, no devices, no unbounded reads, no zip bombs.

Every file the sandbox left is opened with ``O_NOFOLLOW | O_NONBLOCK`` relative to a directory opened the
same way (so neither the file nor the folder it sits in may be a symbolic link), must be a regular file
below a size cap, and is read up to that cap only. An ``.npz`` is then checked before any array is
decompressed: stored or deflate members only, no more members than the call expects, the members' declared
uncompressed sizes summed below a cap, and each member's ``.npy`` header (shape, dtype) consistent with its
size; the data is then read with ``allow_pickle=False``.
"""
import io
import math
import os
import stat
import zipfile

import numpy as np

OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


class Refused(ValueError):
    """A file or message the parent will not read, with the reason in the learner's language."""


def open_dir(path, dir_fd=None):
    """A file descriptor of the directory ``path``; refused if it is a link or anything but a directory."""
    try:
        return os.open(path, OPEN_FLAGS | os.O_DIRECTORY, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as err:
        raise Refused("not a plain directory") from err


def read_bytes(name, cap, dir_fd=None):
    """The bytes of the regular file ``name`` (at most ``cap``); Refused for links, FIFOs, devices, big files."""
    try:
        fd = os.open(name, OPEN_FLAGS, dir_fd=dir_fd)
    except FileNotFoundError:
        raise
    except OSError as err:  # ELOOP: a symbolic link; ENXIO, EACCES...: not something to read
        raise Refused("not a plain file") from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not a plain file")
        if info.st_size > cap:
            raise Refused("too large")
        chunks, left = [], cap + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > cap:
            raise Refused("too large")
        return data
    finally:
        os.close(fd)


def _header(raw):
    """(shape, dtype, offset of the data) of one ``.npy`` member's bytes."""
    f = io.BytesIO(raw)
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(f)
    else:
        raise Refused("answer malformed")
    return shape, dtype, f.tell()


def load_npz(data, max_bytes, max_members):
    """{name: array} of the ``.npz`` bytes ``data``; Refused before decompressing anything out of bounds."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise Refused("answer unreadable (not an npz file)") from err
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise Refused("answer holds too many arrays")
        if any(i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for i in infos):
            raise Refused("answer compressed in a way the grader does not read")
        if sum(i.file_size for i in infos) > max_bytes:
            raise Refused("answer too large")
        arrays = {}
        for info in infos:
            try:
                with archive.open(info) as member:
                    raw = member.read(info.file_size + 1)  # zipfile stops at the declared size
            except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
                raise Refused("answer unreadable (corrupt member)") from err
            if len(raw) > info.file_size:
                raise Refused("answer too large")
            arrays[info.filename.removesuffix(".npy")] = _array(raw)
        return arrays


def _array(raw):
    """One member's array, its header checked against its size before the data is read."""
    try:
        shape, dtype, offset = _header(raw)
    except Refused:
        raise
    except Exception as err:  # noqa: BLE001 - numpy raises ValueError, SyntaxError... on a forged header
        raise Refused("answer malformed") from err
    if dtype.hasobject or dtype.kind not in "biufUS" or len(shape) > 8:
        raise Refused("answer unreadable (it holds something other than numbers and strings)")
    if math.prod(shape) * dtype.itemsize != len(raw) - offset:
        raise Refused("answer malformed")
    try:
        return np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
    except Exception as err:  # noqa: BLE001
        raise Refused("answer malformed") from err
