// The search page (/tim-kiem/): runs the query in ?q= against the static Pagefind index.
//
// Vietnamese both ways: the index holds every word with "đ" a second time written with "d"
// (generator/search_records.py), so "cong doan" finds "Công đoàn" while a query typed with
// diacritics still matches the original words exactly, which Pagefind ranks first. The query
// is sent as typed (NFC); excerpts are cut here from the page text before the supplement
// (after SENTINEL), so they keep their diacritics, and matches are marked by folded comparison.
//
// Ranking: Pagefind scores words one by one, so for "cong doan" a rarer word such as "doanh"
// (doanh nghiệp) can outscore the "đoàn" the reader meant. Two corrections: the title folded to
// plain letters (meta "folded") is searched with a weight, and within the first page of results
// those whose title is the query, then whose title, then whose text holds the query as a phrase
// (diacritics folded) come first.
//
// Kinds: every record carries the Pagefind filter "kind" (news, campaign, page or honour roll:
// generator/search_records.py). A query is run once per kind, and the results are shown kind by
// kind, never mixed by score: Pagefind scores each index part against its own word statistics,
// and the honour rolls are parts of their own where "công đoàn" is a rare word (a few collectives,
// the surname Đoàn) while in a year of news every article holds it: on the sample site a roll
// entry scored ~20 times the best article for "cong doan", yet only ~12 times the best one for
// "nguyen thi lan", so no fixed weight of the rolls' parts (`indexWeight`) can put the news first
// for the one and the person first for the other. The kinds come in the order of the filter
// buttons (news first), except that a kind whose first page (PAGE_SIZE results, loaded anyway
// to be shown or compared) holds a result matching the query better (its title is the query, or
// holds it as a phrase: `phraseRank`) comes before the others: "nguyen thi lan" finds that
// person's entry first, "cong doan" the news, although collectives named "Công đoàn …" hold the
// phrase too. The reader can narrow the results to one kind (?loai=<kind>); the counts shown are
// those of the results shown (superseded records left out).
const SENTINEL = "\u2042";
const RANKING = { metaWeights: { folded: 5, title: 5 } };
const KIND_FILTER = "kind";
const PAGE_SIZE = 10;
const EXCERPT_WORDS = 30;

const root = document.querySelector("[data-search]");
if (root) {
  start(root);
}

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

