// somecapture: X (Twitter) conversation pages, driven by resources/sites/x.json.
// X renders the conversation as a virtualised list: cells outside the viewport are removed
// from the DOM. "collect" remembers every post seen while the page is swept, "extract" reads
// the (fully rendered) list and falls back to the remembered posts, "nags" hides fixed bars
// with log-in/sign-up links, "bottom" tells where the list ends (for the tall viewport).
// Selector values may be lists: they are tried in order (X dropped data-testid in 2026, so
// each data-testid selector has a structural fallback).
({ cfg, op }) => {
  const T = cfg.timeline || {};
  const EX = cfg.extract || {};
  const store = (window.__somecaptureX = window.__somecaptureX || { posts: {}, seq: 0 });
  const list = (v) => (Array.isArray(v) ? v : v ? [v] : []);
  const clean = (s) => (s || "").replace(/\u00a0/g, " ").replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  const q1 = (root, sels, ok) => {
    for (const sel of list(sels)) {
      let found = [];
      try { found = root.querySelectorAll(sel); } catch (e) { continue; }
      for (const el of found) if (!ok || ok(el)) return el;
    }
    return null;
  };
  const qAll = (root, sels) => {
    for (const sel of list(sels)) {
      try {
        const found = [...root.querySelectorAll(sel)];
        if (found.length) return found;
      } catch (e) { /* invalid selector in data: try the next one */ }
    }
    return [];
  };
  const docBox = (el) => {
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY),
             width: Math.round(r.width), height: Math.round(r.height) };
  };
  const statusId = (href) => {
    const m = /\/status(?:es)?\/(\d+)/.exec(href || "");
    return m ? m[1] : null;
  };
  const pageStatus = statusId(location.pathname);

  // cells of the conversation list in visual order (X positions cells with transforms)
  const cells = () => {
    const found = qAll(document, T.cells);
    return found
      .map((el) => ({ el, y: el.getBoundingClientRect().top + scrollY }))
      .sort((a, b) => a.y - b.y);
  };
  const articleIn = (cell) => q1(cell, T.article);

  const readPost = (article) => {
    const R = EX.reply || {};
    const timeEl = q1(article, R.time);
    const link = timeEl ? timeEl.closest("a[href*='/status/']") : null;
    const id = link ? statusId(link.getAttribute("href")) : null;
    const authorEl = q1(article, R.author, (el) => {
      const t = clean(el.innerText);
      return t && !t.startsWith("@");
    });
    const handleEl = q1(article, R.handle, (el) => clean(el.innerText).startsWith("@"));
    const textEl = q1(article, R.text);
    let text = textEl ? clean(textEl.innerText) : null;
    if (textEl && text) {
      // a collapsed long post ends with its "Show more" button: not part of the text
      const more = textEl.querySelector("button, [data-testid='tweet-text-show-more-link']");
      const mt = more ? clean(more.innerText) : "";
      if (mt && text.endsWith(mt)) text = clean(text.slice(0, -mt.length));
    }
    const media = [];
    for (const m of qAll(article, R.media)) {
      if (m.closest("[data-testid='Tweet-User-Avatar'], a[aria-hidden='true']")) continue;
      const url = m.currentSrc || m.src || m.getAttribute("poster") || null;
      if (!url || url.startsWith("data:")) continue;
      media.push({ type: m.tagName.toLowerCase() === "video" ? "video" : "image", url,
                   alt: m.getAttribute("alt") || null });
    }
    let linkedAbove = false;
    try { linkedAbove = !!article.querySelector(T.linked_above); } catch (e) {}
    return {
      id,
      url: link ? link.href : null,
      author: authorEl ? clean(authorEl.innerText).split("\n")[0] : null,
      handle: handleEl ? clean(handleEl.innerText) : null,
      published_at: timeEl ? timeEl.getAttribute("datetime") : null,
      text,
      media,
      linked_above: linkedAbove,
      collapsed: !!(textEl && textEl.querySelector("button, [data-testid='tweet-text-show-more-link']")),
    };
  };

  // walk the rendered cells; posts after a section heading ("Discover more") are not replies
  const scan = () => {
    const out = [];
    let afterHeading = false;
    for (const { el, y } of cells()) {
      const article = articleIn(el);
      if (!article) {
        if (T.section_heading && el.querySelector(T.section_heading)) afterHeading = true;
        out.push({ kind: "other", el, y });
        continue;
      }
      const post = readPost(article);
      if (!post.id) continue;
      post.y = y;
      post.after_heading = afterHeading;
      post.focal = article.matches(T.focal_article || "x-none") || post.id === pageStatus;
      out.push({ kind: "post", el, y, post, article });
    }
    return out;
  };

  const remember = (rows) => {
    for (const row of rows) {
      if (row.kind !== "post") continue;
      const prev = store.posts[row.post.id];
      const rec = Object.assign({}, row.post);
      rec.seq = prev ? prev.seq : ++store.seq;
      // keep the fullest text seen (a post may have been seen collapsed first)
      if (prev && prev.text && (!rec.text || prev.text.length > rec.text.length) && rec.collapsed) {
        rec.text = prev.text;
      }
      store.posts[rec.id] = rec;
    }
  };

  if (op === "collect") {
    const rows = scan();
    remember(rows);
    return { seen: Object.keys(store.posts).length, rendered: rows.filter((r) => r.kind === "post").length };
  }

  if (op === "count") return Object.keys(store.posts).length;

  if (op === "bottom") {
    const rows = cells();
    let bottom = 0;
    for (const { el } of rows) {
      const b = el.getBoundingClientRect().bottom + scrollY;
      if (b > bottom) bottom = b;
      const list = el.parentElement;
      if (list) bottom = Math.max(bottom, list.getBoundingClientRect().bottom + scrollY);
    }
    return { bottom: Math.round(bottom), height: document.scrollingElement.scrollHeight,
             viewport: innerHeight };
  }

  if (op === "nags") {
    // fixed bars at the bottom of the window with log-in / sign-up links ("Don't miss what's
    // happening"); found from the links, so they are found without data-testid too
    const N = cfg.login_nag || {};
    const hrefs = N.link_hrefs || [];
    const maxH = innerHeight * (N.max_height_fraction || 0.4);
    const done = [];
    const seen = new Set();
    for (const a of document.querySelectorAll("a[href]")) {
      let path = "";
      try { path = new URL(a.getAttribute("href"), location.href).pathname; } catch (e) { continue; }
      if (!hrefs.some((h) => path === h || path.startsWith(h + "/"))) continue;
      if (a.closest("section[role='region'], main article")) continue;  // in-content wall
      let bar = null;
      for (let el = a; el && el !== document.body; el = el.parentElement) {
        if (getComputedStyle(el).position === "fixed") { bar = el; break; }
      }
      if (!bar || seen.has(bar)) continue;
      seen.add(bar);
      const r = bar.getBoundingClientRect();
      const st = getComputedStyle(bar);
      if (st.display === "none" || r.height < 2 || r.height > maxH) continue;
      if (r.bottom < innerHeight - 4) continue;
      bar.style.setProperty("display", "none", "important");
      const first = bar.querySelector("span");
      const label = clean(first ? first.textContent : bar.textContent).slice(0, 60);
      done.push({ kind: "login", action: "hidden",
                  detail: `fixed bottom bar with log-in/sign-up links: ${label}` });
    }
    return done;
  }

  if (op === "extract") {
    const rows = scan();
    remember(rows);
    const rendered = new Map();
    for (const row of rows) if (row.kind === "post") rendered.set(row.post.id, row);
    // every post seen: fresh data and boxes where rendered, remembered data otherwise
    const all = Object.values(store.posts).map((rec) => {
      const row = rendered.get(rec.id);
      const post = row ? Object.assign({}, row.post) : Object.assign({}, rec);
      if (row && post.collapsed && rec.text && (!post.text || rec.text.length > post.text.length)) {
        post.text = rec.text;
      }
      post.box = row ? docBox(row.el) : null;
      return post;
    });
    all.sort((a, b) => (a.y - b.y) || (a.seq - b.seq));
    let rootIdx = all.findIndex((p) => p.id === pageStatus);
    if (rootIdx < 0) rootIdx = all.findIndex((p) => p.focal);
    if (rootIdx < 0 && all.length) rootIdx = 0;
    const out = { root: null, replies: [], reported: {}, source: "selectors", unexpanded: [] };
    if (rootIdx >= 0) {
      const r = all[rootIdx];
      const rootRow = rendered.get(r.id);
      const counts = {};
      for (const c of EX.counts || []) {
        const scope = c.within === "root" && rootRow ? rootRow.article : document;
        const el = q1(scope, c.selector, (e) => {
          const t = c.attr ? e.getAttribute(c.attr) : e.innerText;
          return !!t && new RegExp(c.regex, "i").test(t);
        });
        if (!el) continue;
        const t = c.attr ? el.getAttribute(c.attr) : el.innerText;
        const m = new RegExp(c.regex, "i").exec(t);
        const n = m ? parseInt(m[1].replace(/[\s.,\u00a0]/g, ""), 10) : NaN;
        if (!Number.isNaN(n)) counts[c.name] = n;
      }
      if (counts.comments !== undefined) out.reported.comments = counts.comments;
      out.root = {
        id: r.id, url: r.url || location.href, author: r.author, handle: r.handle,
        published_at: r.published_at, text: r.text, media: r.media, counts,
        screenshot_box: r.box,
        ancestors: all.slice(0, rootIdx).map((p) => ({ id: p.id, author: p.author,
                                                       handle: p.handle, text: p.text })),
        title: document.title || null,
      };
      let prev = r;
      for (const p of all.slice(rootIdx + 1)) {
        if (p.after_heading) continue;
        // a connector line from the post above means "reply to the post above"
        const parent = p.linked_above && prev ? prev.id : r.id;
        out.replies.push({
          id: p.id, parent_id: parent, url: p.url, author: p.author, handle: p.handle,
          published_at: p.published_at, text: p.text, media: p.media,
          screenshot_box: p.box,
        });
        prev = p;
      }
    }
    // "show more replies" controls still on the page: replies we know are missing
    const labelRes = (cfg.click_labels || []).map((x) => new RegExp(x, "i"));
    for (const row of rows) {
      if (row.kind !== "other") continue;
      for (const b of row.el.querySelectorAll(cfg.clickable_query || "button, [role=button]")) {
        const t = clean((b.getAttribute("aria-label") || "") + " " + b.innerText);
        if (t && labelRes.some((re) => re.test(t))) {
          out.unexpanded.push({ count: null, reason: "a 'more replies' control was still on the page",
                                reason_code: "control_left",
                                where: Array.from(t).slice(0, 80).join("") });
        }
      }
    }
    out.page = { title: document.title, url: location.href, lang: document.documentElement.lang || null };
    return out;
  }
  return null;
}
