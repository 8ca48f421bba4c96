"""The public objection form (异议表单) as simple Chinese HTML pages (no script needed)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from domain.dates import SHANGHAI
from services.listings import PublishedList

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em;
        line-height: 1.6; }}
label {{ display: block; margin-top: 1em; }}
input, select, textarea {{ width: 100%; padding: .4em; box-sizing: border-box; }}
button {{ margin-top: 1.5em; padding: .5em 2em; }}
.note {{ color: #555; }}
.error {{ color: #b00; }}
</style>
</head>
<body>
<h1>{title}</h1>
{content}
</body>
</html>
"""


def local_time(moment: datetime) -> str:
    """An instant as a person here reads it: Asia/Shanghai, to the minute."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M（北京时间）")


def page(title: str, content: str) -> str:
    return _PAGE.format(title=escape(title), content=content)


def objection_form(published: PublishedList | None) -> str:
    if published is None or published.cycle.phase != "publicity":
        return page(
            "质量奖公示异议",
            '<p class="note">当前没有处于公示期的质量奖拟授奖名单，暂不受理异议。</p>',
        )
    closes = published.cycle.publicity_closes
    until = f"，公示截止时间：{escape(local_time(closes))}" if closes else ""
    options = "\n".join(
        f'<option value="{escape(o.credit_code)}">{escape(o.name)}'
        f"（{escape(o.credit_code)}）</option>"
        for o in published.organizations
    )
    content = f"""
<p class="note">{published.cycle.year}年度拟授奖名单正在公示{until}。
对公示对象有异议的，请实名提出，并留下联系方式，以便核实。</p>
<form method="post" action="/public/objection">
<input type="hidden" name="year" value="{published.cycle.year}">
<label>被反映组织<select name="credit_code" required>{options}</select></label>
<label>真实姓名<input name="name" required maxlength="100"></label>
<label>联系方式（电话或电子邮箱）<input name="contact" required maxlength="200"></label>
<label>异议内容<textarea name="content" rows="8" required maxlength="5000"></textarea></label>
<button type="submit">提交异议</button>
</form>
"""
    return page("质量奖公示异议", content)


def objection_accepted(number: int) -> str:
    return page(
        "异议已受理",
        f"<p>您的异议已受理，受理编号：<strong>{number}</strong>。"
        "县评审办将组织调查核实，并将结果告知您。</p>",
    )


def objection_refused(message: str) -> str:
    return page(
        "异议未能受理",
        f'<p class="error">{escape(message)}</p>'
        '<p><a href="/public/objection">返回异议表单</a></p>',
    )
