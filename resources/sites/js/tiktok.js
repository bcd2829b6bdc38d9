// somecapture: TikTok helpers. Called with {mode: "unclip", selectors} or {mode: "extract",
// item}.
// - unclip: the comment panel is an inner scroll container of fixed height, so a full-page
//   screenshot would show only its first screenful. Every matching container and each
//   ancestor that clips it get overflow visible and no fixed/max height; the page grows
//   instead. Returns a description of each element changed (once per element).
// - extract: for each comment item (same selector and order as the extract step) the handle
//   from its profile link (/@handle), and the item data of __UNIVERSAL_DATA_FOR_REHYDRATION__.
(cfg) => {
  if (cfg.mode === "unclip") {
    const changed = [];
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) return s + "#" + el.id;
      const cls = [...el.classList].find((c) => /Div[A-Z]/.test(c)) || el.classList[0];
      return cls ? s + "." + cls : s;
    };
    const unclip = (el) => {
      if (el.dataset.somecaptureUnclipped) return;
      const st = getComputedStyle(el);
      const clips = ["auto", "scroll", "hidden"].includes(st.overflowY);
      const scroller = st.overflowY === "auto" || st.overflowY === "scroll";
      if (!clips || (!scroller && el.scrollHeight <= el.clientHeight + 1)) return;
      el.dataset.somecaptureUnclipped = "1";
      el.style.setProperty("overflow", "visible", "important");
      el.style.setProperty("max-height", "none", "important");
      el.style.setProperty("height", "auto", "important");
      changed.push(describe(el));
    };
    for (const sel of cfg.selectors || []) {
      let found = [];
      try { found = [...document.querySelectorAll(sel)]; } catch (e) { continue; }
      for (const el of found) {
        for (let n = el; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
          unclip(n);
        }
      }
    }
    return changed;
  }
  const handleOf = (el) => {
    const a = el.querySelector("a[href*='/@']");
    if (!a) return null;
    const m = (a.getAttribute("href") || "").match(/\/@([^/?#]+)/);
    return m ? "@" + decodeURIComponent(m[1]) : null;
  };
  const items = [];
  try {
    document.querySelectorAll(cfg.item).forEach((el) => {
      // a top-level wrapper also holds its replies: read the handle of its own item only
      const own = el.querySelector(":scope > [class*='DivCommentItemWrapper']") || el;
      items.push(handleOf(own));
    });
  } catch (e) {}
  let item = null;
  const script = document.querySelector("script#__UNIVERSAL_DATA_FOR_REHYDRATION__");
  if (script) {
    try {
      const scope = JSON.parse(script.textContent).__DEFAULT_SCOPE__ || {};
      const detail = scope["webapp.video-detail"] || {};
      const s = (detail.itemInfo || {}).itemStruct || null;
      if (s) {
        item = {
          id: s.id || null,
          desc: s.desc || null,
          create_time: s.createTime ? Number(s.createTime) : null,
          unique_id: (s.author || {}).uniqueId || null,
          nickname: (s.author || {}).nickname || null,
          comment_count: (s.stats || {}).commentCount,
        };
      }
    } catch (e) {}
  }
  return { handles: items, item };
}
