"""Read a call schema file, check every entry, and build the immutable Schema.

A broken schema fails loudly at start-up with the file and the entry that is wrong, so a typo in
next year's file never reaches an applicant.
"""

import hashlib
from functools import cache
from pathlib import Path

import yaml

from calls.schema.model import SEP, Cell, Field, Schema, Section, Slot
from calls.schema.rubric import build_rubric
from calls.schema.statistics import build_statistics

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

FIELD_TYPES = {
    "text", "longtext", "decimal", "ratio", "growth", "count", "choice", "yes_no", "yes_no_na",
    "date", "phone", "regions", "derived", "accept", "matrix", "named_count", "text_list", "rows",
    "text_group",
}  # fmt: skip
PER_YEAR_TYPES = {"decimal", "ratio", "growth", "count"}
# One value per application (per-year fields give their last year): what a 汇总表 column can hold.
SUMMARY_TYPES = PER_YEAR_TYPES | {"text", "choice", "yes_no", "yes_no_na", "date", "phone"}
DERIVED_SOURCES = {"lead_region", "lead_bureau", "organisation", "submitted_at", "department"}
FILE_TYPES = {"pdf", "jpg", "png", "docx", "xlsx"}
RULE_KINDS = {"sum_equals": ("total", "parts", "message"), "date_order": ("start", "end", "message")}
WARNING_KINDS = {
    "per_capita": ("stated", "numerator", "denominator", "scale", "tolerance", "message"),
    "growth_consistency": ("values", "growth", "tolerance", "message"),
    "ratio_vs_stated": ("numerator", "denominator", "stated", "tolerance", "message"),
    "not_above": ("value", "limit", "message"),
    "abs_above": ("fields", "limit", "message"),
}
FIELD_KEYS = {
    "key", "type", "label", "caption", "help", "unit", "required", "allow_none", "max_chars", "min",
    "max", "places", "choices", "per_year", "year_heading", "group", "blocks", "source", "default",
    "rows", "columns", "row_heading", "cell_type", "parts", "item_label", "min_items", "qualitative",
    "require_each",
}  # fmt: skip
YES_NO = (("是", "是"), ("否", "否"))
YES_NO_NA = (*YES_NO, ("不涉及", "不涉及"))


class SchemaError(Exception):
    """The schema file has an entry the engine cannot use; the message names it."""


def available_schemas():
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.yaml"))


@cache
def load_schema(code: str, year: int) -> Schema:
    path = SCHEMA_DIR / f"{code}.yaml"
    if not path.exists():
        raise SchemaError(f"没有找到申报书结构文件 {path.name}")
    raw = path.read_bytes()
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path.name}: YAML 格式错误：{exc}") from exc
    return _Builder(path.name, year, hashlib.sha256(raw).hexdigest()).build(doc)


