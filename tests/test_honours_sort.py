"""Vietnamese name order: given name, then family name, then middle names; letters, then tones."""
import random

from generator.vietnamese import name_sort_key, text_sort_key

# Hand-checked, in the order a Vietnamese office list puts them. Comments say why a neighbour
# comes where it does.
ORDERED_NAMES = [
    "Nguyễn Văn An",
    "Trần An",              # same given name, family Nguyễn < Trần
    "Lê Thị Án",            # An < Án (tone sắc after none) before families are looked at
    "Nguyễn Văn Anh",       # An, Án < Anh: the shorter word first
    "Phạm Thị Lan Anh",     # family Phạm < Trần
    "Trần Thị Anh",
    "Lê Thị Ánh",           # the whole given name, tone included, before the family name
    "Đỗ Thị Ân",            # a < â
    "Nguyễn Thị Bảo Ân",    # family Đỗ < Nguyễn (đ is a letter after d)
    "Vũ Văn Ba",
    "Hà Văn Bá",            # Ba < Bá
    "Lê Văn Bách",          # a < ă: Bách < Bắc
    "Nguyễn Văn Bắc",
    "Trần Văn Bình",
    "Đinh Thị Chi",         # family Đinh < Lê
    "Lê Thị Chi",
    "Nguyễn Văn Cường",     # h < ư
    "Phạm Văn Dũng",
    "Trần Văn Dũng",
    "Hoàng Văn Đức",        # d < đ
    "Trần Thị Giang",
    "Ngô Thị Hà",           # huyền < nặng
    "Vũ Thị Hạ",
    "Đặng Văn Hải",         # Ha < Hai
    "Nguyễn Thị Hải",
    "Lê Thị Hoa",           # a < o
    "Trần Văn Hùng",
    "Phạm Văn Khánh",
    "Nguyễn Thị Lan",
    "Trần Thị Lan",
    "Nguyễn Thị Mai",
    "Đỗ Văn Nam",
    "Lê Hoài Nam",          # same given and family name: middle Hoài < Văn
    "Lê Văn Nam",
    "Trịnh Thị Oanh",       # o < ô < ơ
    "Lê Văn Ổn",
    "Phan Văn Ơn",
    "Nguyễn Văn Phúc",
    "Bùi Văn Quang",
    "Lê Văn Sơn",
    "Nguyễn Văn Thanh",
    "Trần Văn Thanh",
    "Đỗ Văn Thành",         # none < huyền < nặng
    "Lê Văn Thạnh",
    "Nguyễn Văn Tuấn",      # h < u
    "Lê Thị Út",
    "Đỗ Văn Ứng",           # u < ư
    "Phạm Văn Vinh",
    "Trần Văn Xuân",
    "Nguyễn Thị Yến",
]


def test_hand_checked_list_is_long_enough():
    assert len(ORDERED_NAMES) >= 40 and len(set(ORDERED_NAMES)) == len(ORDERED_NAMES)


def test_names_sort_in_vietnamese_office_order():
    shuffled = ORDERED_NAMES[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == ORDERED_NAMES


def test_the_issue_examples():
    assert name_sort_key("Nguyễn Văn Anh") < name_sort_key("Lê Thị Ánh")
    assert name_sort_key("Phạm Thị Lan Anh") < name_sort_key("Trần Thị Anh")


def test_tone_order_none_huyen_hoi_nga_sac_nang():
    tones = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sorted(reversed(tones), key=text_sort_key) == tones


def test_letter_order_of_the_alphabet():
    letters = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
    assert sorted(reversed(letters), key=text_sort_key) == letters


def test_case_spacing_and_composition_do_not_change_the_order():
    decomposed = "Le\u0302 Thi\u0323 A\u0301nh"   # "Lê Thị Ánh" typed with combining marks
    assert name_sort_key(decomposed)[:3] == name_sort_key("Lê Thị Ánh")[:3]
    assert name_sort_key("nguyễn văn anh")[:3] == name_sort_key("Nguyễn  Văn Anh")[:3]


def test_units_sort_alphabetically_with_vietnamese_letters():
    units = ["Công ty Bình An", "Công ty Đại Phát", "Công ty Dệt Sông Hồng", "Chi nhánh Ô tô", "Công ty Âu Lạc"]
    assert sorted(units, key=text_sort_key) == [
        "Chi nhánh Ô tô", "Công ty Âu Lạc", "Công ty Bình An", "Công ty Dệt Sông Hồng", "Công ty Đại Phát"]
