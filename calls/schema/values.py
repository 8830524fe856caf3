"""Reading one cell: turning what was typed into the stored form, or saying in Chinese what is wrong.

These are the 填报说明 rules that concern a single value: exactly two decimals (never rounded
silently), whole numbers ≥ 0 for counts, ratios within 0–100, 字 limits on what a reader sees
(count_chars), and 无 as an explicit answer where nothing applies.
"""

import datetime
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import regex

NONE_ANSWER = "无"
MAX_CELL_LENGTH = 20_000  # far above any 字 limit; stops a hostile megabyte per cell
MAX_ABS_NUMBER = Decimal("1e12")

# Stripped before storing and before counting: characters nobody sees that mean nothing in Chinese text
# (static/js/autosave.js strips the same set; calls/tests/test_char_count.py holds the two together).
# Kept on purpose: ZWJ and ZWNJ (U+200D, U+200C: emoji sequences, Mongolian shaping), the Mongolian
# variation selectors and vowel separator (U+180B–U+180F), the variation selectors (U+FE00–U+FE0F,
# U+E0100–U+E01EF: emoji, and variant forms of characters in names) and tags (flags of regions).
_INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls except tab, line feed and carriage return (\r\n is made \n)
    "\x7f-\x9f"  # DEL and the C1 controls
    "\u00ad"  # SOFT HYPHEN: shows only where a line breaks inside a word, which Chinese text never does
    "\u034f"  # COMBINING GRAPHEME JOINER: invisible; orders combining marks in scripts not written here
    "\u061c"  # ARABIC LETTER MARK: a bidirectional control
    "\u115f\u1160"  # HANGUL CHOSEONG / JUNGSEONG FILLER: blank, pasted as "invisible" names
    "\u200b"  # ZERO WIDTH SPACE: pasted from web pages and chat, makes 字 nobody sees
    "\u200e\u200f"  # LEFT-TO-RIGHT / RIGHT-TO-LEFT MARK: bidirectional controls
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO: embeddings and overrides that reorder what is shown
    "\u2060"  # WORD JOINER: a zero-width no-break space
    "\u2061-\u2064"  # invisible function application, times, separator and plus (mathematics)
    "\u2065"  # unassigned, ignorable by definition
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI: bidirectional isolates, which reorder what is shown
    "\u206a-\u206f"  # deprecated format characters (symmetric swapping, digit shapes)
    "\u3164"  # HANGUL FILLER: blank, pasted as "invisible" names
    "\ufeff"  # BYTE ORDER MARK / ZERO WIDTH NO-BREAK SPACE
    "\uffa0"  # HALFWIDTH HANGUL FILLER: blank
    "]"
)

# 字数 counts grapheme clusters (UAX #29, what a reader takes for one character: 👨‍👩‍👧‍👦, 🇨🇳, 1️⃣, 字 with
# a variation selector, a letter with its accents) that hold something visible: not only whitespace and
# default-ignorable characters (a lone ZWJ or Mongolian vowel separator is no 字). Finding clusters is
# slow (regex's \X), so text made only of _SIMPLE_CHARS skips it: each of them is a cluster by itself
# (no mark, joiner, prefix, jamo or regional indicator; no default-ignorable character), so there a 字
# is any character that is not whitespace. Other text goes cluster by cluster only around the characters
# outside _SIMPLE_CHARS. calls/tests/test_char_count.py checks every one of them.
_SIMPLE_CHARS = (
    "\t\n\x20-\x7e"  # ASCII (not \r, which joins \n)
    "\xa0-\xac\xae-\xff"  # Latin-1: ×, °, ·, ¥ …
    "\u2000-\u200a\u2010-\u2029\u202f-\u205f"  # spaces and punctuation: — ‘’ “” … ‰ ※
    "\u2100-\u218f\u2190-\u23ff\u2460-\u27bf"  # ℃ № Ⅻ, arrows, ≤ ≥, ①, box drawing, ■ ★
    "\u3000-\u3029\u3030-\u303f"  # CJK spaces and punctuation: 、。〈〉《》「」【】〇
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\uff01-\uff9d\uffe0-\uffe6"  # full-width and half-width forms: ，：；（）％ ￥
)
_SIMPLE_RUN = re.compile(f"[{_SIMPLE_CHARS}]*")
_SIMPLE_PAIR = re.compile(f"[{_SIMPLE_CHARS}]{{2}}")
_CLUSTER = regex.compile(r"\X")
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), written out because the regex
# module's property classes are slow; calls/tests/test_char_count.py compares it with the property.
_IGNORABLE_CHARS = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
_HIDDEN = re.compile(f"[\\s{_IGNORABLE_CHARS}]*")  # a cluster of only these shows nothing
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_WHOLE = re.compile(r"\+?\d+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(?:-\d{1,6})?")


