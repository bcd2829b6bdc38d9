// somecapture: one round of thread expansion, driven by site data (resources/sites/*.json).
// Clicks visible "more replies" / "see more" controls and scrolls the page (and large inner
// scroll areas) to the bottom to trigger lazy loading. Returns what it did; the Python side
// decides when the thread is stable.
//
// Every control is remembered for the life of the page (window.__somecaptureExpand) under a
// stable key: the element's identity within the page plus its label and href. After each
// round the Python side calls this script again with cfg.op = "judge" (once the network has
// gone quiet): the controls clicked in that round are "productive" when something grew (page
// height, thread items, inner scroll areas, or the click itself changed the layout at once) or
// the network was still busy, otherwise "dead" — and a dead control is never clicked again. A
// page with nothing to load therefore stops expanding after one round of clicks instead of
// clicking the same links until the budget runs out.
(cfg) => {
  const mem = (window.__somecaptureExpand = window.__somecaptureExpand ||
    { ids: new WeakMap(), seq: 0, controls: {}, pending: [], snap: null, afterClicks: null,
      lastJudge: null });
  const se = document.scrollingElement || document.documentElement;
  const itemCount = () => {
    if (!cfg.item_selector) return 0;
    try { return document.querySelectorAll(cfg.item_selector).length; } catch (e) { return 0; }
  };
  // inner scroll areas (comment panes in dialogs) grow without growing the document
  const innerAreas = () => [...document.querySelectorAll(cfg.scroll_containers || "div, section, ul")]
    .filter((el) => el.scrollHeight > el.clientHeight + 100 && el.clientHeight > 200 &&
      ["auto", "scroll"].includes(getComputedStyle(el).overflowY));
  const measure = () => ({
    height: se.scrollHeight,
    items: itemCount(),
    inner: innerAreas().reduce((sum, el) => sum + el.scrollHeight, 0),
  });

  const differs = (a, b) => a.height !== b.height || a.items !== b.items || a.inner !== b.inner;
  if (cfg.op === "peek") {
    // has anything grown since the round began? (no verdict, nothing remembered)
    const now = measure();
    const base = mem.lastJudge || mem.snap || now;
    return { grew: differs(now, base) || (!!mem.afterClicks && differs(now, mem.afterClicks)) };
  }

  if (cfg.op === "judge") {
    const now = measure();
    // against the previous verdict's measure, taken at the same point of the previous round
    // (after its scroll and wait): a virtualised list (X) holds other items at the top of the
    // page than at the bottom, so the round's own starting point is no fair comparison
    const base = mem.lastJudge || mem.snap || now;
    const grew = differs(now, base);
    mem.lastJudge = now;
    // what came after the clicks (loaded content) is credited to every control clicked; what a
    // click changed at once (a toggle) only to that control, so one working toggle does not
    // keep a round's inert loaders alive
    const later = differs(now, mem.afterClicks || base);
    const controls = [];
    for (const key of mem.pending) {
      const c = mem.controls[key];
      if (!c) continue;
      // a request still in flight may yet bring the replies: no verdict against the control
      c.state = later || c.sync || cfg.network_busy ? "productive" : "dead";
      controls.push({ key, label: c.label, clicks: c.clicks, state: c.state });
    }
    mem.pending = [];
    mem.snap = null;
    mem.afterClicks = null;
    return { grew, height: now.height, items: now.items, controls };
  }

  const out = { clicked: [], scrolledTo: 0, height: 0 };
  // the state before this round's clicks and scrolling, for the verdict (X's adapter calls
  // this script several times per round: the first call of the round takes it)
  if (!mem.snap) mem.snap = measure();
  const res = (arr) => (arr || []).map((s) => new RegExp(s, "i"));
  const labelRes = res(cfg.click_labels);
  const skipRes = res(cfg.skip_labels);
  // labels the site data vouches for: count-only labels ("2 svar") that expand on this site
  const expanderRes = res(cfg.expander_labels);
  // sort and filter menus ("Sorted by: best", "Most relevant"): they reorder or open a popup,
  // never load replies
  const menuRes = res(cfg.menu_labels);
  // "100 comments", "12 svar": a count, and nothing else
  const countRes = res(cfg.count_labels);
  // "load more" controls stay in place and are clicked again each round until they vanish or
  // load nothing; toggles ("2 replies", "see more") are clicked once, since a second click
  // would collapse.
  const repeatRes = res(cfg.repeat_labels);
  const maxRepeat = cfg.max_repeat_per_control || 200;
  const maxClicks = cfg.max_clicks_per_round || 25;
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const st = getComputedStyle(el);
    return st.visibility !== "hidden" && st.display !== "none" && st.opacity !== "0";
  };
  // the aria-label or the visible text; both only when they say different things (so anchored
  // label patterns match buttons whose aria-label repeats their text)
  const textOf = (el) => {
    const aria = (el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim();
    const text = (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
    if (!aria || text.includes(aria)) return text;
    if (!text || aria.includes(text)) return aria;
    return aria + " " + text;
  };
  // A link to another page would navigate the capture away from the post: never click one,
  // whatever the site data says. A link to this very page without a fragment reloads it.
  const navigates = (el) => {
    const a = el.closest("a[href]");
    if (!a) return false;
    const href = a.getAttribute("href") || "";
    if (href === "" || href.startsWith("#") || href.startsWith("javascript:")) return false;
    if (a.getAttribute("role") === "button") return false;
    try {
      const u = new URL(href, location.href);
      const here = new URL(location.href);
      if (u.origin !== here.origin || u.pathname !== here.pathname || u.search !== here.search) {
        return true;
      }
      return u.hash === "";
    } catch (e) { return true; }
  };
  const trimmed = (path) => path.replace(/\/+$/, "") || "/";
  const linksHere = (el) => {
    try {
      const u = new URL(el.closest("a[href]").getAttribute("href"), location.href);
      return trimmed(u.pathname) === trimmed(location.pathname) && u.search === location.search;
    } catch (e) { return false; }
  };
  const isButton = (el) => el.matches("button, [role=button], summary, input[type=button]");
  // sort/filter controls open a popup menu or a select; some say so only by their label
  const isMenu = (el, t) =>
    el.matches("select, [role=combobox], [role=listbox], [role=menuitem], [role=tab]") ||
    ["true", "menu", "listbox", "dialog", "tree", "grid"].includes(
      (el.getAttribute("aria-haspopup") || "").toLowerCase()) ||
    menuRes.some((re) => re.test(t));
  // a count-only label on a link or in a heading is the thread's header ("100 comments"),
  // not a toggle; count-only buttons ("2 svar") do open replies
  const isCountHeader = (el, t) =>
    countRes.some((re) => re.test(t)) &&
    (!isButton(el) || !!el.closest("h1, h2, h3, h4, h5, h6, [role=heading], header"));
  const keyOf = (el, t) => {
    let id = mem.ids.get(el);
    if (!id) { id = ++mem.seq; mem.ids.set(el, id); }
    const a = el.closest("a[href]");
    return id + "|" + Array.from(t).slice(0, 80).join("") + "|" + (a ? a.getAttribute("href") : "");
  };

  const candidates = new Set();
  const marked = new Set();  // matched by the site's click_selectors: vouched for
  for (const sel of cfg.click_selectors || []) {
    try {
      document.querySelectorAll(sel).forEach((el) => { candidates.add(el); marked.add(el); });
    } catch (e) {}
  }
  if (labelRes.length) {
    document.querySelectorAll(cfg.clickable_query ||
      "button, [role=button], a, span[tabindex], div[tabindex]").forEach((el) => {
      const t = textOf(el);
      if (t.length > 0 && t.length <= 80 && labelRes.some((re) => re.test(t))) candidates.add(el);
    });
  }
  for (const el of candidates) {
    if (out.clicked.length >= maxClicks) break;
    if (el.disabled || el.getAttribute("aria-disabled") === "true") continue;
    if (el.getAttribute("aria-busy") === "true") continue;
    if (el.getAttribute("aria-expanded") === "true") continue;
    if (!visible(el)) continue;
    const t = textOf(el);
    if (navigates(el)) {
      // a link to this very thread (a "201 comments" header, the same address on a mirror
      // host) leads to no further replies; a link elsewhere may
      el.dataset.somecaptureNotExpander = linksHere(el) ? "self" : "link";
      continue;
    }
    const vouched = marked.has(el) || expanderRes.some((re) => re.test(t));
    if (!vouched && isMenu(el, t)) { el.dataset.somecaptureNotExpander = "menu"; continue; }
    if (!vouched && isCountHeader(el, t)) { el.dataset.somecaptureNotExpander = "count"; continue; }
    if (skipRes.some((re) => re.test(t))) continue;
    const key = keyOf(el, t);
    const c = mem.controls[key];
    // loaded nothing when clicked: never again; clicked and not judged yet (X's sweep calls
    // this script several times a round): wait for the verdict
    if (c && (c.state === "dead" || c.state === "pending")) continue;
    const times = parseInt(el.dataset.somecaptureClicked || "0", 10);
    if (times > 0 && (!repeatRes.some((re) => re.test(t)) || times >= maxRepeat)) continue;
    el.dataset.somecaptureClicked = String(times + 1);
    const entry = c || { label: t.slice(0, 60), clicks: 0 };
    mem.controls[key] = entry;
    try {
      el.scrollIntoView({ block: "center" });
      const before = se.scrollHeight;
      el.click();
      // a toggle that shows hidden replies changes the layout at once (reading scrollHeight
      // forces that layout); a loader only starts a request, judged after the network settles
      entry.sync = se.scrollHeight !== before;
      entry.clicks += 1;
      entry.state = "pending";
      mem.pending.push(key);
      out.clicked.push(t.slice(0, 60));
    } catch (e) {}
  }
  if (out.clicked.length) mem.afterClicks = measure();
  if (cfg.scroll !== false) {
    se.scrollTop = se.scrollHeight;
    innerAreas().forEach((el) => { el.scrollTop = el.scrollHeight; });
  }
  out.scrolledTo = se.scrollTop;
  out.height = se.scrollHeight;
  out.items = itemCount();
  return out;
}
