"""The 安全管理员's form for the security policy; the bounds live on the model's validators."""

from security.models import SecurityPolicy
from shenbao.lib.forms import ShenbaoModelForm


class SecurityPolicyForm(ShenbaoModelForm):
    class Meta:
        model = SecurityPolicy
        fields = SecurityPolicy.POLICY_FIELDS
