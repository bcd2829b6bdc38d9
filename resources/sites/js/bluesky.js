// somecapture: Bluesky post threads (official web app, linear view), driven by
// resources/sites/bluesky.json. Thread items are flat siblings; the reply tree is drawn with
// reply lines: a post whose first row holds a line continues the post above it.
// op "extract": root post, replies in page order with parents, reported counts and the
//               "Read N more replies" links that lead to other pages (missing replies);
// op "nags":    hide a fixed bottom bar with Sign up / Sign in buttons (mobile widths).
({ cfg, op }) => {
  const TH = cfg.thread || {};
  const EX = cfg.extract || {};
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
  const docBox = (el) => {
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY),
             width: Math.round(r.width), height: Math.round(r.height) };
  };
  const postPath = (href) => {
    const m = /\/profile\/([^/?#]+)\/post\/([^/?#]+)/.exec(href || "");
    return m ? { actor: decodeURIComponent(m[1]), rkey: m[2] } : null;
  };
  const idOf = (p) => (p ? `at://${p.actor}/app.bsky.feed.post/${p.rkey}` : null);
  // niceDate() ("March 12, 2026 at 9:30 AM") is rendered in the browser's own time zone, so
  // parsing it in the same browser gives the right instant; other locales stay as shown
  const isoOf = (label) => {
    if (!label) return null;
    const d = new Date(label.replace(/\s+at\s+/, " "));
    return Number.isNaN(d.getTime()) ? label : d.toISOString();
  };

  if (op === "nags") {
    const N = cfg.login_nag || {};
    const labels = (N.fixed_bar_labels || []).map((x) => new RegExp(x, "i"));
    const maxH = innerHeight * (N.max_height_fraction || 0.3);
    const done = [];
    const seen = new Set();
    for (const b of document.querySelectorAll("button, [role=button]")) {
      const t = clean(b.getAttribute("aria-label") || b.innerText);
      if (!labels.some((re) => re.test(t))) continue;
      let bar = null;
      for (let el = b; el && el !== document.body; el = el.parentElement) {
        if (getComputedStyle(el).position === "fixed") { bar = el; break; }
      }
      if (!bar || seen.has(bar)) continue;
      seen.add(bar);
      const r = bar.getBoundingClientRect();
      if (getComputedStyle(bar).display === "none" || r.height < 2 || r.height > maxH) continue;
      if (r.bottom < innerHeight - 4) continue;
      bar.style.setProperty("display", "none", "important");
      done.push({ kind: "login", action: "hidden",
                  detail: "fixed bottom bar with Sign up / Sign in buttons" });
    }
    return done;
  }

  if (op !== "extract") return null;
  const items = [...document.querySelectorAll(TH.item)];
  const here = postPath(location.pathname);
  const R = EX.reply || {};
  const read = (el) => {
    const link = q1(el, R.permalink, (a) => !!postPath(a.getAttribute("href")));
    const path = link ? postPath(link.getAttribute("href")) : null;
    const profileLinks = [...el.querySelectorAll("a[href^='/profile/']:not([href*='/post/'])")];
    const nameLink = profileLinks.find((a) => clean(a.innerText) && !clean(a.innerText).startsWith("@"));
    const handleLink = profileLinks.find((a) => clean(a.innerText).startsWith("@"));
    const textEl = q1(el, R.text);
    const media = [];
    for (const sel of list(R.media)) {
      let found = [];
      try { found = el.querySelectorAll(sel); } catch (e) { continue; }
      for (const img of found) {
        const url = img.currentSrc || img.src;
        if (!url || url.startsWith("data:")) continue;
        media.push({ type: "image", url, alt: img.getAttribute("alt") || null });
      }
      if (media.length) break;
    }
    let linked = false;
    try { linked = !!el.querySelector(TH.linked_above); } catch (e) {}
    return {
      el, path, id: idOf(path), url: link ? link.href : null,
      author: nameLink ? clean(nameLink.innerText).split("\n")[0] : null,
      handle: handleLink ? clean(handleLink.innerText) : null,
      published_at: link ? isoOf(link.getAttribute("title") || link.getAttribute("aria-label")) : null,
      text: textEl ? clean(textEl.innerText) : null,
      media, linked_above: linked,
    };
  };
  let anchorEl = null;
  try { anchorEl = document.querySelector(TH.anchor); } catch (e) {}
  const out = { root: null, replies: [], reported: {}, source: "selectors", unexpanded: [] };
  const anchorIdx = anchorEl ? items.indexOf(anchorEl) : -1;
  if (anchorIdx >= 0) {
    const RO = EX.root || {};
    const post = read(anchorEl);
    // the anchor has no link to itself: identity from the URL / the page's at:// link
    const alt = RO.at_uri ? document.querySelector(RO.at_uri) : null;
    const id = here ? idOf(here) : alt ? alt.getAttribute("href") : null;
    const authorLink = q1(anchorEl, RO.author, (a) => !!clean(a.innerText));
    const lines = authorLink ? clean(authorLink.innerText).split("\n") : [];
    const hm = new RegExp(RO.handle_regex || "@\\S+").exec(authorLink ? clean(authorLink.innerText) : "");
    const meta = RO.published_meta ? document.querySelector(RO.published_meta) : null;
    const counts = {};
    for (const c of EX.counts || []) {
      if (counts[c.name] !== undefined) continue;
      const scope = c.within === "root" ? anchorEl : document;
      const el = q1(scope, c.selector);
      if (!el) continue;
      const t = c.attr ? el.getAttribute(c.attr) : el.innerText;
      const m = new RegExp(c.regex, "i").exec(t || "");
      const n = m ? parseInt(m[1].replace(/[\s.,\u00a0]/g, ""), 10) : NaN;
      if (!Number.isNaN(n)) counts[c.name] = n;
    }
    if (counts.comments !== undefined) out.reported.comments = counts.comments;
    out.root = {
      id, url: location.href,
      author: lines[0] || post.author, handle: hm ? hm[0] : post.handle,
      published_at: meta ? meta.getAttribute("content") : null,
      text: post.text, media: post.media, counts, screenshot_box: docBox(anchorEl),
      at_uri: alt ? alt.getAttribute("href") : null,
      ancestors: items.slice(0, anchorIdx).map((el) => {
        const p = read(el);
        return { id: p.id, author: p.author, handle: p.handle, text: p.text };
      }),
      title: document.title || null,
    };
    let prev = null;
    for (const el of items.slice(anchorIdx + 1)) {
      const p = read(el);
      if (!p.id) continue;
      out.replies.push({
        id: p.id, parent_id: p.linked_above && prev ? prev.id : id, url: p.url,
        author: p.author, handle: p.handle, published_at: p.published_at, text: p.text,
        media: p.media, screenshot_box: docBox(el),
      });
      prev = p;
    }
  }
  // replies we know are not on this page
  const readRe = TH.read_more_label ? new RegExp(TH.read_more_label, "i") : null;
  if (readRe) {
    for (const a of document.querySelectorAll(TH.read_more)) {
      if (a.closest(TH.item)) continue;
      const t = clean(a.innerText);
      const m = readRe.exec(t);
      if (m) out.unexpanded.push({ count: parseInt(m[1], 10),
        reason: "the thread continues on another page (a 'read more replies' link); not followed",
        reason_code: "other_page",
        where: Array.from(t).slice(0, 80).join("") });
    }
  }
  const labelRes = (cfg.click_labels || []).map((x) => new RegExp(x, "i"));
  for (const b of document.querySelectorAll(cfg.clickable_query || "button, [role=button]")) {
    const r = b.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    const t = clean((b.getAttribute("aria-label") || "") + " " + b.innerText);
    if (t && t.length <= 80 && labelRes.some((re) => re.test(t))) {
      out.unexpanded.push({ count: null, reason: "a 'more' control was still on the page",
                            reason_code: "control_left",
                            where: Array.from(t).slice(0, 80).join("") });
    }
  }
  out.page = { title: document.title, url: location.href, lang: document.documentElement.lang || null };
  return out;
}
