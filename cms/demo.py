"""Demo content for the home pages (Chinese and English) and the site settings."""

from wagtail.models import Locale, Site

from .models import HomePage, SiteSettings, StandardPage
from .setup import ensure_site

HOME = {
    "zh-hans": {
        "title": "首页",
        "hero_title": "AEO 信用培育学习平台",
        "hero_intro": "海关主动服务、企业自愿参与：通过合规培训与 AEO 认证培训，帮助中小企业提升内部控制、守法规范和贸易安全水平，成长为高级认证企业。",
        "cta": [("了解信用培育", "about"), ("注册账号", "/accounts/signup/")],
        "cards_heading": "培育流程",
        "cards": [
            ("1", "培训申请", "企业自愿提出培训申请，提名法定代表人、高级管理人员和相关部门人员。"),
            ("2", "重点培训名单", "海关按重点企业、认证意愿和信用评估得分择优确定重点培训名单。"),
            ("3", "开展培训", "在苏州、深圳、广州三大 AEO 培训基地开展课堂、线上、现场观摩与考试。"),
            ("4", "申请 AEO 认证", "完成培训、达到标准后，企业向海关提出高级认证企业申请。"),
        ],
        "stats_heading": "AEO 互认与便利",
        "stats": [
            ("3", "AEO 培训基地"),
            ("27", "项便利措施"),
            ("57", "个互认经济体"),
            ("1/5", "AEO 企业查验率（与一般企业相比）"),
        ],
        "callout": "<p>2026 年 4 月 1 日起，《海关注册登记和备案企业信用管理办法》（海关总署令第 282 号）及海关总署公告 2026 年第 34 号施行，培训内容已按新标准更新。</p>",
    },
    "en": {
        "title": "Home",
        "hero_title": "AEO Credit Cultivation Learning Platform",
        "hero_intro": "Customs serves actively, enterprises join voluntarily: compliance and AEO certification training help SMEs strengthen internal control, compliance and trade security on their way to Advanced Certified Enterprise status.",
        "cta": [("About credit cultivation", "about"), ("Create an account", "/en/accounts/signup/")],
        "cards_heading": "How cultivation works",
        "cards": [
            (
                "1",
                "Training application",
                "The enterprise applies voluntarily and nominates its legal representative, senior managers and relevant staff.",
            ),
            (
                "2",
                "Key training list",
                "Customs selects by key-enterprise status, willingness to become an AEO and credit assessment score.",
            ),
            (
                "3",
                "Training",
                "Classes, online courses, on-site observation and exams at the Suzhou, Shenzhen and Guangzhou bases.",
            ),
            (
                "4",
                "AEO application",
                "Once trained and ready, the enterprise applies to customs for Advanced Certified Enterprise status.",
            ),
        ],
        "stats_heading": "Mutual recognition and benefits",
        "stats": [
            ("3", "AEO training bases"),
            ("27", "facilitation measures"),
            ("57", "economies with mutual recognition"),
            ("1/5", "AEO firms' inspection rate, compared with ordinary firms"),
        ],
        "callout": "<p>From 1 April 2026, GACC Decree 282 and GACC Bulletin 2026 No. 34 are in force; the courses follow the new criteria.</p>",
    },
}

ABOUT = {
    "zh-hans": (
        "关于信用培育",
        "信用培育的依据、原则、类型与方式。",
        [
            ("heading", "四项原则"),
            (
                "paragraph",
                "<ul><li>海关主动服务</li><li>企业自愿参与</li><li>培训渠道公开</li><li>注重培训实效</li></ul>",
            ),
            ("heading", "两类培训"),
            (
                "paragraph",
                "<p><b>合规培训</b>面向相关利益方，讲解信用相关法律法规及世界海关组织 AEO 制度；<b>AEO 认证培训</b>面向 AEO 申请企业、潜在申请企业及待重新认证的 AEO 企业，聚焦认证程序、标准、验证、便利与互认。</p>",
            ),
        ],
    ),
    "en": (
        "About credit cultivation",
        "Legal basis, principles, training types and methods.",
        [
            ("heading", "Four principles"),
            (
                "paragraph",
                "<ul><li>Customs serves actively</li><li>Enterprises take part voluntarily</li><li>Training channels are public</li><li>Training is judged by its results</li></ul>",
            ),
            ("heading", "Two types of training"),
            (
                "paragraph",
                "<p><b>Compliance training</b> explains credit laws and regulations and the WCO AEO programmes to interested parties; <b>AEO certification training</b> prepares applicants, potential applicants and AEOs due for review for the procedure, criteria, validation, benefits and mutual recognition.</p>",
            ),
        ],
    ),
}


def _home_content(data: dict) -> dict:
    return {
        "title": data["title"],
        "hero_title": data["hero_title"],
        "hero_intro": data["hero_intro"],
        "body": [
            (
                "cards",
                {
                    "heading": data["cards_heading"],
                    "cards": [
                        {"icon": icon, "title": title, "text": text, "link": {"label": "", "page": None, "url": ""}}
                        for icon, title, text in data["cards"]
                    ],
                },
            ),
            (
                "stats",
                {
                    "heading": data["stats_heading"],
                    "stats": [{"value": v, "label": label} for v, label in data["stats"]],
                },
            ),
            ("callout", {"kind": "info", "text": data["callout"]}),
        ],
    }


def seed(log) -> None:
    home_zh = ensure_site()
    for code, data in HOME.items():
        locale = Locale.objects.get(language_code=code)
        home = home_zh.get_translation(locale).specific
        about = StandardPage.objects.child_of(home).filter(slug="about").first()
        title, intro, body = ABOUT[code]
        if about is None and code == "zh-hans":
            about = home.add_child(instance=StandardPage(title=title, slug="about", locale=locale))
        elif about is None:
            zh_about = StandardPage.objects.get(locale__language_code="zh-hans", slug="about")
            about = zh_about.copy_for_translation(locale)
        about.title, about.intro, about.body, about.show_in_menus = title, intro, body, True
        about.save_revision().publish()
        home = HomePage.objects.get(pk=home.pk)  # adding a child changed the tree fields
        for attr, value in _home_content(data).items():
            setattr(home, attr, value)
        home.hero_cta = [
            (
                "link",
                {
                    "label": label,
                    "page": about if target == "about" else None,
                    "url": "" if target == "about" else target,
                },
            )
            for label, target in data["cta"]
        ]
        home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    settings.organisation = "AEO 信用培育学习平台"
    settings.organisation_en = "AEO Credit Cultivation Learning Platform"
    settings.contact_phone = "12360"
    settings.icp_licence = "京ICP备00000000号-1"
    settings.contact_email = "aeo-training@aeo-lms.example"
    settings.address = "北京市东城区建国门内大街 6 号"
    settings.address_en = "6 Jianguomennei Avenue, Dongcheng District, Beijing"
    settings.footer_text = "<p>服务企业信用培育，助力中小企业成长为高级认证企业。</p>"
    settings.footer_text_en = "<p>Credit cultivation that helps SMEs become Advanced Certified Enterprises.</p>"
    settings.save()
    log(f"Home pages ready ({HomePage.objects.count()} languages).")
