import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator.vietnamese import fold, format_date, format_datetime, format_day, format_money, format_number, search_fold, slugify

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize("title, slug", [
    ("Đánh giá “thẩm thấu” của phong trào thi đua tại công đoàn cơ sở",
     "danh-gia-tham-thau-cua-phong-trao-thi-dua-tai-cong-doan-co-so"),
    ("Công đoàn", "cong-doan"),
    ("ĐẠI HỘI Công đoàn tỉnh lần thứ XV (2023 - 2028)", "dai-hoi-cong-doan-tinh-lan-thu-xv-2023-2028"),
    ("Nữ công: \"Giỏi việc nước, đảm việc nhà\"", "nu-cong-gioi-viec-nuoc-dam-viec-nha"),
    ("Tết Sum vầy 2026!", "tet-sum-vay-2026"),
    ("Ưu đãi đoàn viên – ơn nghĩa", "uu-dai-doan-vien-on-nghia"),
    ("   ", ""),
])
def test_slugs_fold_vietnamese(title, slug):
    assert slugify(title) == slug


def test_fold_drops_marks_and_d_but_keeps_case():
    assert fold("Công Đoàn Việt Nam") == "Cong Doan Viet Nam"
    assert search_fold("ĐẠI HỘI đại biểu") == "dai hoi dai bieu"


def test_dates_read_the_vietnamese_way():
    saturday = dt.datetime(2026, 11, 21, 8, 30, tzinfo=TZ)
    assert format_datetime(saturday) == "Thứ Bảy, 21/11/2026 08:30"
    assert format_day(dt.date(2026, 11, 22)) == "Chủ Nhật, 22/11/2026"
    assert format_date(saturday) == "21/11/2026"
    assert format_datetime(saturday, "en") == "Saturday, 21/11/2026 08:30"


def test_numbers_and_money_read_the_vietnamese_way():
    assert format_number(7929) == "7.929"
    assert format_number(528.6) == "528,6"
    assert format_number(528.567, 1) == "528,6"
    assert format_number(1234567.5, 0) == "1.234.568"
    assert format_money(120_000_000) == "120.000.000\u00a0đ"
    assert format_number(7929, language="en") == "7,929"
