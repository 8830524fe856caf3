"""专业领域: the one taxonomy of expert fields, which the 专家库 tags experts with and a call's schema
maps its 主导产业 onto (`expertise:` in calls/schemas/*.yaml, calls/schema/expertise.py).

The codes are stored (on an expert's profile, in a draw's record), so a code is never renamed or
reused; a label may be reworded. The fields follow the industries of Inner Mongolia's manufacturing
clusters, plus the two every panel needs: 产业经济/财务 and 数字化.
"""

FIELDS = (
    ("new_materials", "新材料"),
    ("rare_earth", "稀土"),
    ("equipment", "装备制造"),
    ("new_energy", "新能源"),
    ("chemicals", "化工"),
    ("coal_chemicals", "现代煤化工"),
    ("metallurgy", "冶金"),
    ("agri_food", "农畜产品加工"),
    ("electronics", "电子信息"),
    ("biomedicine", "生物医药"),
    ("green", "节能环保"),
    ("digital", "数字化与工业互联网"),
    ("economics", "产业经济/财务"),
)
LABELS = dict(FIELDS)
BY_LABEL = {label: code for code, label in FIELDS}


def label(code: str) -> str:
    return LABELS.get(code, code)


def labels(codes) -> str:
    """The labels of `codes` joined as a Chinese list: 新材料、稀土."""
    return "、".join(label(c) for c in codes)


def parse(text: str) -> tuple[list[str], list[str]]:
    """Codes from a typed list of labels or codes (、，, ; / or spaces between them): (codes, unknown words)."""
    words = [w.strip() for w in _split(text or "") if w.strip()]
    codes, unknown = [], []
    for word in words:
        code = BY_LABEL.get(word) or (word if word in LABELS else None)
        if code is None:
            unknown.append(word)
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def _split(text):
    for sep in "，,;；、\n\t":
        text = text.replace(sep, " ")
    # "产业经济/财务" is one label: split on spaces only, then on "/" unless the whole word is a label.
    for word in text.split(" "):
        if word in BY_LABEL or "/" not in word:
            yield word
        else:
            yield from word.split("/")


def ordered(codes) -> list[str]:
    """`codes` in the taxonomy's order, unknown ones dropped."""
    wanted = set(codes)
    return [code for code, _ in FIELDS if code in wanted]
