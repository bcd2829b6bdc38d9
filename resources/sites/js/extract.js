// somecapture: structured thread extract, driven by site data.
// 1. selector-based extraction of the root post and replies (cfg.extract), keeping the tree
//    (parent from an attribute, else the nearest enclosing reply);
// 2. fallback for the root post: JSON-LD (SocialMediaPosting, DiscussionForumPosting, Article…),
//    then OpenGraph / meta tags.
// 3. the count the platform itself shows ("23 comments"), for completeness accounting.
(cfg) => {
  const ex = cfg.extract || {};
  const clean = (s) => (s || "").replace(/\u00a0/g, " ").replace(/[ \t]+/g, " ").replace(/\n{3,}/g, "\n\n").trim();
  const pick = (root, sel) => {
    if (!sel) return null;
    try { return root.querySelector(sel); } catch (e) { return null; }
  };
  const textAt = (root, sel) => { const el = pick(root, sel); return el ? clean(el.innerText || el.textContent) : null; };
  const timeAt = (root, sel) => {
    const el = pick(root, sel || "time[datetime]");
    if (!el) return null;
    return el.getAttribute("datetime") || el.getAttribute("title") || clean(el.textContent) || null;
  };
  const hrefAt = (root, sel) => { const el = pick(root, sel); return el && el.href ? el.href : null; };
  const mediaIn = (root, sel) => {
    const items = [];
    if (!sel) return items;
    let els = [];
    try { els = root.querySelectorAll(sel); } catch (e) {}
    els.forEach((m) => {
      const tag = m.tagName.toLowerCase();
      const url = m.currentSrc || m.src || m.getAttribute("data-src") || m.href || null;
      if (!url || url.startsWith("data:")) return;
      items.push({ type: tag === "video" ? "video" : tag === "img" ? "image" : tag, url,
                   alt: m.getAttribute("alt") || null });
    });
    return items;
  };
  // attr may name several attributes ("data-comment-id, data-reply-id, id"): first one set wins
  const attrOr = (el, attr, fallbackSel) => {
    for (const a of (attr || "").split(",").map((x) => x.trim()).filter(Boolean)) {
      if (el.getAttribute(a)) return el.getAttribute(a);
    }
    if (fallbackSel) { const a = pick(el, fallbackSel); if (a && a.href) return a.href; }
    return null;
  };
  const out = { root: null, replies: [], reported: {}, source: null };
  // where an element is on the full-page screenshot (document coordinates, CSS px)
  const boxOf = (el) => {
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY),
             width: Math.round(r.width), height: Math.round(r.height) };
  };
  // -- root post ----------------------------------------------------------------------
  if (ex.root && ex.root.container) {
    const r = pick(document, ex.root.container);
    if (r) {
      out.root = {
        id: attrOr(r, ex.root.id_attr, null),
        url: hrefAt(r, ex.root.permalink) || location.href,
        author: textAt(r, ex.root.author),
        handle: textAt(r, ex.root.handle),
        published_at: timeAt(r, ex.root.time),
        text: textAt(r, ex.root.text),
        media: mediaIn(r, ex.root.media),
        counts: {},
        screenshot_box: boxOf(r),
      };
      out.source = "selectors";
    }
  }
  // -- replies --------------------------------------------------------------------------
  if (ex.reply && ex.reply.item) {
    let items = [];
    try { items = [...document.querySelectorAll(ex.reply.item)]; } catch (e) {}
    const ids = new Map();
    items.forEach((el, i) => {
      const id = attrOr(el, ex.reply.id_attr, ex.reply.permalink) || "reply-" + (i + 1);
      ids.set(el, id);
    });
    items.forEach((el) => {
      let parent = ex.reply.parent_attr ? attrOr(el, ex.reply.parent_attr, null) : null;
      if (!parent) {
        let p = el.parentElement ? el.parentElement.closest(ex.reply.item) : null;
        parent = p ? ids.get(p) : (out.root ? out.root.id : null);
      }
      // text of this reply only: drop nested replies before reading text
      const own = el.cloneNode(true);
      try { own.querySelectorAll(ex.reply.item).forEach((n) => n.remove()); } catch (e) {}
      out.replies.push({
        id: ids.get(el),
        parent_id: parent,
        author: textAt(own, ex.reply.author),
        handle: textAt(own, ex.reply.handle),
        published_at: timeAt(own, ex.reply.time),
        text: textAt(own, ex.reply.text),
        media: mediaIn(own, ex.reply.media),
        screenshot_box: boxOf(el),
      });
    });
  }
  // -- counts the platform reports --------------------------------------------------------
  for (const c of ex.counts || []) {
    const el = pick(document, c.selector);
    if (!el) continue;
    const t = clean(el.getAttribute(c.attr || "") || el.innerText || el.textContent);
    const m = t.match(new RegExp(c.regex || "([\\d][\\d .,\\u00a0]*)", "i"));
    if (m) {
      // "1,2k" / "1.2K" / "12 k" / "3M": a k or m right after the number scales it, and
      // then its separator is a decimal mark; otherwise separators group thousands
      const unit = /^\s*([km])\b/i.exec(t.slice(m.index + m[0].length));
      const n = unit
        ? Math.round(parseFloat(m[1].replace(/[ \u00a0]/g, "").replace(",", ".")) *
            (unit[1].toLowerCase() === "m" ? 1e6 : 1e3))
        : parseInt(m[1].replace(/[ .,\u00a0]/g, ""), 10);
      if (!Number.isNaN(n)) out.reported[c.name] = n;
    }
  }
  // -- fallbacks: JSON-LD, then OpenGraph/meta --------------------------------------------
  const lds = [];
  document.querySelectorAll('script[type="application/ld+json"]').forEach((s) => {
    try {
      const v = JSON.parse(s.textContent);
      (Array.isArray(v) ? v : (v["@graph"] || [v])).forEach((x) => lds.push(x));
    } catch (e) {}
  });
  const postTypes = /SocialMediaPosting|DiscussionForumPosting|BlogPosting|NewsArticle|Article|VideoObject|Comment/;
  const ld = lds.find((x) => postTypes.test(String(x["@type"] || "")));
  const personName = (a) => (Array.isArray(a) ? a[0] : a) || null;
  const meta = (names) => {
    for (const n of names) {
      const el = document.querySelector(`meta[property="${n}"], meta[name="${n}"]`);
      if (el && el.content) return clean(el.content);
    }
    return null;
  };
  const fb = {
    id: ld ? (ld.identifier || null) : null,
    url: (ld && (ld.url || ld["@id"])) || meta(["og:url"]) || location.href,
    author: null, handle: null,
    published_at: (ld && (ld.datePublished || ld.dateCreated || ld.uploadDate)) ||
      meta(["article:published_time", "og:published_time", "date"]),
    text: (ld && (ld.articleBody || ld.text || ld.description || ld.headline)) ||
      meta(["og:description", "twitter:description", "description"]),
    title: (ld && ld.headline) || meta(["og:title", "twitter:title"]) || document.title || null,
    media: [], counts: {},
  };
  if (ld && ld.author) {
    const a = personName(ld.author);
    fb.author = typeof a === "string" ? a : (a.name || null);
    fb.handle = typeof a === "object" ? (a.alternateName || a.identifier || null) : null;
  }
  if (!fb.author) fb.author = meta(["author", "article:author", "twitter:creator"]);
  const img = meta(["og:image", "twitter:image"]);
  if (img) fb.media.push({ type: "image", url: img, alt: meta(["og:image:alt"]) });
  if (ld && ld.interactionStatistic) {
    (Array.isArray(ld.interactionStatistic) ? ld.interactionStatistic : [ld.interactionStatistic])
      .forEach((s) => {
        const t = String(s.interactionType && (s.interactionType["@type"] || s.interactionType) || "");
        const n = parseInt(s.userInteractionCount, 10);
        if (!Number.isNaN(n) && t) fb.counts[t.replace(/^.*\//, "").replace(/Action$/, "").toLowerCase()] = n;
      });
  }
  if (ld && ld.commentCount !== undefined && out.reported.comments === undefined) {
    const n = parseInt(ld.commentCount, 10);
    if (!Number.isNaN(n)) out.reported.comments = n;
  }
  // last: the page's own words for its count ("7 svar i denne tråden", "12 comments"), when
  // they name one number only; a count on a link to another page is that page's
  if (out.reported.comments === undefined && (cfg.count_labels || []).length) {
    const countRes = cfg.count_labels.map((x) => new RegExp(x, "i"));
    const here = location.pathname.replace(/\/+$/, "");
    const numbers = new Set();
    for (const el of document.body.querySelectorAll("h1, h2, h3, h4, h5, h6, p, span, div, a, strong, b, li, header, summary")) {
      if (el.children.length > 3) continue;
      const t = clean(el.innerText || el.textContent);
      if (!t || t.length > 48 || !countRes.some((re) => re.test(t))) continue;
      const a = el.closest("a[href]");
      if (a) {
        try {
          const u = new URL(a.getAttribute("href"), location.href);
          if (u.pathname.replace(/\/+$/, "") !== here) continue;
        } catch (e) { continue; }
      }
      const m = t.match(/\d[\d .,\u00a0]*/);
      if (/\d\s*[km]\b/i.test(t)) numbers.add(NaN);  // "1.2k": not an exact count
      else if (m) numbers.add(parseInt(m[0].replace(/[ .,\u00a0]/g, ""), 10));
    }
    const only = [...numbers];
    if (only.length === 1 && !Number.isNaN(only[0])) out.reported.comments = only[0];
  }
  if (!out.root) {
    if (ld || fb.text || fb.title) {
      out.root = fb;
      out.source = ld ? "json-ld" : "meta";
    }
  } else {
    // fill gaps in selector-based data from the structured data
    for (const k of ["author", "handle", "published_at", "text"]) {
      if (!out.root[k] && fb[k]) out.root[k] = fb[k];
    }
    if (!out.root.media.length) out.root.media = fb.media;
    out.root.counts = Object.assign({}, fb.counts, out.root.counts);
  }
  if (out.root) out.root.title = fb.title;
  // "more replies" controls still on the page after expansion: content we know is missing
  out.unexpanded = [];
  const labelOf = (el) => {
    const aria = (el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim();
    const text = (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
    // one of them when they repeat each other, so anchored label patterns still match
    if (!aria || text.includes(aria)) return text;
    if (!text || aria.includes(text)) return aria;
    return aria + " " + text;
  };
  const labelRes = (cfg.click_labels || []).map((x) => new RegExp(x, "i"));
  const repeatRes = (cfg.repeat_labels || []).map((x) => new RegExp(x, "i"));
  const skipRes = (cfg.skip_labels || []).map((x) => new RegExp(x, "i"));
  const seen = new Set();
  const consider = (el) => {
    if (seen.has(el)) return;
    seen.add(el);
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || el.disabled) return;
    // expansion judged it no expander (a sort menu, a count-only header): it hides no
    // reply. A "more" link to another page is different: the replies go on there, and the
    // capture did not follow it. Controls that were clicked and loaded nothing still count.
    const kind = el.dataset.somecaptureNotExpander;
    if (kind && kind !== "link") return;
    const t = labelOf(el);
    if (!t || t.length > 80) return;
    if (skipRes.some((re) => re.test(t))) return;
    const clicked = parseInt(el.dataset.somecaptureClicked || "0", 10);
    if (clicked && !repeatRes.some((re) => re.test(t))) return;  // a toggle already opened
    if (!labelRes.some((re) => re.test(t)) && !el.matches((cfg.click_selectors || []).join(",") || "x-none")) return;
    const n = t.match(/(\d[\d .,]*)/);
    out.unexpanded.push({ count: n ? parseInt(n[1].replace(/[ .,]/g, ""), 10) : null,
                          reason: kind === "link"
                            ? "replies go on at another page the capture did not open"
                            : "a 'more' control was still on the page",
                          reason_code: kind === "link" ? "other_page" : "control_left",
                          where: Array.from(t).slice(0, 80).join("") });
  };
  for (const sel of cfg.click_selectors || []) {
    try { document.querySelectorAll(sel).forEach(consider); } catch (e) {}
  }
  if (labelRes.length) {
    document.querySelectorAll(cfg.clickable_query || "button, [role=button], a, span[tabindex], div[tabindex]").forEach((el) => {
      const t = labelOf(el);
      if (t && labelRes.some((re) => re.test(t))) consider(el);
    });
  }
  // further pages of this thread (rel=next, or a paginator linking to a later page of the same
  // address): the replies go on there, and the capture opens one page
  const pageNo = (u) => {
    const m = u.search.match(/[?&](?:page|side|p)=(\d+)/i) || u.pathname.match(/\/page[\/-](\d+)\/?$/i);
    return m ? parseInt(m[1], 10) : 1;
  };
  const basePath = (u) => u.pathname.replace(/\/page[\/-]\d+\/?$/i, "/").replace(/\/+$/, "");
  const here = new URL(location.href);
  let further = null;
  const relNext = document.querySelector('link[rel~="next"][href], a[rel~="next"][href]');
  if (relNext) further = relNext;
  if (!further) {
    for (const a of document.querySelectorAll("a[href]")) {
      let u;
      try { u = new URL(a.href, location.href); } catch (e) { continue; }
      if (u.origin !== here.origin || basePath(u) !== basePath(here)) continue;
      if (!/[?&](?:page|side|p)=\d+|\/page[\/-]\d+\/?$/i.test(u.search + u.pathname)) continue;
      if (pageNo(u) > pageNo(here)) { further = a; break; }
    }
  }
  if (further) {
    const label = (further.textContent || further.getAttribute("href") || "").replace(/\s+/g, " ").trim();
    out.unexpanded.push({ count: null, where: Array.from(label).slice(0, 80).join(""),
                          reason: "replies go on at another page the capture did not open",
                          reason_code: "other_page" });
  }
  out.page = { title: document.title, url: location.href, lang: document.documentElement.lang || null };
  return out;
}
