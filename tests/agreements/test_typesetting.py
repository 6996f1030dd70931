"""Typesetting by language: Chinese full-width punctuation where the contract joins translated
pieces, each language's quotation marks, the page footer, and the SC face first in Chinese.

The contract's HTML is checked (no PDF is rendered: the version's render task is never run).
"""

# ruff: noqa: RUF001 (full-width punctuation is what these tests are about)

import pytest
from django.utils import translation
from django.utils.html import escape

from agreements import typography
from agreements.authoring.document import load_document
from agreements.versions import services as version_services
from agreements.versions.audit_text import describe_auth_method
from agreements.versions.contract import render_contract_html
from tests.agreements.builders import template_agreement


@pytest.mark.parametrize(
    ("language", "quoted"),
    [("en", "“x”"), ("de", "„x“"), ("it", "«x»"), ("tr", "“x”"), ("zh-hans", "“x”")],
)
def test_each_language_quotes_with_its_own_marks(language, quoted):
    assert typography.quoted("x", language) == quoted
    with translation.override(language):
        assert typography.quoted("x") == quoted


def test_chinese_joins_pieces_with_full_width_marks():
    assert typography.mark(",", "zh-hans") == "\N{FULLWIDTH COMMA}"
    assert typography.mark(":", "zh-hans") == "\N{FULLWIDTH COLON}"
    assert typography.mark(".", "zh-hans") == "\N{IDEOGRAPHIC FULL STOP}"
    assert typography.parenthetical("3", "zh-hans") == "（3）"
    assert typography.join_list(["一", "二"], "zh-hans") == "一、二"
    assert typography.mark(",", "de") == ", "
    assert typography.parenthetical("3", "tr") == " (3)"
    assert typography.join_list(["a", "b"], "it") == "a, b"


def test_chinese_loses_the_spaces_around_full_width_punctuation():
    tighten = typography.tighten
    assert (
        tighten("代表人： <strong>Maria</strong>。", "zh-hans")
        == "代表人：<strong>Maria</strong>。"
    )
    assert tighten("取整。 期限", "zh-hans") == "取整。期限"
    assert tighten("培育路径 “回收线索”。", "zh-hans") == "培育路径“回收线索”。"
    # Latin text keeps its spaces, and other languages are left alone.
    assert tighten("Acme “Pro” Edition", "zh-hans") == "Acme “Pro” Edition"
    assert tighten("Datum : 1", "de") == "Datum : 1"


def test_the_page_counter_is_css_with_its_pieces_escaped(monkeypatch):
    with translation.override("en"):
        assert typography.page_counter_css() == '"Page " counter(page) " of " counter(pages)'
    monkeypatch.setattr(typography, "gettext", lambda text: 'P "%(page)s" \\ %(pages)s</style>')
    assert typography.page_counter_css() == (
        '"P \\"" counter(page) "\\" \\\\ " counter(pages) "\\3c /style>"'
    )


def test_the_login_methods_are_listed_in_the_language():
    with translation.override("zh-hans"):
        chinese = describe_auth_method("code, password login")
    with translation.override("en"):
        english = describe_auth_method("code, password login")
    assert english == "Login code, Password login"
    assert "、" in chinese and ", " not in chinese


@pytest.fixture
def contract_html(organization, marketing_lead, sales_lead):
    """language -> (agreement, the contract's HTML as the PDF renderer gets it)."""

    def render(language):
        agreement = template_agreement(organization, marketing_lead, sales_lead, language)
        version = version_services.agreement_submit(agreement=agreement, actor=marketing_lead)
        return agreement, render_contract_html(load_document(agreement), version)

    return render


def test_the_chinese_contract_is_set_with_full_width_punctuation(contract_html):
    agreement, html = contract_html("zh-hans")

    assert "市场团队（市场），代表人：<strong>Maria Marketing</strong>。" in html
    assert "销售团队（销售），代表人：<strong>Sam Sales</strong>。" in html
    assert "星期一、星期二、星期三、星期四、星期五" in html
    assert "本协议自2027年1月1日起生效，至2027年12月31日终止。</p>" in html
    assert f"该线索随后转入培育路径“{agreement.recycle_track.name}”。" in html
    assert "（3 个线索来源的综合值）" in html  # a funnel KPI's name, blended across sources
    assert "日期：" in html and "日期: " not in html
    assert ", 代表人" not in html and "： " not in html and "。 " not in html
    # The SC face first: in the page's margins and (contract.css) the body.
    assert 'font: 8pt "Noto Sans CJK SC", "DejaVu Sans", sans-serif' in html


def test_the_english_contract_keeps_its_latin_punctuation(contract_html):
    agreement, html = contract_html("en")

    assert (
        "The marketing team (Marketing), represented by <strong>Maria Marketing</strong>." in html
    )
    assert f" The lead then enters the nurture track “{agreement.recycle_track.name}”.</p>" in html
    assert "Monday, Tuesday, Wednesday, Thursday, Friday" in html
    assert "Date: " in html
    assert 'content: "Page " counter(page) " of " counter(pages);' in html
    assert 'font: 8pt "DejaVu Sans", "Noto Sans CJK SC", sans-serif' in html


@pytest.mark.parametrize(
    ("language", "footer"),
    [
        ("de", '"Seite " counter(page) " von " counter(pages)'),
        ("it", '"Pagina " counter(page) " di " counter(pages)'),
        ("tr", '"Sayfa " counter(page) " / " counter(pages)'),
        ("zh-hans", '"第 " counter(page) " 页，共 " counter(pages) " 页"'),
    ],
)
def test_footer_and_quotation_marks_are_the_contract_languages(language, footer, contract_html):
    agreement, html = contract_html(language)

    assert f"content: {footer};" in html
    assert typography.quoted(escape(agreement.recycle_track.name), language) in html
