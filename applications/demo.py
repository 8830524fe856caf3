"""Demo records for `seed_demo`: one complete, plausible application ready to submit and one half-filled draft.

The cluster and its figures are fictional but internally consistent (growth rates match the values,
研发投入强度 matches spend ÷ output, funds add up), so the demo shows no spurious warnings.
"""

YEARS = (2021, 2022, 2023)


def per_year(key, values):
    return {f"{key}__{y}": v for y, v in zip(YEARS, values, strict=True)}


STANDARDS = {  # (主持, 参与) per year for 国际, 国家, 行业, 团体
    2021: [(0, 1), (3, 5), (6, 9), (8, 12)],
    2022: [(1, 1), (4, 6), (7, 10), (10, 14)],
    2023: [(1, 2), (5, 8), (9, 11), (12, 17)],
}


def standards():
    cells = {}
    for year, rows in STANDARDS.items():
        for category, (lead, participate) in zip(("international", "national", "industry", "group"), rows, strict=True):
            cells[f"standards__{year}__{category}__lead"] = str(lead)
            cells[f"standards__{year}__{category}__participate"] = str(participate)
    return cells


ELIGIBILITY = {
    "recognition_level": "regional",
    "recognition_doc_name": "内蒙古自治区工业和信息化厅关于公布2024年自治区级先进制造业集群名单的通知",
    "recognition_doc_number": "内工信产业字〔2024〕156号",
    "recognition_date": "2024-05-20",
    "no_major_incidents": "是",
    "no_dishonesty": "是",
}

COMPLETE = {
    **ELIGIBILITY,
    "cluster_name": "包头稀土新材料产业集群",
    "participating_regions": [],
    "contact_person": "李晓燕",
    "contact_phone": "13904720001",
    "commitment_accepted": "1",
    "bureau_contact": "刘海涛",
    "bureau_phone": "0472-5113456",
    "organisation_contact": "李晓燕",
    "organisation_phone": "13904720001",
    "area": "45.60",
    "industry_type": "第二产业",
    "not_prohibited": "是",
    "no_accidents": "是",
    "no_violations": "是",
    "energy_efficiency": "是",
    "water_efficiency": "不涉及",
    **per_year("output", ["1056.30", "1263.80", "1402.60"]),
    **per_year("output_growth", ["18.20", "19.64", "10.98"]),
    **per_year("city_output", ["3856.40", "4562.10", "4915.70"]),
    **per_year("city_output_growth", ["21.50", "18.30", "7.75"]),
    **per_year("large_enterprises", ["86", "97", "108"]),
    **per_year("listed_enterprises", ["5", "6", "7"]),
    **per_year("single_champions", ["2", "3", "3"]),
    **per_year("little_giants", ["6", "8", "11"]),
    **per_year("specialised_smes", ["38", "52", "67"]),
    **per_year("innovative_smes", ["55", "71", "90"]),
    **per_year("high_tech", ["62", "74", "85"]),
    "industry_chain": "集群围绕稀土永磁、抛光、储氢、催化和稀土功能助剂五条产业链，实行链长制，"
    "建立重点项目库和招商图谱。"
    "近三年引进金力永磁、天和磁材等项目42个，总投资386亿元，永磁材料产能突破10万吨，本地配套率由38%提高到52%。",
    **per_year("rd_spend", ["21.13", "26.54", "30.86"]),
    **per_year("rd_intensity", ["2.00", "2.10", "2.20"]),
    **standards(),
    "platforms_national__count": "2",
    "platforms_national__names": ["国家稀土功能材料创新中心", "白云鄂博稀土资源研究与综合利用国家重点实验室"],
    "platforms_provincial__count": "3",
    "platforms_provincial__names": [
        "内蒙古稀土永磁材料工程技术研究中心",
        "内蒙古稀土储氢材料重点实验室",
        "内蒙古稀土催化材料企业技术中心",
    ],
    "platforms_other__count": "1",
    "platforms_other__names": ["包头稀土高新区中试基地"],
    "employees": "48600",
    "rd_staff_ratio": "9.80",
    "patent_growth": "14.60",
    "patents_per_10k": "264.61",
    "patents": "1286",
    "collaboration": "集群与包头稀土研究院、内蒙古科技大学等共建创新联合体，组织产学研协同攻关项目27项，"
    "突破高丰度稀土永磁、稀土抛光粉回收等关键技术，成果在集群内转化落地19项。",
    "cloud_ratio": "68.50",
    "iiot_ratio": "52.30",
    "software_rising": "是",
    **per_year("software_spend", ["3260.00", "4185.50", "5120.80"]),
    "digital_services": "建设集群工业互联网公共服务平台，为中小企业提供设备上云、能耗监测和供应链协同服务，"
    "累计服务企业210家，组织数字化诊断86次。",
    "new_models": "4家企业入选国家智能制造示范工厂和优秀场景，建成稀土永磁数字化车间12个，"
    "探索“共享工厂”和稀土产品追溯等新模式。",
    "carbon_monitoring": "是",
    **per_year("co2_intensity", ["2.86", "2.71", "2.55"]),
    "co2_formula": "单位产值二氧化碳排放量 = 集群规上企业二氧化碳排放总量（吨）÷ 集群规上企业工业总产值（万元）；"
    "排放量按《工业企业温室气体排放核算和报告通则》（GB/T 32150）核算，数据来自企业能源统计报表。",
    "energy_reduction": "8.60",
    "solid_waste_ratio": "72.40",
    "solid_waste_above_average": "是",
    "water_reuse_ratio": "93.20",
    "water_reuse_above_average": "是",
    "resource_use": "推进稀土冶炼废渣、废水和余热综合利用，建成稀土废料回收生产线3条，年回收稀土氧化物1800吨；"
    "实施园区循环化改造，工业固废综合利用率提高6.5个百分点。",
    "cooperation": "与江西赣州、福建龙岩等稀土产业集群建立合作机制，连续举办中国包头稀土产业论坛，"
    "与德国、日本企业开展技术合作项目8个。",
    "overseas_branches": "3",
    **per_year("export_growth", ["12.40", "26.80", "9.30"]),
    **per_year("fdi_growth", ["5.20", "-3.10", "7.80"]),
    "plan__intro": "包头稀土新材料产业集群以稀土高新区为核心区，覆盖九原区、青山区，集聚规上企业108家，"
    "2023年集群总产值1402.6亿元，稀土永磁材料产量占全国四分之一。",
    "plan__achievements": "近三年集群产值年均增长16%，新增国家级专精特新“小巨人”企业5家，建成国家级创新平台2个，"
    "数字化车间12个，单位产值能耗下降8.6%。",
    "plan__problems": "高端应用产品比重偏低，关键装备和检测仪器依赖外部，专业人才供给不足。",
    "plan__approach": "坚持延链补链强链，推动稀土原材料优势向产业优势转化。",
    "plan__targets": "到2026年集群总产值突破2000亿元，培育百亿级企业3家、国家级单项冠军5家。",
    "plan__tasks": "实施稀土永磁电机、储氢材料、催化材料三大提升工程，建设公共检测和中试平台。",
    "plan__safeguards": "完善集群促进组织治理机制，设立集群发展基金，强化要素和人才保障。",
    "perf_project_name": "2024年内蒙古自治区先进制造业集群项目—包头稀土新材料产业集群",
    "perf_leader": "王建国",
    "perf_phone": "0472-5198001",
    "perf_start": "2024-07-01",
    "perf_end": "2025-06-30",
    "fund_total": "3000.00",
    "fund_regional": "1000.00",
    "fund_city": "1000.00",
    "fund_other": "1000.00",
    "use_investment": "500.00",
    "use_matching": "300.00",
    "use_projects": "1200.00",
    "use_platforms": "500.00",
    "use_services": "300.00",
    "use_organisation": "200.00",
    "goals": [
        "引进稀土新材料及应用项目10个以上，新增投资100亿元。",
        "建成集群公共检测与中试服务平台，服务企业100家次以上。",
        "新增专精特新中小企业10家，集群产值增长10%以上。",
    ],
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "引进产业项目数量",
            "sign": "≥",
            "value": "10",
            "unit": "个",
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "公共平台服务企业",
            "sign": "≥",
            "value": "100",
            "unit": "家次",
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "资金使用完成时间",
            "sign": "≤",
            "value": "12",
            "unit": "月",
        },
        {
            "level1": "效益指标",
            "level2": "经济效益指标",
            "name": "集群产值增长率",
            "sign": "≥",
            "value": "10",
            "unit": "%",
        },
        {
            "level1": "效益指标",
            "level2": "生态效益指标",
            "name": "单位产值能耗",
            "sign": "定性",
            "value": "持续下降",
            "unit": "",
        },
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "集群企业满意度",
            "sign": "≥",
            "value": "90",
            "unit": "%",
        },
    ],
}

