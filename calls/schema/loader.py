"""Read a call schema's text (a stored revision, or a repository file), check every entry, build the Schema.

A broken schema is refused with the entry that is wrong named, when it is uploaded and when a
repository file is checked at start-up (calls/checks.py), so a typo never reaches an applicant.
"""

import functools
import hashlib
import inspect
from collections import OrderedDict
from pathlib import Path

import yaml

from calls.schema.expertise import build_expertise
from calls.schema.model import (
    ATTACHMENTS_SECTION,
    COMMITMENT,
    COUNTERSIGN_OPTIONAL,
    COUNTERSIGN_POLICIES,
    COUNTERSIGN_REQUIRED,
    NUMERIC_KINDS,
    PERFORMANCE,
    REPORT,
    ROLES,
    SECTION_DOCUMENTS,
    SEP,
    Cell,
    Field,
    Schema,
    Section,
    Slot,
)
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
    "require_each", "roles", "cover", "print",
}  # fmt: skip
SECTION_KEYS = {"key", "title", "number", "intro", "document", "fields"}
# The schema language's own words at the top of a document.
REQUIRED_DOCUMENT_KEYS = ("code", "version", "title", "sections", "commitment", "attachments")
DOCUMENT_KEYS = {
    *REQUIRED_DOCUMENT_KEYS, "subject", "project_name", "department", "notes", "help", "rules", "warnings",
    "rubric", "statistics", "summary", "expertise", "countersign",
}  # fmt: skip
# What each role needs of its field: its types, and whether every call must mark one.
ROLE_TYPES = {
    "title": ({"text"}, True),
    "contact_name": ({"text"}, False),
    "contact_phone": ({"phone", "text"}, False),
    "category": ({"choice", "yes_no", "yes_no_na"}, False),
    "headline": (NUMERIC_KINDS, False),
    "spine": ({"text"}, False),
    "requested": ({"decimal"}, False),
}
YES_NO = (("是", "是"), ("否", "否"))
YES_NO_NA = (*YES_NO, ("不涉及", "不涉及"))


class SchemaError(Exception):
    """The schema file has an entry the engine cannot use; the message names it."""


def _names_its_entry(method):
    """Any other failure while reading an entry (a list where a mapping belongs, a number where text does)
    becomes a SchemaError naming that entry: an uploaded schema is answered with a sentence, never a crash."""
    signature = inspect.signature(method)

    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except SchemaError:
            raise
        except KeyError as exc:
            where = signature.bind(self, *args, **kwargs).arguments.get("where", "(top)")
            self.fail(where, f"缺少 {exc}")
        except (TypeError, AttributeError, ValueError, IndexError):
            where = signature.bind(self, *args, **kwargs).arguments.get("where", "(top)")
            self.fail(where, "写法不对，无法读取：请检查该项的格式（列表、键值结构、文字或数字）")

    return read


def available_schemas():
    """The schema files in the repository: the seeds data migrations and engineers start calls from."""
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.yaml"))


def schema_file(code: str) -> str:
    """The text of the repository's schema file `code` (calls/schemas/<code>.yaml)."""
    path = SCHEMA_DIR / f"{code}.yaml"
    if not path.exists():
        raise SchemaError(f"没有找到申报书结构文件 {path.name}")
    return path.read_text(encoding="utf-8")


def load_schema(code: str, year: int) -> Schema:
    """A repository schema file built for `year`; calls read their stored revision instead (calls.revisions)."""
    return build_schema(schema_file(code), year, f"{code}.yaml")


