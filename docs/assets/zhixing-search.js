// The search page (docs/search.md): Pagefind's index (built by the site's build hook), queried
// through its API, after exact lookups (tools/zhixing/site/search.py) for what people type:
// - a 文号 in any common form (乐府〔2019〕13号, 乐府[2019]13号, 乐府〔2019〕第13号) → the document,
//   from one small shard search/numbers/NN.json;
// - an article (第12条, 第十二条) → the article's page (search/articles.json);
// - a unit (全称, 简称, or the name without the county's prefix: 教育局) → the unit's page (search/units.json);
// those first, then Pagefind's own ranking. Each result shows its kind, unit and date.
// No library beyond Pagefind's own files, nothing from the network.
const base = new URL("../", import.meta.url);
const pagefindUrl = new URL("pagefind/pagefind.js", base).href;
const SHARDS = 256;

function shardOf(canonical) {
  let sum = 0;
  for (let i = 0; i < canonical.length; i++) sum += canonical.charCodeAt(i);
  return (sum % SHARDS).toString(16).padStart(2, "0");
}

// Pagefind's code and its index metadata start loading with the page, not when Enter is pressed.
let pagefindReady = null;
function loadPagefind() {
  if (!pagefindReady) {
    pagefindReady = import(pagefindUrl).then(async (pagefind) => {
      if (pagefind.init) await pagefind.init();
      return pagefind;
    });
  }
  return pagefindReady;
}

async function json(path) {
  const response = await fetch(new URL(path, base));
  return response.ok ? response.json() : null;
}

const DOC_NUMBER = /([\u4e00-\u9fff]{1,12}?)\s*[〔\[【［(（]\s*(\d{4})\s*[〕\]】］)）]\s*第?\s*0*(\d+)\s*号/;
const ARTICLE = /第\s*([0-9０-９一二三四五六七八九十百〇零两]+)\s*条/;
const DIGITS = { "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };

function chineseNumber(text) {
  text = text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (/^\d+$/.test(text)) return parseInt(text, 10);
  let total = 0, current = 0;
  for (const ch of text) {
    if (ch in DIGITS) current = DIGITS[ch];
    else if (ch === "十") { total += (current || 1) * 10; current = 0; }
    else if (ch === "百") { total += (current || 1) * 100; current = 0; }
    else return NaN;
  }
  return total + current;
}

async function exactHits(query) {
  const hits = [];
  const number = query.match(DOC_NUMBER);
  if (number) {
    const canonical = `${number[1]}〔${number[2]}〕${number[3]}号`;
    const shard = await json(`search/numbers/${shardOf(canonical)}.json`);
    for (const hit of (shard && shard[canonical]) || []) hits.push(hit);
  }
  const article = query.match(ARTICLE);
  if (article && !Number.isNaN(chineseNumber(article[1]))) {
    const articles = await json("search/articles.json");
    const hit = articles && articles[String(chineseNumber(article[1]))];
    if (hit) hits.push(hit);
  }
  const text = query.trim();
  if (text.length >= 2 && !number) {
    const units = (await json("search/units.json")) || [];
    const unit = units.find((u) => text === u.name || text === u.short || u.short.endsWith(text) || u.name.endsWith(text));
    if (unit) hits.push({ url: unit.url, title: unit.name, meta: unit.meta });
  }
  return hits.map((hit) => ({ url: new URL(hit.url, base).pathname, meta: { title: hit.title, line: hit.meta }, excerpt: "" }));
}

function render(list, data) {
  const item = document.createElement("li");
  item.className = "zx-result";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = (data.meta.title || data.url).replace(/[\u200b-\u200f\u2060\ufeff]/g, "");
  const title = document.createElement("p");
  title.className = "zx-result__title";
  title.appendChild(link);
  const meta = document.createElement("p");
  meta.className = "zx-result__meta";
  meta.textContent = data.meta.line || ["类别", "单位", "日期"].map((k) => data.meta[k]).filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "zx-result__excerpt";
  // Pagefind's excerpt is the page's text, escaped, with <mark> around the matches: keep the marks only.
  const parts = (data.excerpt || "").split(/(<mark>|<\/mark>)/);
  let marked = null;
  for (const part of parts) {
    if (part === "<mark>") { marked = document.createElement("mark"); continue; }
    if (part === "</mark>") { excerpt.appendChild(marked); marked = null; continue; }
    const text = document.createTextNode(new DOMParser().parseFromString(part, "text/html").documentElement.textContent);
    (marked || excerpt).appendChild(text);
  }
  item.append(title, meta, excerpt);
  list.appendChild(item);
}

async function run(query) {
  const status = document.getElementById("zx-search-status");
  const list = document.getElementById("zx-results");
  list.textContent = "";
  if (!query.trim()) return;
  status.textContent = "正在搜索…";
  const [pagefind, exact] = await Promise.all([loadPagefind(), exactHits(query)]);
  const seen = new Set(exact.map((hit) => hit.url));
  // A query that is only a 文号 needs no ranking when the lookup found it; otherwise search for its
  // organ and number without the year (a year is on nearly every page: scoring it is slow and says nothing).
  const number = query.match(DOC_NUMBER);
  const rest = query.replace(DOC_NUMBER, " ").trim();
  const terms = rest || (number ? (exact.length ? "" : `${number[1]} ${number[3]}号`) : query);
  const ranked = terms ? await pagefind.search(terms) : { results: [] };
  const shown = [...exact];
  let total = exact.length + ranked.results.length;
  for (const data of await Promise.all(ranked.results.slice(0, 20).map((r) => r.data()))) {
    const path = new URL(data.url, location.href).pathname;
    if (seen.has(path)) { total--; continue; }  // an exact hit Pagefind found too: listed once
    seen.add(path);
    if (shown.length < 20) shown.push(data);
  }
  for (const data of shown) render(list, data);
  status.textContent = shown.length ? `找到 ${total} 个结果` + (total > shown.length ? `，显示前 ${shown.length} 个` : "") : "没有找到结果";
}

const form = document.querySelector(".zx-search__form");
const box = document.getElementById("zx-q");
if (form && box) {
  const initial = new URLSearchParams(location.search).get("q") || "";
  box.value = initial;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(box.value));
    run(box.value);
  });
  loadPagefind();
  if (initial) run(initial);
}
