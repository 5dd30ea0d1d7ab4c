"""One line for a failure nobody foresaw, said the same way by `build` and by `serve`."""
from __future__ import annotations

from generator.os_failures import OS_PROBLEMS, FolderError, shown_path
from generator.sources import SourceChanged


def describe_crash(exc: Exception) -> str:
    """One line for an unexpected failure: the file being processed, what went wrong, what to do."""
    if isinstance(exc, SourceChanged):     # not a bug: someone saved the file during the build
        return (f"{exc.path}: error: the file changed while the build was reading it; nothing was published: "
                "build again")
    if isinstance(exc, FolderError):       # a full disk, a read-only output folder... (output.os_failure)
        return str(exc)
    if isinstance(exc, OSError) and exc.filename:
        return (f"{shown_path(exc.filename)}: error: {exc.strerror or exc}; check that the file or folder exists "
                "and is writable")
    if isinstance(exc, OSError) and exc.errno in OS_PROBLEMS:     # the system refused a write naming no file
        return (f"{getattr(exc, 'processing', None) or 'build'}: error: {exc.strerror}; not a mistake in your "
                "files nor a bug: free space on the disk (or check the folders' permissions), then run again")
    where = getattr(exc, "processing", None) or "build"
    return (f"{where}: error: internal error ({type(exc).__name__}: {exc}); this is a bug in the generator, "
            "not a mistake in your files: run again with --debug and send the output to the developers")
