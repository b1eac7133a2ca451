"""The 2022 edition (GACC Bulletin 2022 No. 106 under Decree 251; advanced level only), as laid
out in DOMAIN.md: 16 items, 62 general sub-items with their global numbers. Sub-items whose
wording was not recovered (20-30, 50-57) and the 32 specific standards are placeholders,
marked so officers complete them in the back office."""

PLACEHOLDER_ZH = "（原文未找到，请在后台编辑）"
PLACEHOLDER_EN = "wording not recovered — edit in the back office"

# area key, area name, [(item number, item name zh, item name en, [(global number, wording zh, wording en)])]
# A wording of None is a placeholder.
GENERAL = [
    (
        "internal_control",
        "内部控制",
        [
            (
                1,
                "关企合作",
                "Customs–enterprise cooperation",
                [
                    (1, "建立海关业务联系机制", "Liaison mechanism with customs"),
                    (2, "明确关企合作相关岗位职责分工", "Roles and responsibilities"),
                ],
            ),
            (
                2,
                "进出口单证",
                "Import/export documents",
                [
                    (3, "建立进出口单证申报前审核制度", "Review of documents before declaration"),
                    (4, "进出口单证妥善保管", "Retention of import/export documents"),
                    (5, "建立禁止类、限制类商品审核制度", "Review of prohibited and restricted goods"),
                    (6, "建立海关认证资料档案", "Archive of certification documents"),
                ],
            ),
            (
                3,
                "信息系统",
                "Information system",
                [
                    (7, "信息系统覆盖进出口业务全流程并可追溯", "System coverage and traceability"),
                    (8, "进出口业务数据保存3年以上", "Data kept for at least 3 years"),
                    (9, "建立信息安全管理制度", "Information security"),
                ],
            ),
            (
                4,
                "内部审计和改进",
                "Internal audit and improvement",
                [
                    (10, "建立内部审计制度", "Internal audit policy"),
                    (11, "每年对进出口活动开展内部审计", "Annual audit of import/export activity"),
                    (12, "建立改进和责任追究机制", "Improvement and accountability"),
                ],
            ),
        ],
    ),
    (
        "financial_status",
        "财务状况",
        [
            (
                5,
                "财务状况",
                "Financial status",
                [
                    (
                        13,
                        "会计师事务所审计报告所反映的企业财务状况真实、完整、规范、合法",
                        "Audited accounts true, complete, normative and lawful",
                    ),
                    (14, "连续5年资产负债率不超过95%", "Asset-liability ratio not above 95 % for 5 consecutive years"),
                ],
            ),
        ],
    ),
    (
        "compliance",
        "守法规范",
        [
            (
                6,
                "遵守法律法规",
                "Laws and regulations",
                [
                    (
                        15,
                        "企业法定代表人、主要负责人、财务负责人、关务负责人1年内未因故意犯罪受过刑事处罚",
                        "No intentional crime by key persons",
                    ),
                    (16, "行政处罚次数未超过规定比例（一）", "Administrative penalties under the thresholds (1)"),
                    (17, "行政处罚次数未超过规定比例（二）", "Administrative penalties under the thresholds (2)"),
                    (18, "行政处罚金额未超过规定标准", "Administrative penalty amounts under the threshold"),
                ],
            ),
            (
                7,
                "进出口业务",
                "Import/export record",
                [(19, "1年内有进出口活动", "Import/export activity within 1 year")],
            ),
            (8, "税款缴纳", "Tax payment", [(20, None, None), (21, None, None)]),
            (9, "管理要求", "Customs management requirements", [(n, None, None) for n in range(22, 28)]),
            (10, "外部信用", "External credit", [(28, None, None), (29, None, None), (30, None, None)]),
        ],
    ),
    (
        "trade_security",
        "贸易安全",
        [
            (
                11,
                "场所安全",
                "Premises security",
                [
                    (31, "建立场所安全管理制度", "Premises security policy"),
                    (32, "建筑物安全", "Buildings"),
                    (33, "锁和钥匙管理", "Locks and keys"),
                    (34, "照明", "Lighting"),
                    (35, "车辆和人员进出管理", "Vehicle and person access"),
                    (36, "重要敏感区域管控", "Controlled areas"),
                    (37, "视频监控", "CCTV"),
                ],
            ),
            (
                12,
                "人员安全",
                "Personnel security",
                [
                    (38, "员工招聘和离职管理", "Hiring and exit"),
                    (39, "员工背景调查", "Background checks"),
                    (40, "员工身份识别", "ID badges"),
                    (41, "访客管理", "Visitors"),
                ],
            ),
            (
                13,
                "货物安全",
                "Cargo security",
                [
                    (42, "建立货物安全管理制度", "Cargo security policy"),
                    (43, "集装箱七点检查", "7-point container check"),
                    (44, "封志管理", "Seals"),
                    (45, "集装箱存储", "Container storage"),
                    (46, "驾驶人员身份核实", "Driver identification"),
                    (47, "货物收发管理", "Shipping and receiving"),
                    (48, "货物差异报告", "Discrepancy reporting"),
                    (49, "出口装载监督", "Export loading supervision"),
                ],
            ),
            (14, "运输工具安全", "Conveyance security", [(n, None, None) for n in range(50, 54)]),
            (15, "商业伙伴安全", "Business partner security", [(n, None, None) for n in range(54, 58)]),
            (
                16,
                "海关业务和贸易安全培训",
                "Customs and trade security training",
                [
                    (58, "建立培训制度", "Training policy"),
                    (59, "海关法律法规培训", "Customs law"),
                    (60, "货物安全培训", "Cargo security"),
                    (61, "危机管理培训", "Crisis management"),
                    (62, "信息安全培训", "Information security"),
                ],
            ),
        ],
    ),
]