# Half filled: eligibility, cover and 一 done, 二 begun.
HALF_FILLED = {
    **ELIGIBILITY,
    "recognition_level": "national",
    "recognition_doc_name": "工业和信息化部关于公布2024年国家先进制造业集群名单的通知",
    "recognition_doc_number": "工信部规〔2024〕88号",
    "recognition_date": "2024-11-08",
    "cluster_name": "通包铝基新材料产业集群",
    "participating_regions": ["150200"],
    "contact_person": "孙丽",
    "contact_phone": "13904750003",
    "bureau_contact": "何建军",
    "bureau_phone": "0475-8226001",
    "organisation_contact": "孙丽",
    "organisation_phone": "13904750003",
    "area": "62.30",
    "industry_type": "第二产业",
    "not_prohibited": "是",
    "no_accidents": "是",
    "no_violations": "是",
    "energy_efficiency": "是",
    "water_efficiency": "是",
    **per_year("output", ["682.40", "745.10", "811.90"]),
    **per_year("output_growth", ["15.30", "9.19", "8.97"]),
    "perf_project_name": "2024年内蒙古自治区先进制造业集群项目—通包铝基新材料产业集群",
}


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for a scanned, sealed document."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def load_demo_applications(complete_username, draft_username):
    """Create (once) the complete application and the half-filled draft; never touch them afterwards."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from applications.attachments import add_attachment
    from applications.records import report_of, start_application
    from calls.models import Call
    from calls.schema.rules import condition_holds

    call = Call.objects.get(code="cluster-2024")
    for username, data in ((complete_username, COMPLETE), (draft_username, HALF_FILLED)):
        user = User.objects.get(username=username)
        if call.applications.filter(organisation=user.organisation).exists():
            continue
        application = start_application(user, call)
        application.data.update(data)
        application.save()
        if data is not COMPLETE:
            continue
        for slot in call.schema.slots:
            needed = slot.required or (slot.required_when and condition_holds(call.schema, slot.required_when, data))
            if needed:
                upload = SimpleUploadedFile(f"{slot.label}.pdf", demo_pdf(f"shenbao demo: {slot.key}"))
                add_attachment(application, slot.key, upload, user)
        if not report_of(application).is_complete:
            raise RuntimeError("演示申报书应当可以直接提交，请检查 applications/demo.py 的数据。")
