// somecapture: one round of thread expansion, driven by site data (resources/sites/*.json).
// Clicks visible "more replies" / "see more" controls that have not been clicked before and
// scrolls the page (and large inner scroll areas) to the bottom to trigger lazy loading.
// Returns what it did; the Python side decides when the thread is stable.
(cfg) => {
  const out = { clicked: [], scrolledTo: 0, height: 0 };
  const labelRes = (cfg.click_labels || []).map((s) => new RegExp(s, "i"));
  const skipRes = (cfg.skip_labels || []).map((s) => new RegExp(s, "i"));
  // "load more" controls stay in place and are clicked again each round until they vanish;
  // toggles ("2 replies", "see more") are clicked once, since a second click would collapse.
  const repeatRes = (cfg.repeat_labels || []).map((s) => new RegExp(s, "i"));
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
  // A link to another page would navigate the capture away from the post: never click one.
  const navigates = (el) => {
    const a = el.closest("a[href]");
    if (!a) return false;
    const href = a.getAttribute("href") || "";
    if (href === "" || href.startsWith("#") || href.startsWith("javascript:")) return false;
    if (a.getAttribute("role") === "button") return false;
    try {
      const u = new URL(href, location.href);
      return !(u.pathname === location.pathname && u.search === location.search);
    } catch (e) { return true; }
  };
  const candidates = new Set();
  for (const sel of cfg.click_selectors || []) {
    try { document.querySelectorAll(sel).forEach((el) => candidates.add(el)); } catch (e) {}
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
    const times = parseInt(el.dataset.somecaptureClicked || "0", 10);
    if (times > 0) {
      const t0 = textOf(el);
      if (!repeatRes.some((re) => re.test(t0)) || times >= maxRepeat) continue;
    }
    if (el.getAttribute("aria-expanded") === "true") continue;
    if (!visible(el) || navigates(el)) continue;
    const t = textOf(el);
    if (skipRes.some((re) => re.test(t))) continue;
    el.dataset.somecaptureClicked = String(times + 1);
    try {
      el.scrollIntoView({ block: "center" });
      el.click();
      out.clicked.push(t.slice(0, 60));
    } catch (e) {}
  }
  const se = document.scrollingElement || document.documentElement;
  if (cfg.scroll !== false) {
    se.scrollTop = se.scrollHeight;
    // inner scroll areas (comment panes in dialogs) do not grow the document itself
    document.querySelectorAll(cfg.scroll_containers || "div, section, ul").forEach((el) => {
      if (el.scrollHeight > el.clientHeight + 100 && el.clientHeight > 200) {
        const st = getComputedStyle(el).overflowY;
        if (st === "auto" || st === "scroll") el.scrollTop = el.scrollHeight;
      }
    });
  }
  out.scrolledTo = se.scrollTop;
  out.height = se.scrollHeight;
  out.items = cfg.item_selector ? document.querySelectorAll(cfg.item_selector).length : 0;
  return out;
}