# The 11 business types of the 2022 specific standards (the seed's 10 aspects, processing trade and
# bonded business counted separately) and how many of the 32 standards each is given. The split
# across types was not recovered either: it is a placeholder for officers to correct.
SPECIFIC = [
    ("processing_trade", "加工贸易", "Processing trade", 3),
    ("bonded_business", "保税进出口业务", "Bonded business", 3),
    ("health_quarantine", "卫生检疫业务", "Health quarantine", 3),
    ("animal_plant_quarantine", "动植物检疫业务", "Animal and plant quarantine", 3),
    ("food", "进出口食品业务", "Import and export food", 3),
    ("commodity_inspection", "进出口商品检验业务", "Import and export commodity inspection", 3),
    ("foreign_trade_service", "外贸综合服务企业", "Integrated foreign trade service", 3),
    ("cross_border_ecommerce", "跨境电子商务平台企业", "Cross-border e-commerce platform", 3),
    ("express_operator", "进出境快件运营人", "Express consignment operator", 3),
    ("customs_broker", "报关企业", "Customs broker", 3),
    ("logistics_transport", "物流运输企业", "Logistics carrier", 2),
]

# trainees.BusinessType code → specific-criteria key, per edition.
BUSINESS_MAPPING = {
    "2022-advanced": {
        "processing_trade": "processing_trade",
        "bonded_business": "bonded_business",
        "health_quarantine": "health_quarantine",
        "plant_animal_quarantine": "animal_plant_quarantine",
        "food_cosmetics": "food",
        "commodity_inspection": "commodity_inspection",
        "foreign_trade_service": "foreign_trade_service",
        "cross_border_ecommerce": "cross_border_ecommerce",
        "express_operator": "express_operator",
        "customs_broker": "customs_broker",
        "waterway_transport": "logistics_transport",
        "road_transport": "logistics_transport",
        "air_transport": "logistics_transport",
    },
    "2026-advanced": {
        "health_quarantine": "health_quarantine",
        "plant_animal_quarantine": "animal_plant_quarantine",
        "food_cosmetics": "food_cosmetics",
        "commodity_inspection": "commodity_inspection",
    },
}
