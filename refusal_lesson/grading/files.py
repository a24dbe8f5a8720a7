"""Files where a submission may have been: never through a symlink, never by recursion.

A submission can leave a symlink where the grader expects a folder, a tree
ten thousand folders deep, or a folder it made itself.  The grader writes
only into folders it opened without following a symlink and can prove it
owns, replaces files atomically, and walks trees with a loop and one open
folder at a time, so depth costs neither recursion nor file descriptors.
"""

import errno
import os
import stat
from collections import deque
from pathlib import Path

FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafeFolder(OSError):
    """A folder the grader was to write into is a symlink, or not one it owns."""


def open_folder(name, dir_fd=None):
    """A descriptor for the folder ``name``, refused (:class:`UnsafeFolder`) if it is a symlink.

    Examples
    --------
    >>> fd = open_folder("/")
    >>> os.close(fd)
    """
    try:
        return os.open(name, FOLDER_FLAGS, dir_fd=dir_fd)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafeFolder(f"{name} is not a folder (a symbolic link?); nothing was written through it.") from None
        raise


def make_folder(name, dir_fd, mode=0o700):
    """Create (if missing) and open the folder ``name`` inside ``dir_fd``.

    Refused (:class:`UnsafeFolder`) if it is a symlink, or a folder this
    process could not have made: owned by another user, or writable by others.
    """
    try:
        os.mkdir(name, mode, dir_fd=dir_fd)
    except FileExistsError:
        pass
    fd = open_folder(name, dir_fd)
    info = os.fstat(fd)
    if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        os.close(fd)
        raise UnsafeFolder(f"{name} belongs to another user or others can write to it; nothing was written there.")
    return fd


def write_atomic(dir_fd, name, data, mode=0o600):
    """Replace ``name`` in the folder ``dir_fd`` by ``data`` in one step.

    The bytes go to a new file (``O_EXCL``, so never through a planted
    symlink) that is then renamed over ``name``: a reader sees the old file
    or the new one, never half of one, and a symlink at ``name`` is replaced,
    not followed.
    """
    temporary = f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dir_fd)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        try:
            os.unlink(temporary, dir_fd=dir_fd)
        except OSError:
            pass
        raise


def write_file(path, data, mode=0o644):
    """Replace the file at ``path`` by ``data`` in one step, making its folder if missing.

    As :func:`write_atomic`, with the folder opened by path; a folder of
    the path that is a symlink is refused (:class:`UnsafeFolder`).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out" / "a.txt"
    >>> write_file(target, b"hi")
    >>> target.read_bytes()
    b'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = open_folder(os.path.abspath(path.parent))
    try:
        write_atomic(folder, path.name, data, mode)
    finally:
        os.close(folder)


def read_capped(name, dir_fd, cap):
    """The first ``cap + 1`` bytes of the regular file ``name``, or None (a symlink, a folder, missing)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return stream.read(cap + 1)


def remove_tree(path):
    """Remove ``path`` and everything under it, however deep, without following symlinks.

    ``shutil.rmtree`` recurses once per level (a RecursionError at a few
    thousand) and holds a descriptor per level; this walks down and back up
    through ``..`` with one folder open at a time.  A missing ``path`` is fine.

    Examples
    --------
    >>> import tempfile
    >>> top = Path(tempfile.mkdtemp())
    >>> (top / "a" / "b").mkdir(parents=True)
    >>> remove_tree(top); top.exists()
    False
    """
    path = Path(path)
    try:
        fd = os.open(path, FOLDER_FLAGS)
    except FileNotFoundError:
        return
    except OSError:
        path.unlink(missing_ok=True)
        return
    below = []  # the names walked down from path, and each parent's identity
    try:
        while True:
            child = None
            with os.scandir(fd) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        child = entry.name
                        break
                    os.unlink(entry.name, dir_fd=fd)
            if child is not None:
                identity = os.fstat(fd)
                inner = os.open(child, FOLDER_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = inner
                below.append((child, identity.st_dev, identity.st_ino))
                continue
            if not below:
                break
            name, device, inode = below.pop()
            parent = os.open("..", FOLDER_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            identity = os.fstat(fd)
            if (identity.st_dev, identity.st_ino) != (device, inode):
                raise OSError(f"{path} changed while it was being removed")
            os.rmdir(name, dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(path)


def find_files(folder, matches, max_depth=8):
    """Every regular file whose name ``matches`` (a predicate) within ``max_depth`` levels of ``folder``.

    Breadth-first, shallowest first, and without following symlinks, so a
    deep or looping tree in a hand-in costs nothing and crashes nothing.

    Examples
    --------
    >>> found = find_files(Path(__file__).parent, lambda name: name.startswith("files."))
    >>> [path.name for path in found]
    ['files.py']
    """
    found, queue = [], deque([(Path(folder), 0)])
    while queue:
        current, depth = queue.popleft()
        try:
            with os.scandir(current) as entries:
                for entry in sorted(entries, key=lambda entry: entry.name):
                    if entry.is_file(follow_symlinks=False) and matches(entry.name):
                        found.append(Path(entry.path))
                    elif entry.is_dir(follow_symlinks=False) and depth < max_depth:
                        queue.append((Path(entry.path), depth + 1))
        except OSError:
            continue
    return found
