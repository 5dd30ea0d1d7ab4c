"""Responsive images: which variants, their files, the markup, the content-hash cache, bad files."""
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import SITES, build
from generator.images import ImageCatalog, ImageInfo, PictureRewriter, SourceImage, plan_variants, srcset_widths

ARTICLE = "hoat-dong-cong-doan/hoi-nghi-nguoi-lao-dong-nam-2026-tai-nha-may-giay-lam-son/index.html"


def info(url="/media/a.jpg", width=2000, height=1200, digest="ab" * 32) -> ImageInfo:
    source = SourceImage(url, Path("a.jpg"), digest, width, height)
    return ImageInfo(source, plan_variants(source))


def test_variant_widths_never_enlarge():
    assert srcset_widths(2000) == (400, 800, 1600)
    assert srcset_widths(1600) == (400, 800, 1600)
    assert srcset_widths(1000) == (400, 800, 1000)
    assert srcset_widths(300) == (300,)


def test_plan_has_webp_and_jpeg_per_width_and_a_1200_jpeg_for_open_graph():
    planned = [(v.format, v.width, v.height, v.name) for v in info().variants]
    assert planned == [
        ("webp", 400, 240, "abababababababababab-400.webp"), ("webp", 800, 480, "abababababababababab-800.webp"),
        ("webp", 1600, 960, "abababababababababab-1600.webp"), ("jpeg", 400, 240, "abababababababababab-400.jpg"),
        ("jpeg", 800, 480, "abababababababababab-800.jpg"), ("jpeg", 1600, 960, "abababababababababab-1600.jpg"),
        ("jpeg", 1200, 720, "abababababababababab-1200.jpg")]
    small = info(width=300, height=200)
    assert [(v.format, v.width) for v in small.variants] == [("webp", 300), ("jpeg", 300)]
    assert small.og.width == 300 and small.fallback.width == 300


def test_view_dict_has_srcsets_and_the_size_of_its_src():
    catalog = ImageCatalog({"/media/a.jpg": info()})
    view = catalog.view("/media/a.jpg", lambda p: "/ldld" + p)
    assert view == {
        "src": "/ldld/media/_v/abababababababababab-800.jpg",
        "srcset_webp": "/ldld/media/_v/abababababababababab-400.webp 400w, /ldld/media/_v/abababababababababab-800.webp 800w, "
                       "/ldld/media/_v/abababababababababab-1600.webp 1600w",
        "srcset_jpeg": "/ldld/media/_v/abababababababababab-400.jpg 400w, /ldld/media/_v/abababababababababab-800.jpg 800w, "
                       "/ldld/media/_v/abababababababababab-1600.jpg 1600w",
        "width": 800, "height": 480, "original": "/ldld/media/a.jpg"}
    assert catalog.view("https://anh.example.vn/x.jpg", str)["srcset_webp"] == ""
    assert catalog.view("", str) is None


def test_body_images_become_pictures_and_others_are_left_alone():
    rewriter = PictureRewriter(ImageCatalog({"/media/a.jpg": info()}), lambda p: p, default_sizes="100vw")
    html = ('<p><img alt="Ảnh &quot;hội nghị&quot; &amp; bầu cử" src="/media/a.jpg" loading="lazy"></p>'
            '<img src="/media/khac.gif" alt="">'
            '<img src="/media/a.jpg" srcset="/x 1w" alt="">'
            '<img src="/media/a.jpg" width="320" height="180" class="thumb" alt="">')
    page = BeautifulSoup(rewriter.rewrite(html), "html.parser")
    first, gif, kept, thumb = page.find_all("img")
    source = first.parent.find("source")
    assert first.parent.name == "picture" and source["type"] == "image/webp"
    assert source["srcset"].endswith("-1600.webp 1600w") and source["sizes"] == "100vw"
    assert (first["src"], first["width"], first["height"], first["loading"]) == ("/media/_v/abababababababababab-800.jpg", "800", "480", "lazy")
    assert first["alt"] == 'Ảnh "hội nghị" & bầu cử'
    assert gif.parent.name == "[document]" and kept["srcset"] == "/x 1w"
    assert (thumb["width"], thumb["height"], thumb["class"]) == ("320", "180", ["thumb"])
    assert thumb["sizes"] == "(max-width: 320px) 100vw, 320px"


@pytest.fixture(scope="module")
def site_and_reports(tmp_path_factory):
    """tests/sites/themes built twice on two cores; the second build must find every variant cached."""
    site = tmp_path_factory.mktemp("images") / "site"
    shutil.copytree(SITES / "themes", site)
    first = build(site, site.parent / "out", jobs=2)
    assert first.ok, [d.format() for d in first.diagnostics]
    # into another folder: an unchanged output folder is skipped whole before images are looked at
    second = build(site, site.parent / "out2", jobs=2)
    assert second.ok
    return site, site.parent / "out", first.images, second.images


