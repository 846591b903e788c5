"""The real espreso.tv captures parse exactly, read as they are."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sources.espreso.article import parse_article
from sources.espreso.feed import parse_feed
from sources.sitemaps import parse_sitemap

pytestmark = pytest.mark.realdata

NEWS = "news-bilorus-pogodilas-pripiniti-zapuskati-povitryani-kuli-na-litvu"
OPINION = "poglyad-shcho-tvoritsya-z-tsinami"


def _page(realdata: Path, slug: str) -> bytes:
    return (realdata / "espreso" / f"{slug}.html").read_bytes()


def test_news_article(realdata: Path) -> None:
    result = parse_article(_page(realdata, NEWS), f"https://espreso.tv/{NEWS}")
    a = result.article
    assert result.problems == ()
    assert a is not None
    assert a.url == f"https://espreso.tv/{NEWS}"
    assert a.title == "Білорусь погодилась припинити запускати повітряні кулі на Литву"
    assert a.lead == (
        "Самопроголошений президент Білорусі Олександр Лукашенко пообіцяв припинити польоти "
        "метеозондів до Литви, які протягом останніх місяців спричиняли проблеми в аеропортах Вільнюса"
    )
    assert a.author == "Адріана Муллаянова"
    assert a.author_url == "https://espreso.tv/mullayanova-adriana"
    assert a.badge is None
    assert a.section == "Світ"
    assert a.language == "uk"
    assert a.published_at == datetime.fromisoformat("2025-12-14T00:25:00+02:00")
    assert a.published_at == datetime(2025, 12, 13, 22, 25, tzinfo=UTC)
    assert a.modified_at == datetime.fromisoformat("2025-12-14T00:28:11+02:00")
    assert [t.name for t in a.tags] == [
        "Новини",
        "Суспільство",
        "Білорусь",
        "Олександр Лукашенко",
        "Литва",
        "США",
    ]
    assert a.tags[2].url == "https://espreso.tv/bilorus"
    assert [r.url for r in a.related] == [
        "https://espreso.tv/svit-u-nastupnomu-rotsi-ukraina-mozhe-rozrakhovuvati-na-paketi-ozbroen-v-ramkakh-purl-u-1516-mlrd-zelenskiy",
        "https://espreso.tv/kultura-get-vid-moskvi-132-roki-tomu-narodivsya-mikola-khviloviy-yakiy-kuleyu-v-golovu-zvilniv-sebe-vid-stalinskogo-teroru",
        "https://espreso.tv/svit-v-nato-zayavili-shcho-ukraina-otrimae-ozbroennya-na-5-mlrd-v-mezhakh-programi-purl-do-kintsya-roku",
    ]
    assert a.related[1].title.startswith(
        '"Геть від Москви!": 132 роки тому народився Микола Хвильовий'
    )
    paragraphs = a.body_text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0] == "Про це повідомляє Reuters."
    assert paragraphs[4].startswith(
        "Нагадаємо, 5 грудня уряд Литви планував оголосити надзвичайний стан"
    )
    assert a.word_count == 101
    for junk in (
        "Зміст",
        "Поділитися",
        "Share to",
        "Читати Еспресо в Telegram",
        "фото: відкриті джерела",
        "Залиште коментар",
    ):
        assert junk not in a.body_text
    assert a.image_url == (
        "https://static.espreso.tv/uploads/photobank/349000_350000/349227_Lukashenko-Oleksandr_new_960x500_0.webp"
    )


def test_opinion_article(realdata: Path) -> None:
    result = parse_article(_page(realdata, OPINION), f"https://espreso.tv/{OPINION}")
    a = result.article
    assert a is not None
    assert result.problems == ()
    assert a.badge == "OPINION"
    assert a.title == "Що твориться з цінами"
    assert a.author == "Богдан Данилишин"
    assert a.section == "Погляд"
    assert a.published_at == datetime.fromisoformat("2025-09-14T06:09:00+03:00")
    assert a.published_at == datetime(2025, 9, 14, 3, 9, tzinfo=UTC)
    assert [t.name for t in a.tags] == ["Новини", "Економіка", "бюджет", "інфляція", "бізнес"]
    paragraphs = a.body_text.split("\n\n")
    assert paragraphs[0].startswith("Чинники інфляції. Зараз на рівень інфляції чинять тиск")
    assert paragraphs[-1] == "Редакція не завжди поділяє думки, висловлені авторами блогів."
    assert len(paragraphs) == 16  # image-only paragraphs are not text
    assert "Зміст" not in a.body_text


def test_feed_of_a_real_page(realdata: Path) -> None:
    feed = parse_feed(_page(realdata, NEWS), f"https://espreso.tv/{NEWS}")
    assert feed.problems == ()
    assert len(feed.rows) == 40
    first, last = feed.rows[0], feed.rows[-1]
    assert first.position == 0
    assert (
        first.url
        == "https://espreso.tv/viyna-z-rosiyeyu-rf-zapustila-udarni-bezpilotniki-po-teritorii-ukraini-situatsiya-vvecheri-14-grudnya"
    )
    assert (
        first.title
        == "РФ запустила ударні безпілотники по території України: ситуація ввечері 14 грудня"
    )
    assert first.badge == "Оновлено"
    assert first.subtitle is None
    assert first.published_at == datetime(2025, 12, 14, 17, 51, tzinfo=UTC)
    assert last.position == 39
    assert last.published_at == datetime(2025, 12, 14, 9, 3, tzinfo=UTC)
    assert last.title.startswith('"Я їду до Брюсселя битися": Орбан')
    badges = [row.badge for row in feed.rows if row.badge]
    assert badges.count("OPINION") == 4
    assert badges.count("Ексклюзив") == 5
    assert badges.count("Оновлено") == 5
    assert feed.next_page_url == "https://espreso.tv/news?page=2"


def test_real_sitemaps(realdata: Path) -> None:
    index = parse_sitemap((realdata / "espreso" / "ssitemap.xml").read_bytes())
    assert index.is_index
    assert [e.loc for e in index.entries][:2] == [
        "https://espreso.tv/sitemap-categories.xml",
        "https://espreso.tv/sitemap_news_1.xml",
    ]
    urlset = parse_sitemap((realdata / "espreso" / "sitemap_news_1.xml").read_bytes())
    assert not urlset.is_index
    assert len(urlset.entries) == 6179
    days = [e.lastmod for e in urlset.entries if e.lastmod]
    assert min(days) == date(2025, 9, 11)
    assert max(days) == date(2025, 12, 14)
