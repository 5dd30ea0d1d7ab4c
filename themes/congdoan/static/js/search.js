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
// those whose title, then whose text, holds the query as a phrase (diacritics folded) come first.
const SENTINEL = "\u2042";
const RANKING = { metaWeights: { folded: 5, title: 5 } };
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
  const more = root.querySelector("button[type=button]");
  const strings = root.dataset;
  let pagefind = null;
  let results = [];
  let shown = 0;
  let terms = [];
  let generation = 0;

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
    const query = raw.normalize("NFC").trim().replace(/\s+/g, " ");
    const mine = ++generation;
    list.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      root.dataset.state = "idle";
      return;
    }
    status.textContent = strings.loading;
    root.dataset.state = "searching";
    try {
      const { api, hidden } = await load();
      const search = await api.search(query);
      if (mine !== generation || !search) return;     // a newer query has started
      const found = await current(search.results, hidden);
      if (mine !== generation) return;
      results = found;
      terms = query.split(" ").map(bare).filter(Boolean);
      shown = 0;
      await showMore(mine);
      if (mine !== generation) return;
      // Announced once the first results are on the page.
      status.textContent = fill(results.length ? strings.results : strings.none, { n: results.length, q: query });
      root.dataset.state = "done";
    } catch (error) {
      status.textContent = strings.error;
      root.dataset.state = "error";
    }
  }

  async function showMore(mine) {
    const batch = results.slice(shown, shown + PAGE_SIZE);
    let data = await Promise.all(batch.map((result) => result.data()));
    if (mine !== generation) return;
    if (shown === 0) data = byPhrase(data, terms);
    for (const item of data) list.append(renderResult(item, terms, root.dataset.base));
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });
  more.addEventListener("click", () => showMore(generation));

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

// Stable reorder: title holds the query as a phrase, then the text does, then the rest.
function byPhrase(items, terms) {
  if (terms.length < 2) return items;
  const phrase = " " + terms.join(" ") + " ";
  const has = (text) => (" " + text.split(/\s+/).map(bare).filter(Boolean).join(" ") + " ").includes(phrase);
  const rank = (item) => (has(item.meta.title || "") ? 2 : has((item.content || "").split(SENTINEL)[0]) ? 1 : 0);
  return items.map((item, index) => [rank(item), index, item])
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