def digest_of(source: str) -> str:
    """The SHA-256 of a schema's text, as every submitted version records it."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: a schema never needs them, and nested aliases ("billion laughs")
    would make one uploaded text expand into more entries than memory holds."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.constructor.ConstructorError(None, None, "不支持 YAML 别名（*…），请写出完整内容", mark)
        return super().compose_node(parent, index)


def parse_source(source: str, name: str = "申报书结构") -> dict:
    """The YAML text as the mapping the builder reads; a syntax error names its line."""
    try:
        doc = yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 -- a SafeLoader that also refuses aliases
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SchemaError(f"{name} {where}: YAML 格式错误：{problem}") from exc
    return doc


# Built schemas by (digest, year): a text never changes under its digest, so nothing here goes stale.
_BUILT: OrderedDict = OrderedDict()
_KEEP = 64


def schema_for(digest: str, year: int, read_source, name: str = "申报书结构") -> Schema:
    """The Schema of the text whose SHA-256 is `digest`, for `year`; `read_source()` is called only when
    it was not built yet, and its text must have that digest (a stored revision changed behind our back
    is refused, never built)."""
    key = (digest, year)
    schema = _BUILT.get(key)
    if schema is None:
        source = read_source()
        if digest_of(source) != digest:
            raise SchemaError(f"{name}：内容与其 SHA-256 摘要不符，可能已被改动，拒绝使用。")
        schema = _Builder(name, year, digest).build(parse_source(source, name))
        _BUILT[key] = schema
        while len(_BUILT) > _KEEP:
            _BUILT.popitem(last=False)
    return schema


def forget():
    """Drop every built schema, so the next use reads and checks each text again (a new process does too)."""
    _BUILT.clear()


def build_schema(source: str, year: int, name: str = "申报书结构") -> Schema:
    """The immutable Schema a text declares, for the call year `year`; SchemaError names a bad entry."""
    return schema_for(digest_of(source), year, lambda: source, name)


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

    def text(self, value, where=""):
        if value is None:
            return ""
        if not isinstance(value, str | int | float):
            self.fail(where, f"应为文字，得到 {value!r}")
        value = str(value)
        try:
            return value.format(**self.texts)
        except (KeyError, IndexError, ValueError) as exc:
            self.fail(where, f"文字中的占位符无法识别：{exc}")

    @_names_its_entry
    def build(self, doc):
        if not isinstance(doc, dict):
            self.fail("(top)", "应为键值结构")
        for key in REQUIRED_DOCUMENT_KEYS:
            if key not in doc:
                self.fail("(top)", f"缺少 {key}")
        if set(doc) - DOCUMENT_KEYS:
            self.fail("(top)", f"未知的键 {sorted(set(doc) - DOCUMENT_KEYS)}")
        for key in ("sections", "attachments"):
            if not isinstance(doc[key], list):
                self.fail(key, "应为列表")
        help_texts = doc.get("help") or {}
        if not isinstance(help_texts, dict):
            self.fail("help", "应为键值结构")
        self.help = {k: self.text(v, f"help.{k}") for k, v in help_texts.items()}
        sections, seen = [], set()
        for i, raw in enumerate(doc["sections"]):
            section = self.section(raw, f"sections[{i}]")
            if section.key in seen:
                self.fail(f"sections[{i}]", f"节 {section.key} 重复")
            seen.add(section.key)
            sections.append(section)
        for document in (PERFORMANCE, COMMITMENT):
            if sum(s.document == document for s in sections) > 1:
                self.fail("sections", f"只能有一节的 document 为 {document}（{SECTION_DOCUMENTS[document]}）")
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
        self.check_roles()
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
            expertise=build_expertise(self, doc.get("expertise"), fields),
            **self.summary(doc.get("summary") or ()),
            subject=self.text(doc.get("subject") or "项目", "subject"),
            countersign=self.countersign(doc.get("countersign", COUNTERSIGN_OPTIONAL)),
        )
        if len({s.key for s in schema.slots}) != len(schema.slots):
            self.fail("attachments", "附件槽位键重复")
        return schema

    def countersign(self, value):
        """会签: required, optional or none (calls/schema/model.py)."""
        if value not in COUNTERSIGN_POLICIES:
            self.fail("countersign", f"应为 {'、'.join(COUNTERSIGN_POLICIES)} 之一，得到 {value!r}")
        if value == COUNTERSIGN_REQUIRED and not any(f.type == "regions" for f in self.fields.values()):
            self.fail("countersign", "申报书没有 regions（参与盟市）字段，不能要求会签")
        return value

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

    @_names_its_entry
    def section(self, raw, where):
        if not isinstance(raw, dict) or "key" not in raw or "title" not in raw:
            self.fail(where, "每一节需要 key 和 title")
        key = raw["key"]
        where = f"{where} (key={key})"
        if not isinstance(key, str) or not key.isidentifier() or key == ATTACHMENTS_SECTION:
            self.fail(where, f"节的 key 应为标识符，且不能是 {ATTACHMENTS_SECTION}")
        if set(raw) - SECTION_KEYS:
            self.fail(where, f"未知的键 {sorted(set(raw) - SECTION_KEYS)}")
        document = raw.get("document", REPORT)
        if document not in SECTION_DOCUMENTS:
            self.fail(where, f"document 应为 {'、'.join(SECTION_DOCUMENTS)} 之一，得到 {document!r}")
        fields = tuple(self.field(f, key, f"{where}.fields[{i}]") for i, f in enumerate(raw.get("fields") or ()))
        if not fields:
            self.fail(where, "没有字段")
        return Section(
            key=key,
            title=self.text(raw["title"], where),
            number=self.text(raw.get("number", ""), where),
            intro=self.text(raw.get("intro", ""), where),
            document=document,
            fields=fields,
        )

    @_names_its_entry
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
        if raw.get("cover") and ftype not in SUMMARY_TYPES | {"derived"}:
            self.fail(where, f"{ftype} 类型的字段不能印在封面上（封面每项只有一个值）")
        if not isinstance(raw.get("print", True), bool):
            self.fail(where, "print 应为 true 或 false")
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
            places=self.whole(raw, "places", 2, where),
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
            min_items=self.whole(raw, "min_items", 0, where),
            qualitative=raw.get("qualitative") or {},
            require_each=raw.get("require_each", ""),
            roles=self.roles(raw.get("roles"), where),
            cover=self.text(raw.get("cover", ""), where),
            printed=bool(raw.get("print", True)),
        )
        if isinstance(field.min, str):
            object.__setattr__(field, "min", self.text(field.min, where))
        if isinstance(field.max, str):
            object.__setattr__(field, "max", self.text(field.max, where))
        object.__setattr__(field, "cells", tuple(self.cells(field, where)))
        return field

    def whole(self, raw, key, default, where):
        """An entry that must be a whole number ≥ 0 (places, min_items, max_files)."""
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(where, f"{key} 应为不小于 0 的整数，得到 {value!r}")
        return value

    def roles(self, raw, where):
        if raw is None:
            return ()
        if not isinstance(raw, list) or any(r not in ROLES for r in raw):
            self.fail(where, f"roles 应为以下用途的列表：{'、'.join(ROLES)}，得到 {raw!r}")
        return tuple(raw)

    def check_roles(self):
        """Each role names at most one field of a type it can use; every call names its `title`."""
        for role, (types, required) in ROLE_TYPES.items():
            marked = [f for f in self.fields.values() if role in f.roles]
            if required and not marked:
                why = "各列表和文档以它称呼每份申报"
                self.fail("roles", f"须有一个字段的用途为“{ROLES[role]}”（roles: [{role}]）：{why}")
            if len(marked) > 1:
                self.fail(
                    "roles", f"只能有一个字段标为 {role}（{ROLES[role]}），现有 {', '.join(f.key for f in marked)}"
                )
            for f in marked:
                if f.type not in types:
                    self.fail(f"field {f.key}", f"{f.type} 类型的字段不能标为 {role}（{ROLES[role]}）")
        regions = [f.key for f in self.fields.values() if f.type == "regions"]
        if len(regions) > 1:
            self.fail("sections", f"只能有一个 regions（参与盟市）字段，现有 {', '.join(regions)}")

    @_names_its_entry
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

    @_names_its_entry
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
                if not col.get("choices") or not isinstance(col["choices"], dict if col.get("parent") else list):
                    self.fail(f"{where}.columns[{i}]", "选择列需要 choices（有 parent 时为按上级选项分组的键值结构）")
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

    @_names_its_entry
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

    @_names_its_entry
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

    @_names_its_entry
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
        if kind in ("per_capita", "ratio_vs_stated"):
            self.quotient(raw, where)
        elif "hint" in raw:
            self.fail(
                where, f"{kind} 不能写 hint：只有按公式计算的核对（per_capita、ratio_vs_stated）能在填写时显示计算值"
            )
        return dict(raw)

    def quotient(self, raw, where):
        """A figure computed from other cells: tolerance `rounding` (±0.005) or a number ≥ 0; hint shows {computed}."""
        tolerance = raw["tolerance"]
        if tolerance != "rounding" and (
            isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0
        ):
            self.fail(
                where, f"tolerance 应为 rounding（按两位小数四舍五入，±0.005）或不小于 0 的数，而不是 {tolerance!r}"
            )
        if raw["kind"] == "per_capita" and (
            isinstance(raw["scale"], bool) or not isinstance(raw["scale"], int | float) or raw["scale"] <= 0
        ):
            self.fail(where, f"scale 应为大于 0 的数，而不是 {raw['scale']!r}")
        per_year = raw["kind"] == "ratio_vs_stated"  # per_capita: one value each; ratio_vs_stated: year by year
        for key in ("stated", "numerator", "denominator"):
            if self.fields[raw[key]].per_year != per_year:
                self.fail(
                    where, f"{raw['kind']} 的字段 {raw[key]} {'应' if per_year else '不应'}按年度填报（per_year）"
                )
        hint = raw.get("hint")
        if hint is not None:
            if not isinstance(hint, str) or "{computed}" not in hint:
                self.fail(where, "hint 应为文字，并用 {computed} 标出计算值，如“按填报数据计算约为 {computed}”")
            try:
                hint.format(computed="0.00")
            except (KeyError, IndexError, ValueError):
                self.fail(where, "hint 只能使用占位符 {computed}")

    @_names_its_entry
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
            max_files=self.whole(raw, "max_files", 10, where),
            required=bool(raw.get("required", not condition)),
            required_when=condition,
        )

    @_names_its_entry
    def condition(self, cond, where):
        if "any" in cond:
            for c in cond["any"]:
                self.condition(c, where)
            return
        self.ref(cond.get("field"), where)
        if "equals" not in cond and not cond.get("positive"):
            self.fail(where, "条件需要 equals 或 positive")
