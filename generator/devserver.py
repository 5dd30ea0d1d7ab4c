"""`serve`: build, serve the output folder with livereload, rebuild when sources change."""
from __future__ import annotations

import sys
from pathlib import Path

from generator.pipeline import BuildOptions, build_site


def serve(site_dir: Path, options: BuildOptions, host: str, port: int) -> int:
    from livereload import Server

    site_dir = site_dir.resolve()
    output = (options.output or site_dir / "output").resolve()
    options = BuildOptions(**{**options.__dict__, "output": output})

    def rebuild() -> None:
        report = build_site(site_dir, options)
        for diagnostic in report.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print("rebuilt" if report.ok else "build failed; the last good output is still served", file=sys.stderr)

    rebuild()
    server = Server()
    for pattern in ("content/**/*", "themes/**/*", "site.yaml"):
        server.watch(str(site_dir / pattern), rebuild)
    server.serve(host=host, port=port, root=str(output), open_url_delay=None)
    return 0