class Invalid(ValueError):
    """What is wrong with one typed value, in the words shown next to the field."""


def clean_text(value) -> str:
    text = "" if value is None else str(value)
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def over_limit(label: str, text: str, limit: int) -> str | None:
    """The sentence refusing `text` (as clean_text stores it) for more than `limit` 字, or None: the one
    wording of every free-text limit outside the schema (opinions, comments, notes, objections)."""
    chars = count_chars(text)
    return f"{label}不超过 {limit} 字，现为 {chars} 字，请删减。" if chars > limit else None


def count_chars(text: str) -> int:
    """字数 as the guide means it: the characters a reader sees, whitespace not counted.

    One 字 is one grapheme cluster with something visible in it, in the text as clean_text stores it.
    """
    if not text:
        return 0
    if _SIMPLE_RUN.fullmatch(text):  # nothing to strip either: no _SIMPLE_CHARS is _INVISIBLE
        return _plain_count(text)
    text = _INVISIBLE.sub("", text)
    n = pos = 0
    while True:
        end = _SIMPLE_RUN.match(text, pos).end()  # type: ignore[union-attr]  # [...]* always matches
        if end == len(text):
            return n + _plain_count(text[pos:])
        # text[end] is not simple. The simple character before it may take it (字 + variation selector),
        # and clusters go on until two simple characters meet, where one always ends.
        start = max(end - 1, pos)
        n += _plain_count(text[pos:start])
        pair = _SIMPLE_PAIR.search(text, end)
        pos = pair.start() + 1 if pair else len(text)
        n += sum(_HIDDEN.fullmatch(cluster) is None for cluster in _CLUSTER.findall(text, start, pos))


def _plain_count(simple: str) -> int:
    return sum(map(len, simple.split()))  # str.split() splits on exactly what str.isspace() accepts


def _number_text(value) -> str:
    # Full-width digits and signs (１２．５) are common from Chinese input methods.
    text = unicodedata.normalize("NFKC", clean_text(value))
    return text.replace(",", "").replace(" ", "").replace("−", "-")


def _kept(parse):
    """`parse` remembering its last few thousand answers for short typed text.

    Every autosave checks the whole application again, parsing the same hundred-odd numbers each time
    (docs/performance.md). A parse depends only on its arguments and answers with a value nobody can
    change (a Decimal, an int), so it is looked up instead; a refusal raises and is never kept. Only
    short text is kept (any number under MAX_ABS_NUMBER is), so padded input cannot make keys large.
    """
    kept = functools.lru_cache(maxsize=4096)(parse)

    @functools.wraps(parse)
    def parse_or_recall(value, *args, **kwargs):
        if isinstance(value, str) and len(value) <= 32:
            return kept(value, *args, **kwargs)
        return parse(value, *args, **kwargs)

    return parse_or_recall


@_kept
def parse_decimal(value, places=2, minimum=None, maximum=None) -> Decimal:
    text = _number_text(value)
    if not _NUMBER.fullmatch(text):
        raise Invalid(f"请填写数字，如 12.50{'' if minimum is not None and minimum >= 0 else ' 或 -3.20'}。")
    if "." in text and len(text.split(".")[1]) > places:
        raise Invalid(
            f"数据保留小数点后{places}位：“{text}”有{len(text.split('.')[1])}位小数，请按实际数据填写，系统不会代为四舍五入。"
        )
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only valid decimals
        raise Invalid("请填写数字。") from exc
    if abs(number) >= MAX_ABS_NUMBER:
        raise Invalid("数值过大，请检查单位。")
    _check_range(number, minimum, maximum)
    return number.quantize(Decimal(1).scaleb(-places)) + 0  # + 0 turns -0.00 into 0.00


@_kept
def parse_count(value, minimum=0, maximum=None) -> int:
    text = _number_text(value)
    if not _WHOLE.fullmatch(text):
        raise Invalid("请填写不小于 0 的整数。")
    number = int(text)
    if number >= MAX_ABS_NUMBER:
        raise Invalid("数值过大，请检查。")
    _check_range(number, minimum, maximum)
    return number


