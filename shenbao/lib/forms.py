"""The project's base forms: every error a field can raise says, in Chinese and by the field's name, what to
fix; a single-valued field posted more than once is refused. Every form that takes a POST derives from
ShenbaoForm or ShenbaoModelForm; the GET filters use ChineseFieldMessagesMixin alone (a filter is lenient
about a repeated parameter).

Django's own zh-hans messages are generic ("这个字段是必填项。"), some echo the posted value back (all 10,000
characters of it), and some are wrong ("不允许是用空字符串。" for a NUL character) or missing (Django 5.2's
"password too short" has no zh-hans translation): so each of Django's sentences is replaced by ours for its
error code, built from the field's label. A sentence the form, a validator or the model wrote is kept.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.functional import Promise

DUPLICATED = "该项提交了多个值，请刷新页面后重新填写。"

# C0 control characters other than tab, line feed and carriage return, and DEL: nobody types them, they
# arrive by a pasted page break or a hand-made request, and no document or workbook may contain them.
# NUL is Django's own check (ProhibitNullCharactersValidator); this one covers the rest.
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS_CODE = "control_characters"


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


def field_name(field):
    """The field's label as a sentence names it: 单位名称（集群促进组织） → 单位名称; 该项 without a label."""
    label = str(field.label or "").strip().rstrip("：:")
    return re.sub(r"（[^（）]*）$", "", label) or "该项"


def _invalid_message(field, name):
    """The sentence for code "invalid", which means something different for each kind of field."""
    kinds = [
        (forms.DateTimeField, f"{name}请按“年-月-日 时:分”填写，例如 2024-06-18 09:30。"),
        (forms.DateField, f"{name}请按“年-月-日”填写，例如 2024-06-18。"),
        (forms.TimeField, f"{name}请按“时:分”填写，例如 09:30。"),
        (forms.DurationField, f"{name}请按“天 时:分:秒”填写，例如 3 00:00:00。"),
        (forms.DecimalField, f"{name}请填写数字，例如 12.50，不要带单位或逗号。"),
        (forms.FloatField, f"{name}请填写数字，例如 12.50，不要带单位或逗号。"),
        (forms.IntegerField, f"{name}请填写整数，只用数字 0–9，不要带单位或小数点。"),
        (forms.EmailField, f"{name}格式不正确，请填写完整的电子邮箱地址，例如 name@example.com。"),
        (forms.SlugField, f"{name}只能包含英文字母、数字、连字符（-）和下划线（_）。"),
        (forms.URLField, f"{name}请填写以 http:// 或 https:// 开头的完整网址。"),
        (forms.GenericIPAddressField, f"{name}请填写有效的 IP 地址，例如 192.168.1.10。"),
        (forms.FileField, f"未能读取上传的{name}，请重新选择文件后提交。"),
        (forms.MultipleChoiceField, f"请从列表中选择{name}。"),
    ]
    for kind, message in kinds:
        if isinstance(field, kind):
            return message
    return f"{name}的格式不正确，请对照说明检查后重新填写。"


