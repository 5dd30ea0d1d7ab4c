"""site.yaml `branding:`: validation with lines, WCAG contrast warnings, and what pages show."""
import pytest
from bs4 import BeautifulSoup

from conftest import build
from generator.branding import contrast, darken, passing_shade
from generator.config import parse_config

BASE = """title: Công đoàn Thử
base_url: https://thu.example.vn/
categories: {thoi-su: Thời sự}
"""


def parse(branding_yaml: str):
    config, diags = parse_config(BASE + branding_yaml)
    return config, [d.format() for d in diags.items]


def test_wcag_contrast_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)   # the classic AA grey
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)   # just fails
    assert darken("#b0121b", 0.5) == "#58090e"
    assert contrast(passing_shade("#f0b400"), "#ffffff") >= 4.5


def test_colours_are_normalised_and_become_css_variables():
    config, messages = parse('branding:\n  brand_colour: "#0B4A8F"\n  accent_color: "#a41"\n')
    assert messages == []
    assert config.branding.brand_colour == "#0b4a8f"
    assert config.branding.accent_colour == "#aa4411"
    assert config.branding.css_variables() == [("brand", "#0b4a8f"), ("brand-dark", "#093a70"),
                                               ("accent", "#aa4411")]


def test_a_colour_failing_aa_against_white_is_a_warning_with_the_ratio():
    _, messages = parse('branding:\n  logo: /media/logo.png\n  brand_colour: "#f0b400"\n')
    assert messages == [
        "site.yaml:6: warning: branding.brand_colour #f0b400 has a contrast of 1.87:1 with white; "
        "WCAG AA needs 4.5:1; a darker shade such as #906c00 passes"]


def test_bad_values_are_errors_at_their_lines():
    _, messages = parse(
        "branding:\n"
        "  brand_colour: red\n"
        "  logo: images/logo.png\n"
        "  footer_links:\n"
        "    - {title: Tổng Liên đoàn, url: 'https://www.congdoan.vn/'}\n"
        "    - {title: Thiếu địa chỉ}\n"
        "  member_links: LĐLĐ huyện\n"
        "  head_html: [1]\n"
        "  colour: '#fff'\n")
    assert messages == [
        "site.yaml:5: error: branding.brand_colour must be a colour like #b0121b, not 'red'; "
        'write # and six hexadecimal digits, in quotes: "#b0121b"',
        "site.yaml:6: error: branding.logo must be a path under /media/, not 'images/logo.png'; "
        "put the file in content/media/ and write e.g. /media/logo.png",
        "site.yaml:9: error: each item of branding.footer_links needs a title and a url; "
        "- {title: Công đoàn ngành Y tế, url: https://…}",
        "site.yaml:10: error: branding.member_links must be a list of {title, url}",
        "site.yaml:11: error: head_html must be text (use a YAML block: head_html: |)",
        "site.yaml:12: warning: unknown branding setting 'colour' is ignored; did you mean 'brand_colour'?",
    ]


def test_branding_must_be_a_mapping():
    _, messages = parse("branding: đỏ\n")
    assert messages == ["site.yaml:4: error: branding must be a mapping (logo, brand_colour, …)"]


@pytest.fixture(scope="module")
def branded(tmp_path_factory):
    """tests/sites/themes with a logo, colours, a favicon and an analytics snippet."""
    import shutil
    from PIL import Image
    from conftest import SITES

    site = tmp_path_factory.mktemp("branded") / "site"
    shutil.copytree(SITES / "themes", site)
    Image.new("RGB", (240, 80), (11, 74, 143)).save(site / "content/media/logo.png")
    Image.new("RGB", (64, 64), (164, 22, 26)).save(site / "content/media/favicon.png")
    config = site / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("branding:\n", (
        "branding:\n"
        "  logo: /media/logo.png\n"
        "  favicon: /media/favicon.png\n"
        "  brand_colour: '#14532d'\n"
        "  accent_colour: '#1d4f91'\n"
        "  head_html: |\n"
        "    <script defer data-domain=\"ldld.example.vn\" src=\"https://stats.example.vn/js/script.js\"></script>\n")),
        "utf-8")
    out = site.parent / "out"
    report = build(site, out)
    assert report.ok, [d.format() for d in report.diagnostics]
    return site, BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")


def test_colours_reach_the_page_as_custom_properties_after_the_stylesheets(branded):
    _, page = branded
    style = page.head.find("style")
    assert style.get_text() == ":root {--brand: #14532d;--brand-dark: #104123;--accent: #1d4f91;}"
    stylesheet = page.head.find("link", rel="stylesheet")
    assert stylesheet.sourceline < style.sourceline     # so the site's colours win


def test_head_html_is_emitted_as_written(branded):
    _, page = branded
    script = page.head.find("script", src="https://stats.example.vn/js/script.js")
    assert script is not None and script["data-domain"] == "ldld.example.vn"


def test_logo_favicon_and_footer_links(branded):
    _, page = branded
    assert page.head.find("link", rel="icon")["href"] == "/media/favicon.png"
    logo = page.select_one(".brand-logo img")
    assert logo["alt"] == "" and logo["width"] == "240" and logo["height"] == "80"
    assert page.select_one(".brand-mark") is None
    assert [a.get_text() for a in page.select(".footer-links a")] == ["Tổng Liên đoàn Lao động Việt Nam", "Giới thiệu"]


def test_a_missing_logo_is_an_error(branded, tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(branded[0], site, ignore=shutil.ignore_patterns("out"))
    (site / "content/media/logo.png").unlink()
    report = build(site, tmp_path / "out")
    assert [d.format() for d in report.diagnostics if d.severity == "error"] == [
        "site.yaml:27: error: branding.logo '/media/logo.png' not found; put the file at content/media/logo.png"]
