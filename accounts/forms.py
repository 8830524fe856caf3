"""Forms for registration, registration review, login and the accounts the 系统管理员 creates."""

from typing import cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import STAFF_ROLES, Organisation, Role, User
from accounts.validators import normalise_credit_code
from regions.models import Region
from shenbao.lib.forms import ChineseMessagesMixin, ShenbaoForm, ShenbaoModelForm


class CreditCodeField(forms.CharField):
    def to_python(self, value):
        return normalise_credit_code(super().to_python(value) or "")


class LoginForm(ChineseMessagesMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码错误。连续输错5次，账号将被锁定30分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "账号"
        self.fields["username"].error_messages["required"] = "请填写账号。"
        self.fields["username"].help_text = "申报单位使用统一社会信用代码登录。"
        self.fields["username"].widget.attrs.update(autocomplete="username")

    def get_invalid_login_error(self):
        from security.policy import current  # the 安全管理员's policy in force, not a fixed number

        rules = current()
        return forms.ValidationError(
            f"账号或密码错误。连续输错{rules.login_failure_limit}次，账号将被锁定{rules.lockout_minutes}分钟。",
            code="invalid_login",
        )


class OrganisationForm(ShenbaoModelForm):
    """The registration details an applicant fills in, and may correct while not yet approved."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "credit_code",
            "legal_representative",
            "address",
            "region",
            "contact_name",
            "contact_mobile",
            "email",
        ]
        field_classes = {"credit_code": CreditCodeField}
        labels = {"name": "单位名称（集群促进组织）", "region": "所属盟市（推荐单位）"}
        help_texts = {
            "credit_code": "18位，见营业执照或登记证书；注册后作为登录账号。",
            "region": "由该盟市（或满洲里市、二连浩特市）工业和信息化局审核注册并推荐申报。",
            "contact_mobile": "11位手机号码，用于接收审核结果通知。",
        }
        widgets = {
            "credit_code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "contact_mobile": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = cast(forms.ModelChoiceField, self.fields["region"])
        region.queryset = Region.objects.all()
        region.empty_label = "请选择"
        if self.instance.pk:
            # The code is the login name and the key other records hang on: it never changes.
            self.fields["credit_code"].disabled = True
            self.fields["credit_code"].help_text = "统一社会信用代码注册后不可修改。"


class RegistrationForm(OrganisationForm):
    password1 = forms.CharField(
        label="登录密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少8位，包含大写字母、小写字母、数字、特殊符号中的至少3类。",
    )
    password2 = forms.CharField(
        label="确认密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        if User.objects.filter(username=code).exists():
            raise forms.ValidationError(Organisation._meta.get_field("credit_code").error_messages["unique"])
        return code

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "两次输入的密码不一致。")
        elif password1:
            candidate = User(
                username=cleaned.get("credit_code", ""),
                email=cleaned.get("email", ""),
                full_name=cleaned.get("contact_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RegistrationReviewForm(ShenbaoForm):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "通过"), ("reject", "不通过")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="审核意见",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不通过时必须填写原因，申报单位将看到此意见并据此修改。",
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "请填写不通过的原因。")
        return cleaned


class StaffAccountForm(ShenbaoModelForm):
    """A 盟市工信局, 自治区工信厅 or 评审专家 account, created by the 系统管理员."""

    role = forms.ChoiceField(label="角色", choices=[(r.value, r.label) for r in STAFF_ROLES])

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "region", "affiliation", "mobile", "email"]
        labels = {"username": "登录账号", "email": "电子邮箱"}
        help_texts = {
            "username": "字母、数字或 @/./+/-/_，创建后不可修改。",
            "region": "盟市工信局账号必填；评审专家选填（用于回避本盟市的申报）。",
            "affiliation": "评审专家的工作单位。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["email"].required = True
        cast(forms.ModelChoiceField, self.fields["region"]).empty_label = "请选择"
        if self.instance.pk:
            self.fields["username"].disabled = True

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("role") == Role.BUREAU and not cleaned.get("region"):
            self.add_error("region", "盟市工信局账号必须选择所属盟市。")
        if cleaned.get("role") == Role.DEPARTMENT:
            cleaned["region"] = None
        return cleaned