def _check_range(number, minimum, maximum):
    if minimum is not None and maximum is not None and not (Decimal(minimum) <= number <= Decimal(maximum)):
        raise Invalid(f"应在 {minimum} 到 {maximum} 之间。")
    if minimum is not None and number < Decimal(minimum):
        raise Invalid(f"不能小于 {minimum}。")
    if maximum is not None and number > Decimal(maximum):
        raise Invalid(f"不能大于 {maximum}。")


def parse_date(value, minimum=None, maximum=None) -> datetime.date:
    text = unicodedata.normalize("NFKC", clean_text(value))
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    try:
        day = datetime.date(*map(int, match.groups())) if match else None
    except ValueError:
        day = None
    if day is None:
        raise Invalid("请填写正确的日期，如 2024-03-15。")
    if minimum and day < datetime.date.fromisoformat(minimum):
        raise Invalid(f"日期不能早于 {minimum}。")
    if maximum and day > datetime.date.fromisoformat(maximum):
        raise Invalid(f"日期不能晚于 {maximum}。")
    return day


def parse_phone(value) -> str:
    text = unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "").replace("—", "-")
    if not (_MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text)):
        raise Invalid("请填写11位手机号码或带区号的固定电话（如 0472-1234567）。")
    return text


def normalise(cell, value):
    """The form a value is stored in: canonical when valid, as typed (cleaned) when not.

    Invalid input is kept as typed so the applicant sees their text with the message next to it
    and loses nothing; the rules run again over the stored data every time.
    """
    if cell.is_list:
        return _normalise_list(cell, value)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise Invalid("格式不正确，未能保存。")
    text = clean_text(value)
    if len(text) > MAX_CELL_LENGTH:
        raise Invalid("内容过长，未能保存。")
    if not text or text == NONE_ANSWER:
        return text
    try:
        return canonical(cell, text)
    except Invalid:
        return text


def canonical(cell, text):
    field = cell.field
    if cell.kind in {"decimal", "ratio", "growth"}:
        return f"{parse_decimal(text, field.places, field.min, field.max):.{field.places}f}"
    if cell.kind == "count":
        return str(parse_count(text))
    if cell.kind == "date":
        return parse_date(text).isoformat()
    if cell.kind == "phone":
        return parse_phone(text)
    return text


def _normalise_list(cell, value):
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > 200:
        raise Invalid("格式不正确，未能保存。")
    if cell.kind == "rows":
        columns = [c["key"] for c in cell.field.columns]
        rows = []
        for row in value:
            if not isinstance(row, dict):
                raise Invalid("格式不正确，未能保存。")
            if any(not isinstance(v, str) for v in row.values()):
                raise Invalid("格式不正确，未能保存。")
            rows.append({key: clean_text(row.get(key))[:MAX_CELL_LENGTH] for key in columns})
        return rows
    if any(not isinstance(v, str) for v in value):
        raise Invalid("格式不正确，未能保存。")
    items = [clean_text(v) for v in value]
    if any(len(v) > MAX_CELL_LENGTH for v in items):
        raise Invalid("内容过长，未能保存。")
    return items


def check(cell, value, context):
    """The message for one stored value that breaks a single-value rule, or None."""
    field = cell.field
    if cell.is_list or value in ("", None):
        return None
    if value == NONE_ANSWER and cell.kind != "accept":  # 无 answers a question; it never ticks the 承诺 box
        if cell.is_numeric or cell.kind in {"date", "phone", "choice"}:
            return None if field.allow_none else f"{cell.label}需要填写具体数值，不能填“无”。"
        return None
    try:
        if cell.kind in {"text", "longtext"} and field.max_chars and cell.field.type != "text_group":
            n = count_chars(value)
            if n > field.max_chars:
                return f"限{field.max_chars}字以内，现有{n}字，超出{n - field.max_chars}字。"
        elif cell.kind == "date":
            parse_date(value, field.min, field.max)
        elif cell.kind == "choice":
            if value not in {c[0] for c in field.choices}:
                return "请从选项中选择。"
            if value in field.blocks:
                return field.blocks[value]
        elif cell.kind == "accept":
            if value != "1":
                return "请勾选确认。"
        else:
            canonical(cell, value)
    except Invalid as exc:
        return str(exc)
    return None
