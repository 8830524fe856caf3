"""A call's `expertise:` section: which 专业领域 (calls/expertise.py) match an application, read from
the 主导产业 it declares, for the random draw of experts (reviews/draws.py).

    expertise:
      field: industry_type        # a choice field; each choice names its fields
      choices: {第二产业: [equipment, …]}
      keywords:                   # words in the application's title (集群名称 names its 主导产业)
        稀土: [rare_earth, new_materials]
      always: [economics]         # every panel needs these

Checked at load: the field exists and is a choice, every choice named is one of its choices, every
code is in the taxonomy.
"""

from dataclasses import dataclass

from calls import expertise as taxonomy

EXPERTISE_KEYS = {"field", "choices", "keywords", "always"}


@dataclass(frozen=True)
class Expertise:
    field: str
    choices: tuple  # (choice value, (codes…))
    keywords: tuple  # (word, (codes…)), in the order written
    always: tuple = ()

    def codes_for(self, data: dict, title: str = "") -> list[str]:
        """The field codes an application's answers call for, in the taxonomy's order."""
        codes = set(self.always)
        codes.update(*(c for value, c in self.choices if value == data.get(self.field)))
        codes.update(*(c for word, c in self.keywords if word in (title or "")))
        return taxonomy.ordered(codes)


def _codes(builder, raw, where):
    if not isinstance(raw, list) or not raw:
        builder.fail(where, "应列出专业领域代码")
    for code in raw:
        if code not in taxonomy.LABELS:
            builder.fail(where, f"没有这个专业领域代码：{code!r}（见 calls/expertise.py）")
    return tuple(raw)


def build_expertise(builder, raw, fields):
    """The `expertise:` section, or None when the call has none (then the officer picks fields by hand)."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or "field" not in raw:
        builder.fail("expertise", "应包含 field（主导产业字段）")
    if set(raw) - EXPERTISE_KEYS:
        builder.fail("expertise", f"未知的键：{', '.join(sorted(set(raw) - EXPERTISE_KEYS))}")
    key = raw["field"]
    field = fields.get(key)
    if field is None or field.type != "choice":
        builder.fail("expertise", f"field 应为单选字段的键，得到 {key!r}")
    offered = {c[0] if isinstance(c, list | tuple) else c for c in field.choices or ()}
    choices = []
    for value, codes in (raw.get("choices") or {}).items():
        if value not in offered:
            builder.fail("expertise.choices", f"{key} 没有这个选项：{value!r}")
        choices.append((value, _codes(builder, codes, f"expertise.choices.{value}")))
    keywords = tuple(
        (str(word), _codes(builder, codes, f"expertise.keywords.{word}"))
        for word, codes in (raw.get("keywords") or {}).items()
    )
    always = _codes(builder, raw["always"], "expertise.always") if raw.get("always") else ()
    return Expertise(field=key, choices=tuple(choices), keywords=keywords, always=always)