function bare(word) {
  return fold(word).replace(/[^\p{L}\p{N}]/gu, "");
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

async function start(root) {
  const form = root.querySelector("form");
  const input = root.querySelector("input[name=q]");
  const status = root.querySelector("[role=status]");
  const list = root.querySelector("ol");
  const more = root.querySelector(".search-more");
  const bar = root.querySelector(".search-filters");
  const buttons = bar ? [...bar.querySelectorAll("button[data-kind]")] : [];
  const kinds = buttons.map((button) => button.dataset.kind).filter(Boolean);
  const strings = root.dataset;
  let pagefind = null;
  let groups = null;         // the current query's results, kind by kind (in the buttons' order)
  let entries = [];          // what the list shows, in order: each a function giving its data
  let shown = 0;
  let terms = [];
  let query = "";
  let generation = 0;        // one per query
  let view = 0;              // one per rendering of the list (a query, or a filter chosen)
  let selected = new URLSearchParams(window.location.search).get("loai") || "";
  if (!kinds.includes(selected)) selected = "";

  // The index comes in parts (a year of articles each, see generator/search_index.py), listed
  // newest first in parts.json: the first is loaded with its script, the others are merged into
  // it and share its WebAssembly. A part that fails to load is left out, not the whole search.
  // parts.json may also list, per part, records that a newer part supersedes (an edited or
  // deleted page: generator/search_fresh.py): fragment id -> URL, dropped from the results.
  function load() {
    if (!pagefind) {                 // one loading for every query, retried if it failed
      pagefind = open().catch((error) => {
        pagefind = null;
        throw error;
      });
    }
    return pagefind;
  }

  async function open() {
    const settings = { baseUrl: root.dataset.base, excerptLength: EXCERPT_WORDS, ranking: RANKING };
    const listing = await fetch(root.dataset.bundle + "parts.json");
    if (!listing.ok) {
      throw new Error("parts.json: " + listing.status);
    }
    const index = await listing.json();
    const parts = index.parts;
    const hidden = new Map();          // fragment id -> the URLs whose record it may be
    for (const ids of Object.values(index.hidden || {})) {
      for (const [id, url] of Object.entries(ids)) {
        if (!hidden.has(id)) hidden.set(id, new Set());
        hidden.get(id).add(url);
      }
    }
    const api = await import(root.dataset.bundle + parts[0] + "pagefind.js");
    await api.options(settings);
    await Promise.all(parts.slice(1).map((part) =>
      api.mergeIndex(root.dataset.bundle + part, settings).catch((error) => console.warn(part, error))));
    return { api, hidden };
  }

  // The results without superseded records. Fragment ids are short hashes, unique within a part
  // only, so a result is dropped only if its record's URL is the hidden one too.
  async function current(all, hidden) {
    const suspects = all.filter((result) => hidden.has(result.id));
    if (!suspects.length) return all;
    const stale = new Set();
    await Promise.all(suspects.map(async (result) => {
      const data = await result.data();
      if (hidden.get(result.id).has(data.raw_url)) stale.add(result);
    }));
    return all.filter((result) => !stale.has(result));
  }

  async function run(raw) {
    const text = raw.normalize("NFC").trim().replace(/\s+/g, " ");
    const mine = ++generation;
    view++;
    groups = null;
    list.replaceChildren();
    more.hidden = true;
    if (bar) bar.hidden = true;
    if (!text) {
      status.textContent = "";
      root.dataset.state = "idle";
      return;
    }
    status.textContent = strings.loading;
    root.dataset.state = "searching";
    try {
      const { api, hidden } = await load();
      // One search per kind (a page without the filter buttons: one search of everything).
      const asked = kinds.length ? kinds : [""];
      const searches = await Promise.all(asked.map((kind) =>
        api.search(text, kind ? { filters: { [KIND_FILTER]: kind } } : {})));
      if (mine !== generation || searches.some((search) => !search)) return;     // a newer query has started
      const found = await Promise.all(searches.map((search) => current(search.results, hidden)));
      if (mine !== generation) return;
      query = text;
      terms = text.split(" ").map(bare).filter(Boolean);
      groups = asked.map((kind, index) => ({ kind, index, results: found[index], head: null, best: -1, opening: null }));
      await show();
    } catch (error) {
      if (mine === generation) failed();
    }
  }

  function failed() {
    status.textContent = strings.error;
    root.dataset.state = "error";
  }

  // The first page of a kind's results, loaded once: reordered by phrase, and its best phrase rank.
  function opening(group) {
    if (!group.opening) {
      group.opening = Promise.all(group.results.slice(0, PAGE_SIZE).map((result) => result.data())).then((items) => {
        group.best = Math.max(-1, ...items.map((item) => phraseRank(item, terms)));
        group.head = byPhrase(items, terms);
      });
    }
    return group.opening;
  }

  // The current query's results for the chosen kind (all kinds: kind by kind, see the top).
  async function show() {
    const ticket = ++view;
    root.dataset.state = "searching";
    const chosen = groups.filter((group) => !selected || group.kind === selected);
    await Promise.all(chosen.map(opening));
    if (ticket !== view) return;
    const ordered = [...chosen].sort((a, b) => b.best - a.best || a.index - b.index);
    entries = ordered.flatMap((group) => [
      ...group.head.map((item) => () => item),
      ...group.results.slice(PAGE_SIZE).map((result) => () => result.data()),
    ]);
    shown = 0;
    list.replaceChildren();
    await showMore(ticket);
    if (ticket !== view) return;
    // Announced once the first results are on the page.
    const total = groups.reduce((sum, group) => sum + group.results.length, 0);
    const values = { n: entries.length, q: query, kind: label(selected) };
    if (selected && total) {
      status.textContent = fill(entries.length ? strings.resultsKind : strings.noneKind, values);
    } else {
      status.textContent = fill(total ? strings.results : strings.none, values);
    }
    showCounts(total);
    root.dataset.state = "done";
  }

  async function showMore(ticket) {
    const batch = entries.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(batch.map((entry) => entry()));
    if (ticket !== view) return;
    for (const item of data) list.append(renderResult(item, terms, root.dataset.base));
    shown += batch.length;
    more.hidden = shown >= entries.length;
  }

  // The filter buttons: each kind's count (a kind without results is left out, unless chosen).
  function showCounts(total) {
    if (!bar) return;
    for (const button of buttons) {
      const kind = button.dataset.kind;
      const group = groups.find((found) => found.kind === kind);
      const count = kind ? (group ? group.results.length : 0) : total;
      button.querySelector(".search-filter-count").textContent = String(count);
      button.setAttribute("aria-pressed", String(kind === selected));
      button.hidden = kind !== "" && count === 0 && kind !== selected;
    }
    bar.hidden = total === 0;
  }

  function label(kind) {
    const button = buttons.find((found) => found.dataset.kind === kind);
    return button ? button.firstChild.textContent.trim() : "";
  }

  function remember(name, value) {
    const url = new URL(window.location.href);
    if (value) url.searchParams.set(name, value);
    else url.searchParams.delete(name);
    history.replaceState(null, "", url);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remember("q", input.value);
    run(input.value);
  });
  more.addEventListener("click", () => showMore(view).catch(failed));
  for (const button of buttons) {
    button.addEventListener("click", () => {
      selected = button.dataset.kind;
      remember("loai", selected);
      for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
      if (groups) show().catch(failed);     // a search under way shows the chosen kind when done
    });
  }

  const initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  const header = document.getElementById("o-tim-kiem");
  if (header) header.value = initial;
  if (initial) run(initial);
}

