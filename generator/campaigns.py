"""Campaign pages (phong trào thi đua): status by build date, targets as progress, rolls, articles.

The core reads campaigns (readers/campaigns.py) and checks articles' `campaign:` references;
this feature plans /phong-trao/ and /phong-trao/<slug>/ (paginated) from the model.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import islice
from typing import Iterable

from generator import urls
from generator.documents import Campaign, Target
from generator.features import FEATURES, register
from generator.render_job import RenderJob
from generator.views import Views
from generator.vietnamese import format_date, format_number

UPCOMING, ACTIVE, ENDED = "upcoming", "active", "ended"
STATUS_ORDER = {ACTIVE: 0, UPCOMING: 1, ENDED: 2}
HOME_CAMPAIGNS, HOME_CAMPAIGN_TARGETS = 2, 3     # campaigns on the home page, and targets shown of each


def campaign_status(campaign: Campaign, today: dt.date) -> str:
    """Before its start it is upcoming, after its end day (inclusive) it has ended."""
    if campaign.start and today < campaign.start:
        return UPCOMING
    if campaign.end and today > campaign.end:
        return ENDED
    return ACTIVE


def campaign_order(campaigns: Iterable[Campaign], today: dt.date) -> list[Campaign]:
    """Active first (latest started first), then upcoming (soonest first), then ended (latest ended first)."""
    def key(c: Campaign):
        status = campaign_status(c, today)
        start = (c.start or dt.date.min).toordinal()
        end = (c.end or dt.date.max).toordinal()
        within = {ACTIVE: -start, UPCOMING: start, ENDED: -end}[status]
        return STATUS_ORDER[status], within, c.slug
    return sorted(campaigns, key=key)


def target_progress(target: Target, language: str = "vi") -> dict:
    """A target as text and bar: "7.929 / 1.500 sáng kiến — 528,6 %"; achieved-only shows the figure."""
    unit = f" {target.unit}" if target.unit else ""
    achieved = format_number(target.achieved, None, language) if target.achieved is not None else None
    goal = format_number(target.target, None, language) if target.target is not None else None
    percent = None
    if achieved is not None and target.target:
        percent = target.achieved * 100 / target.target
        # One decimal at most, none when it is zero: "528,6 %", "75 %".
        text = f"{achieved} / {goal}{unit} — {format_number(round(percent, 1), None, language)}\u00a0%"
    elif achieved is not None:
        text = f"{achieved}{unit}"
    else:
        text = f"{goal}{unit}"
    return {
        "label": target.label,
        "text": text,
        "has_result": achieved is not None,
        "percent": round(percent, 1) if percent is not None else None,
        "bar": round(min(percent, 100.0), 1) if percent is not None else None,
        "met": percent is not None and percent >= 100,
    }


class CampaignViews:
    def __init__(self, views: Views):
        self.views = views
        self.ui = views.ui
        self.href = views.links.href
        self.today = views.model.today

    def ref(self, campaign: Campaign) -> dict:
        status = campaign_status(campaign, self.today)
        lang = self.views.language
        return {
            "slug": campaign.slug,
            "title": campaign.title,
            "url": self.href(urls.campaign(campaign.slug)),
            "status": status,
            "status_label": self.ui.get("campaign_" + status, status),
            "start": format_date(campaign.start, lang) if campaign.start else None,
            "start_iso": campaign.start.isoformat() if campaign.start else None,
            "end": format_date(campaign.end, lang) if campaign.end else None,
            "end_iso": campaign.end.isoformat() if campaign.end else None,
            "issuer": campaign.issuer,
            "document": campaign.document,
            "summary": campaign.summary,
            "image": self.href(campaign.image) if campaign.image else None,
            "count": len(self.views.model.by_campaign.get(campaign.slug, ())),
        }

    def index(self) -> dict:
        title = self.ui.get("campaigns", "Phong trào")
        groups: dict[str, list[dict]] = {}
        for campaign in campaign_order(self.views.model.campaigns, self.today):
            ref = self.ref(campaign)
            groups.setdefault(ref["status"], []).append(ref)
        return {
            "page": self.views.page_meta("campaigns", urls.campaigns(), title, self.ui.get("campaigns_description", ""),
                                         breadcrumb=[self.views.crumb(self.ui.get("home", "Trang chủ"), "/")]),
            "campaigns": {
                "title": title,
                "groups": [{"status": s, "title": self.ui.get("campaigns_" + s, s), "items": groups[s]}
                           for s in (ACTIVE, UPCOMING, ENDED) if s in groups],
            },
        }

    def page(self, campaign: Campaign, number: int, rolls: list[dict], feed: bool) -> dict:
        articles = self.views.model.by_campaign.get(campaign.slug, ())
        per_page = self.views.config.per_page
        total = max(1, -(-len(articles) // per_page))
        chunk = articles[(number - 1) * per_page: number * per_page]
        title = campaign.title if number == 1 else f"{campaign.title} – {self.ui.get('page', 'Trang')} {number}"
        path = urls.campaign(campaign.slug, number)
        home = self.views.crumb(self.ui.get("home", "Trang chủ"), "/")
        return {
            "page": self.views.page_meta("campaign", path, title, campaign.summary, campaign.image,
                                         breadcrumb=[home, self.views.crumb(self.ui.get("campaigns", "Phong trào"), urls.campaigns())]),
            "campaign": {
                **self.ref(campaign),
                "first_page": number == 1,
                "body_html": campaign.body_html if number == 1 else "",
                "targets": [target_progress(t, self.views.language) for t in campaign.targets] if number == 1 else [],
                "rolls": rolls if number == 1 else [],
                "feed": self.href(urls.feed("rss", "campaign", campaign.slug)) if feed else None,
                "articles": self.views.cards(chunk),
                "pagination": self.views.pagination(lambda n: urls.campaign(campaign.slug, n), number, total),
            },
        }


def campaign_jobs(views: Views) -> Iterable[RenderJob]:
    cv = CampaignViews(views)
    if views.model.campaigns or any(m.url.rstrip("/").endswith("/" + urls.CAMPAIGN_ROOT) for m in views.config.menu):
        yield RenderJob(urls.campaigns(), "campaigns.html", cv.index())
    feed = any(f.name == "feeds" for f in FEATURES)
    honours = views.model.extras.get("honours")
    for campaign in views.model.campaigns:
        rolls = []
        if honours is not None:
            rolls = [{"title": r.title, "year": r.year, "url": views.links.href(urls.honour_roll(r.slug)),
                      "subjects": _subject_counts(r, views.language)}
                     for r in honours.by_campaign.get(campaign.slug, ())]
        articles = views.model.by_campaign.get(campaign.slug, ())
        pages = max(1, -(-len(articles) // views.config.per_page))
        for number in range(1, pages + 1):
            yield RenderJob(urls.campaign(campaign.slug, number), "campaign.html", cv.page(campaign, number, rolls, feed))


def _subject_counts(roll, language: str) -> list[dict]:
    """How many persons, collectives and initiatives a roll honours, for "(3 cá nhân, 1 tập thể)"."""
    counts = Counter(entry.subject for entry in roll.entries)
    return [{"subject": s, "count": format_number(counts[s], None, language)}
            for s in ("person", "collective", "initiative") if counts[s]]


def home_campaigns(views: Views) -> list[dict]:
    """Campaigns under way, then those about to start (ended ones are left out): each as on the
    campaigns page (CampaignViews.ref) with the progress of its first targets that have both a
    result and a goal."""
    refs = CampaignViews(views)
    shown = []
    for campaign in campaign_order(views.model.campaigns, views.model.today):
        if len(shown) == HOME_CAMPAIGNS or campaign_status(campaign, views.model.today) == ENDED:
            break
        targets = (target_progress(t, views.language) for t in campaign.targets)
        shown.append({**refs.ref(campaign),
                      "targets": list(islice((t for t in targets if t["bar"] is not None), HOME_CAMPAIGN_TARGETS))})
    return shown


class CampaignsFeature:
    name = "campaigns"

    def plan(self, views: Views):
        return campaign_jobs(views)

    def home(self, views: Views) -> dict:
        return {"campaigns": home_campaigns(views)}


register(CampaignsFeature())