def chinese_message(field, code):
    """Our sentence for error `code` of `field`, or None for a code we do not know (Django's stays)."""
    name = field_name(field)
    if code == "required":  # the whole label here: 请填写单位名称（集群促进组织）。
        label = str(field.label or "").strip().rstrip("：:") or "该项"
        if isinstance(field, forms.FileField):
            return f"请上传{label}。"
        if isinstance(field, forms.BooleanField):
            return f"请勾选{label}。"
        return f"请选择{label}。" if isinstance(field, forms.ChoiceField) else f"请填写{label}。"
    if code == "invalid":
        return _invalid_message(field, name)
    if code == "max_length":
        if isinstance(field, forms.FileField):  # the file's name, with params max and length
            return f"{name}的文件名最多 %(max)d 个字，现为 %(length)d 个字，请改短文件名后重新上传。"
        return f"{name}最多 %(limit_value)d 个字，现为 %(show_value)d 个字，请删减后重新提交。"
    invisible = f"{name}含有不可见的控制字符，请删除后重新填写（看不到时可清空本项后重新输入）。"
    messages = {
        "min_length": f"{name}至少 %(limit_value)d 个字，现为 %(show_value)d 个字，请补充完整。",
        "null_characters_not_allowed": invisible,
        CONTROL_CHARACTERS_CODE: invisible,
        "invalid_choice": f"请从列表中选择{name}。",
        "invalid_list": f"请从列表中选择{name}。",
        "invalid_pk_value": f"请从列表中选择{name}；所选项已不存在时，请刷新页面后重新选择。",
        "min_value": f"{name}不能小于 %(limit_value)s，请修改。",
        "max_value": f"{name}不能大于 %(limit_value)s，请修改。",
        "step_size": f"{name}须为 %(limit_value)s 的整数倍，请修改。",
        "max_digits": f"{name}最多 %(max)s 位数字，请修改。",
        "max_decimal_places": f"{name}最多保留 %(max)s 位小数，请修改。",
        "max_whole_digits": f"{name}的整数部分最多 %(max)s 位，请修改。",
        "overflow": f"{name}超出了可以表示的范围，请检查年份或数值后重新填写。",
        "missing": f"未收到{name}，请重新选择文件后提交。",
        "empty": f"上传的{name}是空文件（0 字节），请检查文件后重新上传。",
        "contradiction": f"请在上传新的{name}和清除已有文件中只选一项。",
        "invalid_image": f"上传的{name}不是可识别的图片，请上传 JPG 或 PNG 图片。",
        "unique": f"该{name}已被使用，请换一个。",
    }
    return messages.get(code)


def refuse_control_characters(value):
    if isinstance(value, str) and "\x00" not in value and CONTROL_CHARACTERS.search(value):
        # NUL is Django's own check; one message is enough for a value with both.
        raise ValidationError("含有不可见的控制字符。", code=CONTROL_CHARACTERS_CODE)


def _is_djangos(message):
    """Django's messages are lazy translations; a sentence written in this project is a plain str."""
    return isinstance(message, Promise)


class ChineseFieldMessagesMixin:
    """Each field's errors in Chinese, naming the field and what to fix (请填写单位名称。 单位名称最多 100 个字，
    现为 500 个字，请删减后重新提交。).

    Only Django's own sentences are replaced, as each error is added to the form: a sentence the form, a
    validator or the model wrote (a plain str, where Django's are lazy translations) is kept as written.
    The field's error_messages are left alone on purpose: Django puts those over a model validator's own
    sentence with the same code (a security policy's "请填写 5 至 30 之间的整数" would become "不能小于 0")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and refuse_control_characters not in field.validators:
                field.validators.append(refuse_control_characters)

    def add_error(self, field, error):
        if isinstance(error, ValidationError):
            if hasattr(error, "error_dict"):  # a ModelForm's model validation, by field
                for name, errors in error.error_dict.items():
                    self._in_our_words(name, errors)
            else:
                self._in_our_words(field, error.error_list)
        return super().add_error(field, error)

    def _in_our_words(self, name, errors):
        field = self.fields.get(name) if name else None
        if field is None:
            return
        for error in errors:
            code = getattr(error, "code", None)
            if _is_djangos(error.message) or code == CONTROL_CHARACTERS_CODE:
                error.message = chinese_message(field, code) or error.message


class ChineseMessagesMixin(ChineseFieldMessagesMixin):
    """The POST forms' base: Chinese messages, and a single-valued field posted more than once is refused
    next to that field, and nothing is taken from it."""

    required_css_class = "required"
    error_css_class = "has-error"

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


class ShenbaoForm(ChineseMessagesMixin, forms.Form):
    pass


class ShenbaoModelForm(ChineseMessagesMixin, forms.ModelForm):
    pass


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database column can hold before it reaches the query: SQLite raises
    OverflowError on `IN (…)` with one (a 500), where a single choice's `=` is answered "no such row"."""

    def _check_values(self, value):
        key = self.queryset.model._meta.get_field(self.to_field_name) if self.to_field_name else None
        key = key or self.queryset.model._meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            low, high = connection.ops.integer_field_range(key.get_internal_type())
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    continue  # Django's own check names it
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)
