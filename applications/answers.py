"""核对填报内容: every section's answers in a line each, for the applicant to read once before 确认提交.

The fields come from the call's schema, in its order; a table is summed up (三年的数值, 已填 N 项), a long
text shortened with its 字数, so a whole application fits on one screen per section.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator

from applications.records import answered, attachment_counts, context_of
from calls.schema.model import ATTACHMENTS_SECTION
from calls.schema.report import derived_value
from calls.schema.values import count_chars

NOT_ANSWERED = "未填写"
EXCERPT_CHARS = 30  # of a long text, enough to recognise it


@dataclass
class Answer:
    label: str
    text: str


@dataclass
class SectionAnswers:
    key: str
    heading: str
    url: str  # the section's page, for 修改
    answers: list


def answer_summary(application):
    """SectionAnswers for every page of the form, the attachments last, each answer as one short text."""
    schema, data = application.schema, application.data
    context = context_of(application)
    summary = []
    for section in schema.sections:
        answers = [Answer(f.label, _answer(f, data, context, schema)) for f in section.fields]
        url = reverse("applications:section", args=[application.pk, section.key])
        summary.append(SectionAnswers(section.key, section.heading, url, answers))
    files = attachment_counts(application)
    answers = [Answer(s.label, f"{files[s.key]} 个文件" if s.key in files else "未上传") for s in schema.slots]
    url = reverse("applications:attachments", args=[application.pk])
    summary.append(SectionAnswers(ATTACHMENTS_SECTION, schema.section_title(ATTACHMENTS_SECTION), url, answers))
    return summary


def _answer(field, data, context, schema):
    text = _text(field, data, context, schema)
    return f"{NOT_ANSWERED}（选填）" if text == NOT_ANSWERED and not field.required else text


def _text(field, data, context, schema):
    """One field's answer in words; "未填写" when nothing is there."""
    if field.type == "derived":
        return str(derived_value(field, data, context, schema) or NOT_ANSWERED)
    values = {c.name: data.get(c.name) for c in field.cells}
    if field.type == "matrix":
        filled = [v for v in values.values() if answered(v)]
        total = sum(int(v) for v in filled if str(v).isdigit())
        return f"已填 {len(filled)} / {len(values)} 项，合计 {total} {field.unit}".rstrip() if filled else NOT_ANSWERED
    if field.per_year:
        parts = [f"{c.year}年 {_number(values[c.name], field.unit)}" for c in field.cells if answered(values[c.name])]
        return "；".join(parts) or NOT_ANSWERED
    if field.type == "text_group":
        texts = [str(v) for v in values.values() if answered(v)]
        if not texts:
            return NOT_ANSWERED
        return f"已填 {len(texts)} / {len(values)} 部分，共 {sum(count_chars(t) for t in texts)} 字"
    if field.type == "named_count":
        count, names = values.get(f"{field.key}__count"), values.get(f"{field.key}__names") or []
        named = "、".join(str(n) for n in names if n)
        return f"{_number(count, field.unit)}{'：' + Truncator(named).chars(EXCERPT_CHARS) if named else ''}"
    value = values[field.cells[0].name]
    if not answered(value):
        return NOT_ANSWERED
    if field.type == "longtext":
        text = str(value)
        return f"{Truncator(text).chars(EXCERPT_CHARS)}（{count_chars(text)} 字）"
    if field.type == "regions":
        return "、".join(context.regions.get(code, code) for code in value)
    if field.type in ("rows", "text_list"):
        return f"{len(value)} {'条' if field.type == 'text_list' else '行'}"
    if field.type == "accept":
        return "已确认"
    if field.choices:
        return dict(field.choices).get(value, str(value))
    if field.cells[0].is_numeric:
        return _number(value, field.unit)
    return str(value)


def _number(value, unit):
    if not answered(value):
        return NOT_ANSWERED
    if value == "无" or not unit:
        return str(value)
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"
