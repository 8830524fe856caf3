"""The project's base forms: an empty required field says what to fill in, and a single-valued field
posted more than once is refused. Every form that takes a POST derives from ShenbaoForm or ShenbaoModelForm."""

from django import forms

DUPLICATED = "该项提交了多个值，请刷新页面后重新填写。"


def posted_more_than_once(data, names):
    """Those of `names` that `data` (a QueryDict or MultiValueDict) holds more than one value for.

    A page never sends a single-valued field twice; a request that does was made by hand, and which
    value a parser keeps is an accident, so neither is taken.
    """
    getlist = getattr(data, "getlist", None)
    if getlist is None:  # a plain dict (tests, internal callers) cannot repeat a key
        return []
    return [name for name in names if len(getlist(name)) > 1]


def _takes_several_values(field):
    widget = field.widget
    return (
        getattr(widget, "allow_multiple_selected", False)  # SelectMultiple, checkboxes, multiple file inputs
        or isinstance(widget, forms.MultipleHiddenInput)
        or isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    )


class ChineseMessagesMixin:
    """An empty required field says what to fill in (请填写单位名称), not a generic sentence; a
    single-valued field posted more than once is refused next to that field, and nothing is taken from it."""

    required_css_class = "required"
    error_css_class = "has-error"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.error_messages["required"] is not _default_message(field, "required"):
                continue  # the form wrote its own sentence for this field (请上传盖章的推荐文件。)
            verb = "请选择" if isinstance(field, forms.ChoiceField) else "请填写"
            field.error_messages["required"] = f"{verb}{field.label}。"

    def duplicated_fields(self):
        """The names of the single-valued fields the request sent more than once (MultiWidget parts included)."""
        found = []
        for name, field in self.fields.items():
            if field.disabled or _takes_several_values(field):
                continue  # a disabled field's posted value is ignored anyway
            key = self.add_prefix(name)
            widget = field.widget
            keys = [key + suffix for suffix in widget.widgets_names] if isinstance(widget, forms.MultiWidget) else [key]
            if posted_more_than_once(self.data, keys) or posted_more_than_once(self.files, keys):
                found.append(name)
        return found

    def _clean_fields(self):
        # Before the form's clean() and a ModelForm's construct_instance, so no later step sees either value.
        super()._clean_fields()
        for name in self.duplicated_fields():
            self.add_error(name, DUPLICATED)


def _default_message(field, code):
    """The message Django's field classes give `code`, unless the form passed its own."""
    for cls in type(field).__mro__:
        if code in getattr(cls, "default_error_messages", {}):
            return cls.default_error_messages[code]
    return None


class ShenbaoForm(ChineseMessagesMixin, forms.Form):
    pass


class ShenbaoModelForm(ChineseMessagesMixin, forms.ModelForm):
    pass
