"""The applicant's overview says where the application stands: one sentence for each state, and no other."""

import pytest
from django.urls import reverse

from applications.models import Application, Status

WHERE_IT_STANDS = {
    Status.SUBMITTED: "撤回申报书",
    Status.RETURNED: "申报书已被退回",
    Status.RECOMMENDED: "等待自治区受理（形式审查）",
    Status.UNDER_REVIEW: "正在组织专家评审",
    Status.AWAITING_DECISION: "等待自治区工业和信息化厅研究决定",
    Status.PUBLICISING: "正在公示",
    Status.NOT_SUPPORTED: "本次申报未获支持",
    Status.APPROVED: "本申报已立项",
}


@pytest.mark.parametrize("status", Status)
def test_the_overview_tells_the_applicant_where_its_application_stands(client, applicant, draft, status):
    Application.objects.filter(pk=draft.pk).update(status=status)
    client.force_login(applicant)

    page = client.get(reverse("applications:overview", args=[draft.pk])).content.decode()

    assert [state for state, sentence in WHERE_IT_STANDS.items() if sentence in page] == (
        [status] if status in WHERE_IT_STANDS else []
    )
