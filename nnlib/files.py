"""Result files, written safely: every path checked before any work, every file written whole.

    check_output_path("runs.csv", (".csv", ".json"))     # before training: a clear ValueError
    write_atomically("runs.csv", lambda f: f.write(text))

A file is first written to a temporary file in the same folder, then renamed
over the target. A rename within one folder is atomic, so whatever happens
on the way (a full disk, a file-size limit, Ctrl-C, SIGTERM), the target is
either the complete new file or the previous one, untouched, and no
temporary file is left behind.
"""
import os
import stat


def check_output_path(path, extensions, name="path"):
    """Return path if a result file can be written there; otherwise raise ValueError.

    It must end in one of extensions, be a regular file or not exist yet (not
    a folder, a FIFO or a device, which could block or never hold a file),
    and its folder must exist and be writable. Nothing is created.
    """
    if not isinstance(path, str) or not path:
        raise ValueError(f"{name} must be a file path; got {path!r}")
    extension = os.path.splitext(path)[1].lower()
    if extension not in extensions:
        accepted = " or ".join([", ".join(extensions[:-1]), extensions[-1]] if len(extensions) > 1
                               else extensions)
        raise ValueError(f"{name} must end in {accepted}; got {path!r}")
    try:
        mode = os.stat(path).st_mode          # follows a symbolic link to its target
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise ValueError(f"cannot write {path!r}: {error.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise ValueError(f"{path!r} is a folder, not a file")
    if mode is not None and not stat.S_ISREG(mode):
        raise ValueError(f"{path!r} is not a regular file ({file_kind(mode)}); "
                         f"give the path of a file to write")
    folder = os.path.dirname(os.path.realpath(path))
    if not os.path.isdir(folder):
        raise ValueError(f"cannot write {path!r}: folder {folder!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"cannot write {path!r}: no permission to write in {folder!r}")
    if mode is not None and not os.access(path, os.W_OK):
        raise ValueError(f"cannot write {path!r}: the file is read-only")
    return path


def file_kind(mode):
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a regular file"


def write_atomically(path, write, binary=False):
    """Call write(f) on a temporary file next to path, then rename it to path.

    On any error or interrupt the temporary file is removed and the error
    raised again: the previous file at path, if any, is left as it was. A
    symbolic link at path keeps pointing where it did: its target is replaced.
    """
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    mode = file_mode(target)
    # The name is chosen before the file exists, so that a signal arriving just
    # after it is created (tempfile.mkstemp would not have returned the name yet)
    # still finds it to remove.
    temporary = unused_name(folder, f".{name}.", ".part")
    try:
        with open(temporary, "xb" if binary else "x",
                  **({} if binary else {"newline": "", "encoding": "utf-8"})) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())              # on disk before it replaces the old file
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:
        if not (isinstance(error, FileExistsError) and error.filename == temporary):
            try:                              # (a file that already had the name is not ours)
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        raise


def unused_name(folder, prefix, suffix):
    """A path in folder that no file has yet: prefix, 8 random hex digits, suffix."""
    while True:
        path = os.path.join(folder, f"{prefix}{os.urandom(4).hex()}{suffix}")
        if not os.path.lexists(path):
            return path


def file_mode(target):
    """The permissions a new file gets: those of the file it replaces, or 0666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
