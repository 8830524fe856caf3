"""A new call made by copying an earlier one: next year's guide and form, years shifted, nothing published.

The 工信厅 issues a call of the same series every year (the 2024 guide is number 四). Copying takes the
earlier call's guide and its current form (or its newest revision), moves every year they write out
by the difference in call years (calls/years.py; the form's relative years follow the call year by
themselves), and stores the form as the new call's first revision. The copy opens to nobody until
its window is set and a revision is published (authoring/editing.py).
"""

from accounts import scoping
from authoring.editing import AuthoringRefused, create_call
from calls.years import shift_years


def copy_call(source, user, *, year, code, name="", number_prefix="", is_example=False):
    """The new, unpublished call `code` for `year`, copied from `source`; audited."""
    if not scoping.may_author_calls(user):
        raise AuthoringRefused("只有自治区工业和信息化厅可以新建申报批次。")
    by = year - source.year
    revision = source.current_revision or source.revisions.order_by("-number").first()
    if revision is None:
        raise AuthoringRefused(f"“{source.name}”还没有申报书结构，不能复制。")

    def shifted(text):
        return shift_years(text, by, source.year)[0]

    schema_text, moved = shift_years(revision.source, by, source.year)
    return create_call(
        user,
        source=schema_text,
        origin=f"复制自“{source.name}”申报书结构第{revision.number}版" + (f"，年份顺延{by}年" if by else ""),
        audited={"copied_from": source.code, "revision": revision.number, "years_moved_in_schema": moved},
        code=code,
        name=name or shifted(source.name),
        year=year,
        guide_title=shifted(source.guide_title),
        guide_text=shifted(source.guide_text),
        number_prefix=number_prefix,
        is_example=is_example,
        copied_from=source,
    )
