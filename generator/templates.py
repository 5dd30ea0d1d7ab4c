"""The Jinja environment of a theme chain, and template errors as diagnostics."""
from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

from generator.cache import environment_key, module_closure_version, read_blob, write_blob
from generator.diagnostics import Diagnostic, ERROR
from generator.themes import Theme
from generator.vietnamese import format_money, format_number


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory across the builds of one process (`serve`), and in the
    site's cache across command-line builds (load_compiled, save_compiled): Jinja reuses one only
    while its source is unchanged (it compares a checksum), so an edit is never missed."""

    def __init__(self):
        self.store: dict[str, bytes] = {}
        self.changed = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
        self.changed = True


COMPILED = CompiledTemplates()
_PARSED_OK: set[tuple[str, str]] = set()     # (file, sha256 of its source) that parsed: compile_all skips them
COMPILED_BLOB = "templates.pickle"
_LOADED: set[Path] = set()


def _compiled_env() -> str:
    # Jinja keys compiled code by template name and source only: the environment's options are
    # this module's code, and the code's format is Jinja's and Python's (in the key, see cache).
    return environment_key("compiled templates", code=module_closure_version(__name__))


def load_compiled(folder: Path) -> None:
    """Take the compiled templates and parsed-file marks a command-line build left in `folder`
    (~0.1 s of parsing and compiling at the start of every build); once per process."""
    if folder in _LOADED:
        return
    _LOADED.add(folder)
    found = read_blob(folder / COMPILED_BLOB, _compiled_env())
    if isinstance(found, tuple) and len(found) == 2:
        bytecode, parsed = found
        COMPILED.store.update({k: v for k, v in bytecode.items() if k not in COMPILED.store})
        _PARSED_OK.update(parsed)


def save_compiled(folder: Path) -> None:
    """Keep what this process compiled for the next build (only if it compiled anything)."""
    if COMPILED.changed:
        write_blob(folder / COMPILED_BLOB, _compiled_env(), (dict(COMPILED.store), set(_PARSED_OK)))
        COMPILED.changed = False


def make_environment(theme: Theme, language: str = "vi") -> jinja2.Environment:
    """The Jinja environment of a theme chain; its number filters write `language`'s separators."""
    env = jinja2.Environment(
        # A template name is looked up child first; "congdoan/base.html" names one theme's own
        # file, so a child may extend or include the very template it overrides.
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(theme.template_dirs),
            jinja2.PrefixLoader({name: jinja2.FileSystemLoader(folder)
                                 for name, folder in theme.named_template_dirs.items()}),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,     # one environment per build: no stat() of the file at every include
        bytecode_cache=COMPILED,
    )
    env.filters["number"] = lambda value, decimals=None: format_number(value, decimals, language)
    env.filters["money"] = lambda value: format_money(value, language)
    return env


def warm_compiled(env: jinja2.Environment) -> None:
    """Compile every template into COMPILED now. `serve`'s first build renders its pages in worker
    processes, whose compiled templates go with them: without this, the first edit would compile
    every template its page uses before the tab can reload."""
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, OSError):   # reported by compile_all or the build; only the warming is lost
            pass


def compile_all(env: jinja2.Environment, theme: Theme, site_dir: Path) -> list[Diagnostic]:
    """Compile every template of the chain, used or not, and report syntax errors by file and line."""
    problems = []
    for folder in theme.folders:
        base = folder / "templates"
        if not base.is_dir():
            continue
        for file in sorted(base.rglob("*.html")):
            try:
                source = file.read_text(encoding="utf-8")
                known = (str(file), hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest())
                if known not in _PARSED_OK:
                    env.parse(source, name=file.name, filename=str(file))
                    _PARSED_OK.add(known)
                    COMPILED.changed = True
            except jinja2.TemplateSyntaxError as exc:
                problems.append(Diagnostic(_display(file, site_dir), exc.lineno, ERROR,
                                           f"template syntax error: {exc.message}"))
            except UnicodeDecodeError:
                problems.append(Diagnostic(_display(file, site_dir), None, ERROR, "template is not UTF-8 text"))
    return problems


def render_error(exc: Exception, template: str, url: str, site_dir: Path) -> Diagnostic:
    """A render-time failure (an undefined variable, a missing include) as a diagnostic."""
    filename, line = template, None
    tb = exc.__traceback__
    while tb is not None:   # the innermost template frame names the file and line
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".html"):
            filename, line = code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        filename, line = exc.filename, exc.lineno
    shown = _display(Path(filename), site_dir) if "/" in filename else filename
    return Diagnostic(shown, line, ERROR, f"cannot render {url}: {exc}")


def _display(path: Path, site_dir: Path) -> str:
    try:
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)
