""""Có thể bạn quan tâm": the articles sharing most tags with each article (model.Interesting),
against a plain reading of its rule."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from generator.documents import Article
from generator.model import TAG_WINDOW, Interesting, with_new_bodies
from generator.vietnamese import slugify

TAGS = ["Công đoàn", "Đoàn viên", "An toàn lao động", "Tết sum vầy", "Mái ấm", "Thi đua", "Sáng kiến",
        "Tiền lương", "Nhà ở", "Thể thao", "Văn nghệ", "Pháp luật", "Khen thưởng", "Hội nghị", "Y tế"]


def articles(count: int, seed: int) -> tuple[Article, ...]:
    """Newest first, as the model holds them; some without tags."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    found = []
    for i in range(count):
        tags = tuple(rng.sample(TAGS, rng.randint(0, 4)))
        found.append(Article(path=f"content/articles/a{i}.md", slug=f"bai-{i}", title=f"Bài {i}",
                             date=start - dt.timedelta(hours=i), category="thoi-su", sapo="", body_html="",
                             tags=tags))
    return tuple(found)


def expected(arts: tuple[Article, ...], limit: int = 4) -> dict[str, tuple[Article, ...]]:
    """The rule, read plainly: for each of an article's tags, the articles within TAG_WINDOW
    places of it in that tag's list (newest first) score a point; the highest scores win, the
    newest among equals; the article itself does not count."""
    lists: dict[str, list[int]] = {}
    for position, article in enumerate(arts):
        for tag in article.tags:
            lists.setdefault(slugify(tag), []).append(position)
    result = {}
    for position, article in enumerate(arts):
        scores: dict[int, int] = {}
        for tag in article.tags:
            members = lists[slugify(tag)]
            i = members.index(position)
            for other in members[max(0, i - TAG_WINDOW): i + TAG_WINDOW + 1]:
                if other != position:
                    scores[other] = scores.get(other, 0) + 1
        if scores:
            best = sorted(scores, key=lambda other: (-scores[other], other))[:limit]
            result[article.key] = tuple(arts[k] for k in best)
    return result


def test_each_article_gets_the_ones_sharing_most_tags():
    for seed in range(3):
        arts = articles(400, seed)
        want = expected(arts)
        found = Interesting(arts)
        for article in arts:                       # asked one by one, as a build asks
            assert found.get(article.key, ()) == want.get(article.key, ()), article.key
        assert dict(found) == want
        assert dict(Interesting(arts)) == want     # asked all at once, in no particular order
        assert len(found) == len(want) and "no-such/article" not in found


def test_an_edited_body_keeps_the_choices_with_the_new_article():
    arts = articles(60, 7)
    old = Interesting(arts)
    target = next(a for a in arts if a.key in old and old[a.key])
    chosen = old[target.key][0]
    edited = replace(chosen, body_html="<p>Nội dung mới.</p>")
    swapped = tuple(edited if a is chosen else a for a in arts)
    assert Interesting(swapped)[target.key][0] is edited
    assert dict(Interesting(swapped)) == {k: tuple(edited if a is chosen else a for a in v) for k, v in old.items()}


def test_with_new_bodies_gives_the_new_article_to_the_pages_that_show_it():
    from generator.model import SiteModel
    arts = articles(30, 3)
    model = SiteModel(config=None, today=dt.date(2026, 11, 22), articles=arts, by_key={a.key: a for a in arts},
                      by_category={}, tags={}, authors={}, series={}, by_campaign={}, related={},
                      interesting=Interesting(arts), position={a.key: i for i, a in enumerate(arts)},
                      pages=(), campaigns=())
    target = next(a for a in arts if a.key in model.interesting)
    chosen = model.interesting[target.key][0]
    edited = replace(chosen, body_html="<p>Nội dung mới.</p>")
    swapped = with_new_bodies(model, {chosen.key: edited}, ())
    assert swapped.interesting[target.key][0] is edited
    assert dict(swapped.interesting) == dict(Interesting(swapped.articles))


def test_a_body_edit_keeps_the_tag_index(monkeypatch):
    """serve swaps edited articles in: the index of positions by tag is kept, not made again."""
    from generator import model as model_module
    arts = articles(50, 5)
    old = Interesting(arts)
    target = next(a for a in arts if a.key in old)
    expected_choice = old[target.key]
    calls = []
    monkeypatch.setattr(model_module, "slugify", lambda text: calls.append(text) or slugify(text))
    swapped = old.with_articles(tuple(replace(a, body_html="<p>Mới.</p>") for a in arts))
    assert [a.key for a in swapped[target.key]] == [a.key for a in expected_choice]
    assert calls == []
    assert all(a.body_html == "<p>Mới.</p>" for a in swapped[target.key])
