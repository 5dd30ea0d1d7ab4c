"""`import-honours`: spreadsheets (XLSX, CSV in UTF-8 with BOM, Windows-1258) to a roll file."""
import unicodedata
from pathlib import Path

import pytest
import yaml

from generator.cli import main

HEADERS = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Địa phương", "Danh hiệu", "Thành tích"]
ROWS = [
    ["1", "Nguyễn Văn An", "Tổ trưởng tổ hàn", "Công ty Cơ khí Hòa Bình", "Đông Hà", "Công nhân giỏi", "Ba sáng kiến"],
    ["2", "Lê Thị Ánh", "Thợ may", "Công ty May Sông Hồng", "Tây Sơn", "Công nhân giỏi", ""],
]


def run_import(tmp_path: Path, source: Path, *extra: str) -> tuple[int, Path]:
    output = tmp_path / "out" / "roll.yaml"
    code = main(["import-honours", str(source), "--output", str(output), "--year", "2025",
                 "--title", "Công nhân giỏi năm 2025", "--kind", "cong-nhan-gioi", *extra])
    return code, output


def test_xlsx_becomes_a_roll(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH"] + [None] * 6)        # a title line above the table is common…
    sheet.delete_rows(1)                           # …but here the header is the first row
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append([int(row[0]), *row[1:]])
    sheet.append([None] * 7)                       # blank row: skipped
    sheet.append([3, "Tên sáng kiến?", None, None, None, None, None])
    source = tmp_path / "ds.xlsx"
    book.save(source)

    code, output = run_import(tmp_path, source)
    assert code == 0
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["title"] == "Công nhân giỏi năm 2025" and roll["kind"] == "cong-nhan-gioi" and roll["year"] == 2025
    assert roll["entries"][0] == {"name": "Nguyễn Văn An", "position": "Tổ trưởng tổ hàn", "unit": "Công ty Cơ khí Hòa Bình",
                                  "locality": "Đông Hà", "award": "Công nhân giỏi", "achievement": "Ba sáng kiến"}
    assert [e["name"] for e in roll["entries"]] == ["Nguyễn Văn An", "Lê Thị Ánh", "Tên sáng kiến?"]


def test_initiatives_from_xlsx_with_money_and_authors(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Tên sáng kiến", "Tác giả", "Đơn vị", "Lĩnh vực", "Giá trị làm lợi (đồng)"])
    sheet.append([1, "Cải tiến khuôn ép", "Trần Thị Hoa, Lê Văn Bình", "Nhà máy Z151", "Cơ khí", 120000000])
    sheet.append([2, "Bộ gá hàn xoay", "Đỗ Văn Ứng", "Nhà máy Z151", "Cơ khí", "35.500.000 đ"])
    source = tmp_path / "sang-kien-2025.xlsx"
    book.save(source)
    output = tmp_path / "sk.yaml"
    assert main(["import-honours", str(source), "--output", str(output)]) == 0
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["kind"] == "sang-kien" and roll["year"] == 2025     # guessed from the columns and file name
    assert roll["entries"][0]["authors"] == ["Trần Thị Hoa", "Lê Văn Bình"]
    assert [e["benefit"] for e in roll["entries"]] == [120000000, 35500000]


def test_csv_utf8_with_bom_and_semicolons(tmp_path):
    text = "\n".join(";".join(r) for r in [HEADERS, *ROWS, [""] * 7]) + "\n"
    source = tmp_path / "ds.csv"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, output = run_import(tmp_path, source)
    assert code == 0
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["entries"][1]["name"] == "Lê Thị Ánh"
    assert "locality" not in roll["entries"][1] or roll["entries"][1]["locality"] == "Tây Sơn"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Excel writes it: letters such as ơ, ê, đ are one byte, tone marks are
    separate combining bytes after the vowel (only a few toned vowels exist precomposed)."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            letter = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
            out.append((letter + "".join(m for m in marks if m in tones)).encode("cp1258"))
    return b"".join(out)


def test_csv_in_windows_1258_with_tabs(tmp_path):
    text = "\r\n".join("\t".join(r) for r in [HEADERS, *ROWS]) + "\r\n"
    data = encode_cp1258(text)
    assert "\u0303".encode("cp1258") in data          # "ễ" of Nguyễn went out as e-circumflex + tilde
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    source = tmp_path / "ds.csv"
    source.write_bytes(data)
    code, output = run_import(tmp_path, source)
    assert code == 0
    roll = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert roll["entries"][0]["name"] == "Nguyễn Văn An"        # composed again (NFC)
    assert roll["entries"][0]["locality"] == "Đông Hà"


def test_bad_rows_are_reported_by_number_and_nothing_is_written(tmp_path, capsys):
    rows = [
        "STT,Họ và tên,Tên sáng kiến,Đơn vị,Giá trị làm lợi",
        "1,Nguyễn Văn An,,Công ty A,",
        "",
        "2,,,Công ty B,",
        "3,,Cải tiến máy cắt,Công ty C,một trăm triệu",
        "4,Lê Thị Bình,Máy gấp giấy,Công ty D,",
    ]
    source = tmp_path / "ds.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, output = run_import(tmp_path, source)
    assert code == 1
    assert not output.exists() and not output.parent.exists()
    err = capsys.readouterr().err
    assert "row 4: no name" in err
    assert "row 5: 'Giá trị làm lợi' is not an amount in đồng: 'một trăm triệu'" in err
    assert "row 6: both 'name' and 'initiative' are filled" in err
    assert "row 2" not in err


def test_existing_file_is_not_replaced_without_force(tmp_path):
    source = tmp_path / "ds.csv"
    source.write_text("Họ và tên,Đơn vị\nNguyễn Văn An,Công ty A\n", encoding="utf-8")
    code, output = run_import(tmp_path, source)
    assert code == 0
    before = output.read_bytes()
    source.write_text("Họ và tên,Đơn vị\nLê Văn Bình,Công ty B\n", encoding="utf-8")
    assert run_import(tmp_path, source)[0] == 2
    assert output.read_bytes() == before
    assert run_import(tmp_path, source, "--force")[0] == 0
    assert "Lê Văn Bình" in output.read_text(encoding="utf-8")


def test_default_output_goes_under_the_site_and_builds(tmp_path, copy_site):
    from conftest import build
    site = copy_site("honours")
    source = tmp_path / "cong-nhan-gioi-2026.csv"
    source.write_text("STT,Họ và tên,Đơn vị,Danh hiệu\n1,Vũ Văn Ba,Công ty Cơ khí Hòa Bình,Công nhân giỏi\n",
                      encoding="utf-8")
    assert main(["import-honours", str(source), "--site", str(site), "--title", "Công nhân giỏi 2026"]) == 0
    written = site / "content" / "honours" / "2026" / "cong-nhan-gioi-2026.yaml"
    assert written.is_file()
    report = build(site, tmp_path / "out")
    assert report.ok, [d.format() for d in report.diagnostics]
    assert (tmp_path / "out" / "vinh-danh" / "cong-nhan-gioi-2026" / "index.html").is_file()
