"""Theme lookup and inheritance: a site's own child theme, template/string/static overrides, errors."""
import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build
from generator.themes import BUNDLED_THEMES, load_theme


def soup(output: Path, rel: str = "index.html") -> BeautifulSoup:
    return BeautifulSoup((output / rel).read_text("utf-8"), "html.parser")


def write_theme(site: Path, name: str, yaml: str, templates: dict | None = None) -> None:
    folder = site / "themes" / name
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    (folder / "theme.yaml").write_text(yaml, "utf-8")
    for file, text in (templates or {}).items():
        (folder / "templates" / file).write_text(text, "utf-8")


@pytest.fixture(scope="module")
def child_output(tmp_path_factory):
    """tests/sites/themes built with its own child theme `rieng` (themes/rieng/ next to content/)."""
    import shutil
    from conftest import SITES

    site = tmp_path_factory.mktemp("child") / "site"
    shutil.copytree(SITES / "themes", site)
    out = site.parent / "out"
    report = build(site, out, theme="rieng")
    assert report.ok, [d.format() for d in report.diagnostics]
    return out


def test_child_theme_overrides_one_template_and_keeps_the_rest(child_output):
    page = soup(child_output)
    footer = page.select_one("footer.site-footer--rieng")
    assert footer is not None, "the child's _footer.html is used"
    assert "chân trang riêng" in footer.select_one(".rieng-credit").get_text()
    # it wraps the parent's footer, reached by name ("congdoan/_footer.html")
    assert footer.select_one("footer.site-footer .footer-org") is not None
    # templates the child does not have come from congdoan
    assert page.select_one("header.site-header nav.main-nav") is not None
    assert page.select_one("aside.sidebar") is not None


def test_child_theme_overrides_one_string_and_inherits_the_others(child_output):
    page = soup(child_output)
    assert page.select_one(".home-latest .box-title").get_text(strip=True) == "Tin nóng hổi"
    assert page.select_one(".skip-link").get_text(strip=True) == "Bỏ qua, đến nội dung chính"


def test_child_static_file_replaces_the_parents_and_adds_its_own(child_output):
    print_css = (child_output / "static/css/print.css").read_text("utf-8")
    assert print_css.startswith("/* rieng: replaces congdoan's print stylesheet. */")
    assert (child_output / "static/css/style.css").is_file()            # inherited
    sheets = [link["href"] for link in soup(child_output).select('link[rel="stylesheet"]')]
    assert sheets.index("/static/css/style.css") < sheets.index("/static/css/rieng.css")
    assert (child_output / "static/css/rieng.css").is_file()


def test_site_theme_is_found_before_bundled_ones(tmp_path):
    write_theme(tmp_path, "congdoan", "parent: congdoan\nstrings:\n  vi:\n    home: Nhà\n")
    theme = load_theme("congdoan", tmp_path, "vi")
    assert theme.folders == (tmp_path / "themes" / "congdoan", BUNDLED_THEMES / "congdoan")
    assert theme.strings["home"] == "Nhà"               # the site's own copy first
    assert theme.strings["latest"] == "Tin mới"          # then the bundled parent of the same name


def test_bundled_tinh_is_a_child_of_congdoan(tmp_path):
    theme = load_theme("tinh", tmp_path, "en")
    assert theme.names == ("tinh", "congdoan")
    assert theme.strings["member_links"] == "Member unions"
    assert theme.stylesheets == ("css/tinh.css",)
    templates = sorted(p.name for p in (BUNDLED_THEMES / "tinh" / "templates").iterdir())
    assert templates == ["_sidebar.html", "home.html"]    # it overrides only what differs


def errors_of(report) -> list[str]:
    return [d.format() for d in report.diagnostics if d.severity == "error"]


def test_a_cycle_of_parents_is_an_error(copy_site):
    site = copy_site("themes")
    write_theme(site, "a", "name: a\nparent: b\n")
    write_theme(site, "b", "name: b\n# b leans on a\nparent: a\n")
    report = build(site, site / "out", theme="a")
    assert errors_of(report) == [
        "themes/b/theme.yaml:3: error: theme parents form a cycle: a -> b -> a; remove 'parent:' from one of a, b"]
    assert not (site / "out").exists()