function renderResult(item, terms, base) {
  const li = document.createElement("li");
  li.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  const link = document.createElement("a");
  link.href = item.meta.href ? base.replace(/\/$/, "") + item.meta.href : item.url;
  link.textContent = item.meta.title || item.url;
  heading.append(link);
  li.append(heading);
  const facts = [item.meta.category, item.meta.context, item.meta.date].filter(Boolean);
  if (facts.length) {
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    meta.textContent = facts.join(" · ");
    li.append(meta);
  }
  const text = document.createElement("p");
  text.className = "search-result-excerpt";
  appendExcerpt(text, withoutTitle(item.content || "", item.meta.title || ""), terms);
  li.append(text);
  return li;
}

// How well a result matches the query as a phrase (diacritics folded): 3 its title is the query
// (a person's name), 2 its title holds it, 1 its text does, 0 neither.
function phraseRank(item, terms) {
  if (!terms.length) return 0;
  const phrase = " " + terms.join(" ") + " ";
  const words = (text) => " " + text.split(/\s+/).map(bare).filter(Boolean).join(" ") + " ";
  const title = words(item.meta.title || "");
  if (title === phrase) return 3;
  if (title.includes(phrase)) return 2;
  return words((item.content || "").split(SENTINEL)[0]).includes(phrase) ? 1 : 0;
}

// Stable reorder by phraseRank (a query of one word is left in Pagefind's order).
function byPhrase(items, terms) {
  if (terms.length < 2) return items;
  return items.map((item, index) => [phraseRank(item, terms), index, item])
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map((entry) => entry[2]);
}

// The indexed text starts with the title, which the result already shows.
function withoutTitle(content, title) {
  return title && content.startsWith(title) ? content.slice(title.length).replace(/^[.\s]+/, "") : content;
}

// The window of EXCERPT_WORDS words holding most matches (a few words of context before the
// first), with the matching words in <mark>.
function appendExcerpt(target, content, terms) {
  const words = content.split(SENTINEL)[0].split(/\s+/).filter(Boolean);
  const hits = words.map((word) => {
    const key = bare(word);
    return key !== "" && terms.some((term) => key.startsWith(term));
  });
  let best = 0;
  let bestCount = -1;
  let count = 0;
  for (let i = 0; i < words.length; i++) {
    if (hits[i]) count++;
    if (i >= EXCERPT_WORDS && hits[i - EXCERPT_WORDS]) count--;
    const first = Math.max(0, i - EXCERPT_WORDS + 1);
    if (count > bestCount) {
      bestCount = count;
      best = first;
    }
  }
  const firstHit = hits.indexOf(true, best);
  if (firstHit >= 0) best = Math.max(0, firstHit - 5);
  const end = Math.min(words.length, best + EXCERPT_WORDS);
  if (best > 0) target.append("… ");
  for (let i = best; i < end; i++) {
    if (i > best) target.append(" ");
    if (hits[i]) {
      // Mark the word, not the punctuation around it: “Đức,” -> “<mark>Đức</mark>,”.
      const [, before, core, after] = words[i].match(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u);
      const mark = document.createElement("mark");
      mark.textContent = core;
      target.append(before, mark, after);
    } else {
      target.append(words[i]);
    }
  }
  if (end < words.length) target.append(" …");
}
