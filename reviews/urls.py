from django.urls import path

from reviews.views import bureau, changes, detail, expert, inbox, region

app_name = "reviews"

urlpatterns = [
    # 盟市工信局 and 自治区工信厅: the inbox and one application under review
    path("", inbox.inbox, name="inbox"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/changes/", changes.changes, name="changes"),
    path("<int:pk>/return/", detail.return_for_revision, name="return"),
    path("files/<slug:kind>/<int:file_id>/", detail.review_file, name="file"),
    # 盟市初审
    path("<int:pk>/site-visit/", bureau.site_visit, name="site_visit"),
    path("<int:pk>/recommend/", bureau.recommend, name="recommend"),
    # 会签 by a participating 盟市
    path("<int:pk>/countersign/", bureau.countersign, name="countersign"),
    # 自治区: 受理 and experts, scores, decision, 公示 and 立项, the timetable
    path("<int:pk>/accept/", region.accept, name="accept"),
    path("<int:pk>/scores/", region.scores, name="scores"),
    path("<int:pk>/experts/<int:review_pk>/withdraw/", region.withdraw_expert, name="withdraw_expert"),
    path("<int:pk>/scores.<slug:fmt>", region.scoresheet, name="scoresheet"),
    path("<int:pk>/decide/", region.decide, name="decide"),
    path("<int:pk>/establish/", region.establish, name="establish"),
    path("calls/<slug:code>/schedule/", region.schedule, name="schedule"),
    # 评审专家
    path("expert/", expert.tasks, name="expert_tasks"),
    path("expert/<int:review_pk>/", expert.review, name="expert_review"),
    path("expert/<int:review_pk>/declare/", expert.declare, name="expert_declare"),
]