def test_a_theme_that_is_its_own_parent_is_a_cycle(copy_site):
    site = copy_site("themes")
    write_theme(site, "mot", "parent: mot\n")
    report = build(site, site / "out", theme="mot")
    assert errors_of(report) == [
        "themes/mot/theme.yaml:1: error: theme parents form a cycle: mot -> mot; remove 'parent:' from one of mot"]


def test_a_missing_parent_is_an_error_at_its_line(copy_site):
    site = copy_site("themes")
    write_theme(site, "mine", "name: mine\nparent: congdoann\n")
    report = build(site, site / "out", theme="mine")
    assert errors_of(report) == [
        "themes/mine/theme.yaml:2: error: parent theme 'congdoann' of 'mine' not found; did you mean 'congdoan'?"]


def test_a_missing_theme_in_site_yaml_is_an_error_at_its_line(copy_site):
    site = copy_site("themes")
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("theme: congdoan", "theme: tinhh"), "utf-8")
    report = build(site, site / "out")
    assert errors_of(report) == ["site.yaml:6: error: theme 'tinhh' not found; did you mean 'tinh'?"]


def test_a_parent_that_is_not_a_name_is_an_error(copy_site):
    site = copy_site("themes")
    write_theme(site, "mine", "name: mine\nparent: [congdoan]\n")
    report = build(site, site / "out", theme="mine")
    assert errors_of(report) == [
        "themes/mine/theme.yaml:2: error: 'parent' must be the name of another theme, e.g. congdoan"]


def test_a_syntax_error_in_a_child_template_names_its_file_and_line(copy_site):
    site = copy_site("themes")
    write_theme(site, "mine", "parent: congdoan\n", {"unused.html": "<p>\n{% if %}\n</p>\n"})
    report = build(site, site / "out", theme="mine")
    assert [d.format().split(":")[:3] for d in report.diagnostics if d.severity == "error"] == [
        ["themes/mine/templates/unused.html", "2", " error"]]


def test_links_in_a_theme_outside_the_site_may_not_leave_that_theme(tmp_path):
    """A bundled theme lies outside the site folder: its links may point only inside itself."""
    from generator.themes import Theme

    site, bundled = tmp_path / "site", tmp_path / "bundled" / "goc"
    (bundled / "static" / "css").mkdir(parents=True)
    site.mkdir()
    (bundled / "static" / "css" / "site.css").write_text("body{}\n")
    os.symlink(bundled / "static" / "css" / "site.css", bundled / "static" / "css" / "alias.css")
    os.symlink("/etc/passwd", bundled / "static" / "passwd")
    (tmp_path / "bundled" / "secret.txt").write_text("x")
    os.symlink(tmp_path / "bundled" / "secret.txt", bundled / "static" / "secret.txt")
    problems = Theme("goc", (bundled,), {}).outside_links(site)
    assert sorted(p.path for p in problems) == [str(bundled / "static" / "passwd"), str(bundled / "static" / "secret.txt")]
    assert all(p.severity == "error" and "outside the site folder" in p.message for p in problems)


def test_an_unknown_key_in_theme_yaml_is_named_with_its_file_and_line(copy_site, tmp_path):
    """`extends:` instead of `parent:` was taken silently: the theme then lacked every template,
    and the errors about missing templates never named the key."""
    site = copy_site("basic")
    write_theme(site, "rieng", "name: rieng\nextends: congdoan\nparnet: congdoan\n")
    report = build(site, tmp_path / "out", theme="rieng")
    found = {(d.path, d.line, d.severity, d.message, d.hint) for d in report.diagnostics if "theme.yaml" in d.path}
    assert ("themes/rieng/theme.yaml", 2, "warning", "unknown key 'extends' in theme.yaml",
            "the keys are name, description, parent, stylesheets, settings, strings") in found
    assert ("themes/rieng/theme.yaml", 3, "warning", "unknown key 'parnet' in theme.yaml",
            "did you mean 'parent'?") in found
