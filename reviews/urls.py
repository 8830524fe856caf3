from django.urls import path

from reviews.views import bureau, changes, detail, draws, expert, inbox, pool, publicity, region

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
    # 自治区: 异议, 不予支持 on an objection found 成立, and the documents of 公示 and 立项
    path("<int:pk>/objections/<int:objection_pk>/answer/", publicity.answer_objection, name="answer_objection"),
    path("<int:pk>/objections/<int:objection_pk>/file/", publicity.objection_file, name="objection_file"),
    path("<int:pk>/revoke/", publicity.revoke, name="revoke"),
    path("<int:pk>/notice.<slug:fmt>", publicity.notice, name="notice"),
    path("calls/<slug:code>/results.<slug:fmt>", publicity.results, name="results"),
    path("calls/<slug:code>/publicity.<slug:fmt>", publicity.publicity_text, name="publicity_text"),
    path("calls/<slug:code>/established.<slug:fmt>", publicity.establishment_list, name="establishment_list"),
    # 随机抽取 and its 专家抽取记录
    path("<int:pk>/draw/", draws.draw_new, name="draw"),
    path("draws/<int:draw_pk>/", draws.record, name="draw_record"),
    path("draws/<int:draw_pk>/verify/", draws.verify, name="draw_verify"),
    path("draws/<int:draw_pk>/record.<slug:fmt>", draws.document, name="draw_document"),
    path("draws/<int:draw_pk>/group/", draws.group_page, name="group"),
    path("draws/<int:draw_pk>/leader/", draws.leader, name="group_leader"),
    path("draws/<int:draw_pk>/opinions.<slug:fmt>", draws.opinions, name="group_opinions"),
    # 专家库 (the 自治区's)
    path("experts/", pool.pool_list, name="pool"),
    path("experts/add/", pool.pool_add, name="pool_add"),
    path("experts/import/", pool.pool_import, name="pool_import"),
    path("experts/export.xlsx", pool.pool_export, name="pool_export"),
    path("experts/<int:pk>/", pool.pool_edit, name="pool_edit"),
    path("experts/<int:pk>/status/", pool.pool_status, name="pool_status"),
    # 评审专家
    path("expert/", expert.tasks, name="expert_tasks"),
    path("expert/<int:review_pk>/", expert.review, name="expert_review"),
    path("expert/<int:review_pk>/declare/", expert.declare, name="expert_declare"),
    path("expert/<int:review_pk>/decline/", expert.decline, name="expert_decline"),
]