def test_variants_are_written_with_their_sizes_and_formats(site_and_reports):
    _, out, _, _ = site_and_reports
    page = BeautifulSoup((out / ARTICLE).read_text("utf-8"), "html.parser")
    cover = page.select_one("figure.cover picture")
    webp = [entry.split() for entry in cover.source["srcset"].split(", ")]
    assert [w for _, w in webp] == ["400w", "800w", "1600w"]
    for url, width in webp:
        with Image.open(out / url.lstrip("/")) as variant:
            assert variant.format == "WEBP" and variant.size == (int(width[:-1]), int(width[:-1]) * 3 // 5)
    with Image.open(out / cover.img["src"].lstrip("/")) as fallback:
        assert fallback.format == "JPEG" and fallback.size == (800, 480)
    og = page.find("meta", property="og:image")["content"]
    with Image.open(out / og.removeprefix("https://ldld-lamson.example.vn/")) as image:
        assert image.format == "JPEG" and image.size == (1200, 720)


def test_a_small_image_is_not_enlarged(site_and_reports):
    _, out, _, _ = site_and_reports
    home = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    small = next(p for p in home.select("picture") if "300w" in p.source["srcset"])
    assert small.source["srcset"].count(", ") == 0 and small.img["width"] == "300"
    with Image.open(out / small.img["src"].lstrip("/")) as jpeg:   # a transparent PNG, laid on white
        assert (jpeg.format, jpeg.mode, jpeg.size) == ("JPEG", "RGB", (300, 200))


def test_lead_image_is_eager_and_the_rest_lazy_with_reserved_space(site_and_reports):
    _, out, _, _ = site_and_reports
    home = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    lead = home.select_one(".card--lead img")
    assert lead["fetchpriority"] == "high" and not lead.has_attr("loading")
    others = [img for img in home.select("main img") if img is not lead]
    assert others and all(img["loading"] == "lazy" for img in others)
    assert all(img.get("width") and img.get("height") and img.get("sizes") for img in home.select("img"))
    article = BeautifulSoup((out / ARTICLE).read_text("utf-8"), "html.parser")
    assert article.select_one("figure.cover img")["fetchpriority"] == "high"
    body = article.select_one(".article-body figure picture img")
    assert body["loading"] == "lazy" and (body["width"], body["height"]) == ("800", "560")
    assert body["alt"] == "Công nhân biểu quyết thông qua thỏa ước"


def test_a_second_build_processes_nothing(site_and_reports):
    _, _, first, second = site_and_reports
    assert (first.sources, first.processed, first.saved) == (6, 6, 34)
    assert (second.sources, second.processed, second.saved, second.reused) == (6, 0, 0, 6)


def test_only_a_changed_image_is_processed_again_and_a_copy_never(site_and_reports, tmp_path):
    site, _, _, _ = site_and_reports
    media = site / "content/media/anh"
    shutil.copy(media / "tho-han.jpg", media / "tho-han-ban-sao.jpg")       # same bytes, new name
    Image.new("RGB", (900, 600), (10, 120, 60)).save(media / "mai-am.jpg", quality=70)
    report = build(site, tmp_path / "out")
    assert report.ok
    assert (report.images.sources, report.images.processed, report.images.saved) == (7, 1, 6)


def test_a_corrupt_image_is_an_error_naming_the_file_and_output_is_untouched(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "themes", site)
    out = tmp_path / "out"
    assert build(site, out).ok
    before = (out / "index.html").read_bytes()
    (site / "content/media/anh/hong.jpg").write_text("<html>not a photo</html>")
    cut = (site / "content/media/anh/hoi-nghi.jpg").read_bytes()
    (site / "content/media/anh/cat-do.jpg").write_bytes(cut[: len(cut) // 2])
    report = build(site, out)
    hint = "open the file in an image editor and export it again as JPEG or PNG"
    assert [d.format() for d in report.diagnostics if d.severity == "error"] == [
        f"content/media/anh/hong.jpg: error: cannot read image: not a JPEG, PNG or WebP picture, "
        f"or the file is damaged; {hint}"]
    (site / "content/media/anh/hong.jpg").unlink()
    report = build(site, out)
    assert [d.format() for d in report.diagnostics if d.severity == "error"] == [
        f"content/media/anh/cat-do.jpg: error: cannot read image: the file is cut short "
        f"(image file is truncated); {hint}"]
    assert (out / "index.html").read_bytes() == before
