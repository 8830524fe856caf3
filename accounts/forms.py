"""Forms for registration, registration review, login, password change and the accounts the 系统管理员 creates."""

from typing import cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UsernameField

from accounts.models import STAFF_ROLES, Organisation, Role, User
from accounts.validators import login_name, normalise_credit_code
from regions.models import Region
from security.backends import disabled_account
from shenbao.lib.forms import ChineseMessagesMixin, ShenbaoForm, ShenbaoModelForm

# A code that cannot be registered gets this whatever the reason (approved, waiting, rejected, disabled):
# the page does not confirm to a stranger which organisations have registered, nor in what state
# (docs/security.md, 注册与登录).
CREDIT_CODE_UNAVAILABLE = (
    "该统一社会信用代码不能用于新注册。如本单位已在平台注册，请直接用该代码登录；"
    "忘记密码或有其他疑问，请联系所属盟市工业和信息化局。"
)


class CreditCodeField(forms.CharField):
    def to_python(self, value):
        return normalise_credit_code(super().to_python(value) or "")

    def widget_attrs(self, widget):
        # Spaces and dashes are allowed while typing (they are removed), so the browser must not cut the
        # input at 18 characters; the length is checked after they go.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class LoginForm(ChineseMessagesMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码错误。连续输错5次，账号将被锁定30分钟。",
        "inactive": "该账号已停用，无法登录。如需恢复，请联系系统管理员。",
    }

    # Declared here, not relabelled after __init__, so the field's messages name it 账号 (ChineseMessagesMixin).
    # Its max_length is a check here (AuthenticationForm only sets the attribute): a longer name never reaches
    # authenticate(), where axes would store it in a 255-character column (a server error on PostgreSQL).
    username = UsernameField(
        max_length=User._meta.get_field("username").max_length,
        label="账号",
        help_text="申报单位使用统一社会信用代码登录。",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean_username(self):
        """A 信用代码 in any form registration accepts signs in as the stored one; staff names as typed."""
        return login_name(self.cleaned_data["username"])

    def get_invalid_login_error(self):
        account = disabled_account(self.request)
        if account is not None:  # the right password (security.backends): the person may be told
            return forms.ValidationError(disabled_message(account), code="inactive")
        from security.policy import current  # the 安全管理员's policy in force, not a fixed number

        rules = current()
        return forms.ValidationError(
            f"账号或密码错误。连续输错{rules.login_failure_limit}次，账号将被锁定{rules.lockout_minutes}分钟。",
            code="invalid_login",
        )


def disabled_message(account):
    """Who can enable a disabled account again: the 系统管理员; an applicant asks through its 盟市 too."""
    region = getattr(account.organisation, "region", None) if account.organisation_id else None
    if region is not None:
        return f"该账号已停用，无法登录。如需恢复，请联系{region.bureau_name}或系统管理员。"
    return LoginForm.error_messages["inactive"]


class ShenbaoPasswordChangeForm(ChineseMessagesMixin, PasswordChangeForm):
    """Django's password change, with the old password's and the confirmation's messages saying what to do."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "旧密码不正确，请重新输入当前使用的密码。",
        "password_mismatch": "两次输入的新密码不一致，请重新输入。",
    }


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

    def validate_unique(self):
        """Whether the code is taken is looked at last, once everything else on the form is right: a
        half-filled form says nothing about it, so finding out costs a whole valid registration, which the
        address's throttle counts. The answer is the same for every state the registration may be in."""
        if self.errors:
            return
        code = self.cleaned_data.get("credit_code", "")
        if code_unavailable(code):
            self.refuse_taken_code(code)

    taken_code = None  # the code refused for being taken, once it is (the view audits the attempt)

    def refuse_taken_code(self, code):
        self.taken_code = code
        self.add_error("credit_code", forms.ValidationError(CREDIT_CODE_UNAVAILABLE, code="unavailable"))


def code_unavailable(code):
    """A code another organisation holds, or an account's login name (an account may outlive its organisation
    record, and the code would sign in as it)."""
    return Organisation.objects.filter(credit_code=code).exists() or User.objects.filter(username=code).exists()


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
        error_messages = {
            "username": {
                "invalid": "登录账号只能包含字母、数字和 @ . + - _ 这几个符号，不能有空格，请修改。",
                "unique": "该登录账号已被使用，请换一个。",
            }
        }
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