class _Builder:
    def __init__(self, filename, year, digest):
        self.filename = filename
        self.year = year
        self.digest = digest
        self.texts = {"year": year, "last_year": year - 1}
        self.years = (year - 3, year - 2, year - 1)
        self.help = {}

    def fail(self, where, problem):
        raise SchemaError(f"{self.filename} {where}: {problem}")

    def text(self, value, where="", keep_braces=False):
        if value is None:
            return ""
        if not isinstance(value, str | int | float):
            self.fail(where, f"应为文字，得到 {value!r}")
        value = str(value)
        if keep_braces:
            return value
        try:
            return value.format(**self.texts)
        except (KeyError, IndexError, ValueError) as exc:
            self.fail(where, f"文字中的占位符无法识别：{exc}")

    def build(self, doc):
        if not isinstance(doc, dict):
            self.fail("(top)", "应为键值结构")
        for key in ("code", "version", "title", "sections", "commitment", "attachments"):
            if key not in doc:
                self.fail("(top)", f"缺少 {key}")
        self.help = {k: self.text(v, f"help.{k}") for k, v in (doc.get("help") or {}).items()}
        sections, seen = [], set()
        for i, raw in enumerate(doc["sections"]):
            section = self.section(raw, f"sections[{i}]")
            if section.key in seen:
                self.fail(f"sections[{i}]", f"节 {section.key} 重复")
            seen.add(section.key)
            sections.append(section)
        fields = {}
        cells = set()
        for section in sections:
            for f in section.fields:
                if f.key in fields:
                    self.fail(f"field {f.key}", "字段键重复")
                fields[f.key] = f
                for c in f.cells:
                    if c.name in cells:
                        self.fail(f"field {f.key}", f"单元格名 {c.name} 重复")
                    cells.add(c.name)
        self.fields = fields
        for f in fields.values():
            self.check_references(f)
        commitment = doc["commitment"]
        if not isinstance(commitment, dict) or not commitment.get("items"):
            self.fail("commitment", "应包含 items（承诺条目）")
        schema = Schema(
            code=self.text(doc["code"], "code"),
            version=self.text(doc["version"], "version"),
            digest=self.digest,
            year=self.year,
            years=self.years,
            title=self.text(doc["title"], "title"),
            project_name=self.text(doc.get("project_name", ""), "project_name"),
            department=self.text(doc.get("department", ""), "department"),
            notes=tuple(self.text(n, "notes") for n in doc.get("notes") or ()),
            commitment={k: v for k, v in commitment.items()},
            sections=tuple(sections),
            rules=tuple(self.rule(r, f"rules[{i}]") for i, r in enumerate(doc.get("rules") or ())),
            warnings=tuple(self.warning(w, f"warnings[{i}]") for i, w in enumerate(doc.get("warnings") or ())),
            slots=tuple(self.slot(s, f"attachments[{i}]", seen) for i, s in enumerate(doc["attachments"])),
            rubric=build_rubric(self, doc.get("rubric"), seen),
            statistics=build_statistics(self, doc.get("statistics")),
            **self.summary(doc.get("summary") or ()),
        )
        if len({s.key for s in schema.slots}) != len(schema.slots):
            self.fail("attachments", "附件槽位键重复")
        return schema

    def summary(self, entries):
        """The 汇总表 columns: field keys, or {field, heading} where the label is too long for a column."""
        keys, headings = [], {}
        for i, entry in enumerate(entries):
            where = f"summary[{i}]"
            if isinstance(entry, dict):
                if set(entry) - {"field", "heading"} or "field" not in entry:
                    self.fail(where, "应为字段键，或包含 field（及 heading）的键值结构")
                key = entry["field"]
                if entry.get("heading"):
                    headings[key] = self.text(entry["heading"], where)
            else:
                key = entry
            if not isinstance(key, str):
                self.fail(where, f"应为字段键，得到 {key!r}")
            self.ref(key, where)
            if self.fields[key].type not in SUMMARY_TYPES:
                self.fail(where, f"字段 {key} 的类型 {self.fields[key].type} 不能列入汇总表（每份申报只能有一个值）")
            if key in keys:
                self.fail(where, f"字段 {key} 重复")
            keys.append(key)
        return {"summary": tuple(keys), "summary_headings": headings}

    def section(self, raw, where):
        if not isinstance(raw, dict) or "key" not in raw or "title" not in raw:
            self.fail(where, "每一节需要 key 和 title")
        key = raw["key"]
        where = f"{where} (key={key})"
        fields = tuple(self.field(f, key, f"{where}.fields[{i}]") for i, f in enumerate(raw.get("fields") or ()))
        if not fields:
            self.fail(where, "没有字段")
        return Section(
            key=key,
            title=self.text(raw["title"], where),
            number=self.text(raw.get("number", ""), where),
            intro=self.text(raw.get("intro", ""), where),
            fields=fields,
        )

    def field(self, raw, section, where):
        if not isinstance(raw, dict):
            self.fail(where, "字段应为键值结构")
        key, ftype = raw.get("key"), raw.get("type")
        where = f"{where} (key={key})"
        if not key or not isinstance(key, str) or not key.isidentifier() or SEP in key:
            self.fail(where, "key 应为不含双下划线的标识符")
        if ftype not in FIELD_TYPES:
            self.fail(where, f"未知字段类型 {ftype!r}")
        unknown = set(raw) - FIELD_KEYS
        if unknown:
            self.fail(where, f"未知的键 {sorted(unknown)}")
        if not raw.get("label"):
            self.fail(where, "缺少 label")
        if raw.get("per_year") and ftype not in PER_YEAR_TYPES | {"matrix"}:
            self.fail(where, f"{ftype} 类型不能按年度填报")
        help_text = raw.get("help", "")
        help_text = self.help.get(help_text, help_text) if help_text else ""
        choices = self.choices(raw, ftype, where)
        blocks = {str(k): self.text(v, where) for k, v in (raw.get("blocks") or {}).items()}
        for answer in blocks:
            if answer not in {c[0] for c in choices}:
                self.fail(where, f"blocks 中的答案 {answer!r} 不在选项中")
        if (
            ftype == "derived"
            and raw.get("source") not in DERIVED_SOURCES
            and not str(raw.get("source", "")).startswith("field:")
        ):
            self.fail(where, f"未知的 source {raw.get('source')!r}")
        if ftype in {"longtext", "text_group"} and not raw.get("max_chars"):
            self.fail(where, "长文本需要 max_chars（字数上限）")
        field = Field(
            key=key,
            type=ftype,
            label=self.text(raw["label"], where),
            section=section,
            caption=self.text(raw.get("caption", ""), where),
            help=self.text(help_text, where),
            unit=self.text(raw.get("unit", "%" if ftype in {"ratio", "growth"} else ""), where),
            required=bool(raw.get("required", ftype not in {"derived"})),
            allow_none=bool(raw.get("allow_none", ftype in {"text", "longtext", "text_group"})),
            max_chars=raw.get("max_chars"),
            min=raw.get("min", 0 if ftype == "ratio" else None),
            max=raw.get("max", 100 if ftype == "ratio" else None),
            places=int(raw.get("places", 2)),
            choices=choices,
            per_year=bool(raw.get("per_year")),
            year_heading=self.text(raw.get("year_heading", ""), where),
            group=self.text(raw.get("group", ""), where),
            blocks=blocks,
            source=raw.get("source", ""),
            default=self.text(raw.get("default", ""), where),
            rows=self.pairs(raw.get("rows", ()), where),
            columns=self.columns(raw, ftype, where),
            row_heading=self.text(raw.get("row_heading", ""), where),
            cell_type=raw.get("cell_type", ""),
            parts=self.parts(raw, ftype, where),
            item_label=self.text(raw.get("item_label", ""), where),
            min_items=int(raw.get("min_items", 0)),
            qualitative=raw.get("qualitative") or {},
            require_each=raw.get("require_each", ""),
        )
        if isinstance(field.min, str):
            object.__setattr__(field, "min", self.text(field.min, where))
        if isinstance(field.max, str):
            object.__setattr__(field, "max", self.text(field.max, where))
        object.__setattr__(field, "cells", tuple(self.cells(field, where)))
        return field

    def choices(self, raw, ftype, where):
        if ftype == "yes_no":
            return YES_NO
        if ftype == "yes_no_na":
            return YES_NO_NA
        if ftype != "choice":
            return ()
        items = raw.get("choices") or ()
        if not items:
            self.fail(where, "choice 字段需要 choices")
        pairs = tuple((str(c), self.text(c, where)) if isinstance(c, str) else self.pair(c, where) for c in items)
        return pairs

    def pair(self, item, where):
        if not isinstance(item, list | tuple) or len(item) != 2:
            self.fail(where, f"选项应为 [值, 名称]，得到 {item!r}")
        return (str(item[0]), self.text(item[1], where))

    def pairs(self, items, where):
        return tuple(self.pair(i, where) for i in items)

    def columns(self, raw, ftype, where):
        if ftype == "matrix":
            if not raw.get("rows") or not raw.get("columns") or raw.get("cell_type") != "count":
                self.fail(where, "matrix 需要 rows、columns，cell_type 为 count")
            return self.pairs(raw["columns"], where)
        if ftype != "rows":
            return ()
        columns = []
        for i, col in enumerate(raw.get("columns") or ()):
            if not isinstance(col, dict) or not col.get("key") or col.get("type") not in {"choice", "text"}:
                self.fail(f"{where}.columns[{i}]", "列需要 key 和 type（choice 或 text）")
            col = dict(col)
            if col["type"] == "choice":
                if col.get("parent"):
                    col["choices"] = {str(k): [str(v) for v in vs] for k, vs in col["choices"].items()}
                else:
                    col["choices"] = [str(c) for c in col["choices"]]
            columns.append(col)
        if not columns:
            self.fail(where, "rows 字段需要 columns")
        keys = {c["key"] for c in columns}
        for col in columns:
            if col.get("parent") and col["parent"] not in keys:
                self.fail(where, f"列 {col['key']} 的 parent {col['parent']} 不存在")
        q = raw.get("qualitative") or {}
        for name in ("column", "numeric", "unit"):
            if q and q.get(name) not in keys:
                self.fail(where, f"qualitative.{name} 应为已有的列")
        if raw.get("require_each") and raw["require_each"] not in keys:
            self.fail(where, "require_each 应为已有的列")
        return tuple(columns)

    def parts(self, raw, ftype, where):
        if ftype != "text_group":
            return ()
        parts = raw.get("parts") or ()
        if not parts or any(not isinstance(p, list) or len(p) != 3 for p in parts):
            self.fail(where, "text_group 的 parts 应为 [键, 标题, 提示] 列表")
        return tuple((str(k), self.text(t, where), self.text(g, where)) for k, t, g in parts)

    def cells(self, f, where):
        """Expand a field into the cells a form posts and the rules check."""
        years = self.years if f.per_year else (None,)
        label = f.message_label
        if f.type == "matrix":
            for y in years:
                for rk, rl in f.rows:
                    for ck, cl in f.columns:
                        name = SEP.join([f.key, str(y), rk, ck])
                        yield Cell(name, f, "count", f"{y}年{rl}标准{cl}", year=y, row=rk, col=ck)
        elif f.type == "named_count":
            yield Cell(f"{f.key}{SEP}count", f, "count", f"{label}（数量）", part="count")
            yield Cell(f"{f.key}{SEP}names", f, "names", f"{label}（名称）", part="names")
        elif f.type == "text_group":
            for key, title, _ in f.parts:
                yield Cell(f"{f.key}{SEP}{key}", f, "longtext", title, part=key)
        else:
            kind = {"yes_no": "choice", "yes_no_na": "choice"}.get(f.type, f.type)
            for y in years:
                if y is None:
                    yield Cell(f.key, f, kind, label)
                else:
                    yield Cell(f"{f.key}{SEP}{y}", f, kind, f"{label}（{y}年）", year=y)

    def check_references(self, f):
        if f.source.startswith("field:") and f.source[6:] not in self.fields:
            self.fail(f"field {f.key}", f"source 引用了不存在的字段 {f.source[6:]}")

    def ref(self, key, where, types=None):
        if key not in self.fields:
            self.fail(where, f"引用了不存在的字段 {key!r}")
        if types and self.fields[key].type not in types:
            self.fail(where, f"字段 {key} 的类型 {self.fields[key].type} 不适用于此规则")
        return key

    def rule(self, raw, where):
        kind = raw.get("kind")
        if kind not in RULE_KINDS:
            self.fail(where, f"未知的规则类型 {kind!r}")
        for key in RULE_KINDS[kind]:
            if key not in raw:
                self.fail(where, f"{kind} 需要 {key}")
        if kind == "sum_equals":
            self.ref(raw["total"], where, {"decimal"})
            for p in raw["parts"]:
                self.ref(p, where, {"decimal"})
        else:
            self.ref(raw["start"], where, {"date"})
            self.ref(raw["end"], where, {"date"})
        return dict(raw)

    def warning(self, raw, where):
        kind = raw.get("kind")
        if kind not in WARNING_KINDS:
            self.fail(where, f"未知的提示类型 {kind!r}")
        for key in WARNING_KINDS[kind]:
            if key not in raw:
                self.fail(where, f"{kind} 需要 {key}")
        for key in ("stated", "numerator", "denominator", "values", "growth", "value", "limit"):
            if key in raw and not (kind == "abs_above" and key == "limit"):
                self.ref(raw[key], where, PER_YEAR_TYPES)
        for key in raw.get("fields", ()):
            self.ref(key, where, {"growth", "ratio", "decimal"})
        if raw.get("when") not in (None, "single_region"):
            self.fail(where, f"未知的条件 {raw['when']!r}")
        return dict(raw)

    def slot(self, raw, where, sections):
        for key in ("key", "label", "section", "types"):
            if key not in raw:
                self.fail(where, f"附件槽位需要 {key}")
        if raw["section"] not in sections | {"attachments"}:
            self.fail(where, f"附件所在节 {raw['section']!r} 不存在")
        bad = set(raw["types"]) - FILE_TYPES
        if bad:
            self.fail(where, f"不支持的文件类型 {sorted(bad)}")
        condition = raw.get("required_when")
        if condition:
            self.condition(condition, where)
        return Slot(
            key=raw["key"],
            label=self.text(raw["label"], where),
            section=raw["section"],
            types=tuple(raw["types"]),
            max_files=int(raw.get("max_files", 10)),
            required=bool(raw.get("required", not condition)),
            required_when=condition,
        )

    def condition(self, cond, where):
        if "any" in cond:
            for c in cond["any"]:
                self.condition(c, where)
            return
        self.ref(cond.get("field"), where)
        if "equals" not in cond and not cond.get("positive"):
            self.fail(where, "条件需要 equals 或 positive")
