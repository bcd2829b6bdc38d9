// somecapture: Mastodon status pages (any instance), driven by resources/sites/mastodon.json.
// op "after_expand": show collapsed long replies in full (Mastodon's own "Read more" opens
//                  another page, so the max-height is lifted instead) and hide the column's
//                  status toasts ("All replies loaded"), which would cover replies; recorded.
// op "extract":    focal status, descendants in page order; parents from the context API the
//                  page itself used (re-read), else from the thread lines; reported counts
//                  from the page's JSON-LD.
async ({ cfg, op }) => {
  const TH = cfg.thread || {};
  const EX = cfg.extract || {};
  const clean = (s) => (s || "").replace(/\u00a0/g, " ").replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  const pick = (root, sel) => { try { return sel ? root.querySelector(sel) : null; } catch (e) { return null; } };
  const textAt = (root, sel) => { const el = pick(root, sel); return el ? clean(el.innerText) : null; };
  const docBox = (el) => {
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY),
             width: Math.round(r.width), height: Math.round(r.height) };
  };
  const mediaIn = (root, sel) => {
    const out = [];
    let els = [];
    try { els = root.querySelectorAll(sel); } catch (e) {}
    els.forEach((m) => {
      const url = m.currentSrc || m.src || null;
      if (!url || url.startsWith("data:")) return;
      out.push({ type: m.tagName.toLowerCase() === "video" ? "video" : "image", url,
                 alt: m.getAttribute("alt") || null });
    });
    return out;
  };

  if (op === "after_expand") {
    const done = [];
    document.querySelectorAll(TH.toasts || "x-none").forEach((t) => {
      const r = t.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) return;
      t.style.setProperty("display", "none", "important");
      done.push({ kind: "overlay", action: "hidden",
                  detail: `status toast: ${clean(t.innerText).split("\n")[0].slice(0, 60)}` });
    });
    let n = 0;
    document.querySelectorAll(TH.collapsed).forEach((c) => {
      if (c.dataset.somecaptureUncollapsed) return;
      c.dataset.somecaptureUncollapsed = "1";
      c.style.setProperty("max-height", "none", "important");
      c.style.setProperty("overflow", "visible", "important");
      const wrap = c.parentElement;
      const more = wrap ? wrap.querySelector(TH.read_more_button) : null;
      if (more) more.style.setProperty("display", "none", "important");
      n += 1;
    });
    if (n) done.push({ kind: "content", action: "expanded",
                       detail: `${n} collapsed post(s) shown in full (max-height lifted; the platform's 'Read more' opens another page)` });
    return done;
  }
  if (op !== "extract") return null;

  // focal status id from the URL (/@acct/<id>, /users/<u>/statuses/<id>, /deck/@acct/<id>)
  const m = /\/(?:@[^/]+|statuses)\/(\d{6,})\/?$/.exec(location.pathname);
  const focalId = m ? m[1] : null;
  const focal = pick(document, TH.focal);
  const out = { root: null, replies: [], reported: {}, source: "selectors", unexpanded: [] };

  // parents: the context the page fetched (same URL again), falling back to thread lines
  let parents = null;
  if (focalId && TH.context_api) {
    const tail = TH.context_api.replace("{id}", focalId);
    const used = performance.getEntriesByType("resource").map((e) => e.name)
      .filter((u) => { try { return new URL(u).pathname.includes(tail); } catch (e) { return false; } });
    const url = used.length ? used[used.length - 1] : new URL(tail, location.origin).href;
    try {
      const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (r.ok) {
        const ctx = await r.json();
        parents = {};
        for (const s of (ctx.descendants || []).concat(ctx.ancestors || [])) parents[s.id] = s.in_reply_to_id || null;
      }
    } catch (e) { /* API closed to visitors: thread lines only */ }
  }

  // JSON-LD of the status page: counts and publication time
  let ld = null;
  document.querySelectorAll('script[type="application/ld+json"]').forEach((s) => {
    try {
      const v = JSON.parse(s.textContent);
      if (String(v["@type"] || v.type || "") === "SocialMediaPosting") ld = v;
    } catch (e) {}
  });
  const counts = {};
  if (ld) {
    const stats = ld.interactionStatistic || ld.interaction_statistic || [];
    for (const c of EX.counts || []) {
      const s = stats.find((x) => String(x.interactionType || x.interaction_type || "").endsWith(c.jsonld_interaction));
      const n = s ? parseInt(s.userInteractionCount ?? s.user_interaction_count, 10) : NaN;
      if (!Number.isNaN(n)) counts[c.name] = n;
    }
  }
  if (counts.comments !== undefined) out.reported.comments = counts.comments;

  if (focal) {
    const R = EX.root || {};
    const meta = pick(document, R.published_meta);
    const timeLink = pick(focal, R.time_link);
    out.root = {
      id: focalId, url: timeLink ? timeLink.href : location.href,
      author: textAt(focal, R.author), handle: textAt(focal, R.handle),
      published_at: meta ? meta.getAttribute("content") : (ld && ld.datePublished) || null,
      text: textAt(focal, R.text), media: mediaIn(focal, R.media), counts,
      screenshot_box: docBox(focal.closest(".detailed-status__wrapper") || focal),
      title: document.title || null,
    };
  }
  const R = EX.reply || {};
  const items = [...document.querySelectorAll(TH.item)];
  const focalTop = focal ? focal.getBoundingClientRect().top : -Infinity;
  const descendants = items.filter((el) => el.getBoundingClientRect().top > focalTop);
  if (out.root) out.root.ancestors = items.filter((el) => !descendants.includes(el))
    .map((el) => ({ id: el.dataset.id, author: textAt(el, R.author), text: textAt(el, R.text) }));
  let prev = null;
  for (const el of descendants) {
    const id = el.dataset.id;
    let parent;
    let parentFrom = "context-api";
    if (parents && Object.prototype.hasOwnProperty.call(parents, id)) {
      parent = parents[id];
    } else {
      // thread lines (legacy/status.jsx): a line without "first in thread" joins the post
      // above; "first in thread" + a line that is not --full joins the focal post
      parentFrom = "thread-lines";
      const line = el.querySelector(":scope > .status__line");
      const first = el.classList.contains("status--first-in-thread");
      if (line && !first) parent = prev ? prev.id : focalId;
      else if (line && !line.classList.contains("status__line--full")) parent = focalId;
      else parent = focalId;  // a reply to an earlier post: not recoverable from the lines
    }
    const cw = textAt(el, R.cw);
    const link = pick(el, R.permalink);
    const time = pick(el, R.time);
    out.replies.push({
      id, parent_id: parent, parent_from: parentFrom,
      url: link ? link.href : null,
      author: textAt(el, R.author), handle: textAt(el, R.handle),
      published_at: time ? time.getAttribute("datetime") : null,
      content_warning: cw, text: textAt(el, R.text),
      media: mediaIn(el, R.media),
      screenshot_box: docBox(el.closest(".status__wrapper") || el),
    });
    prev = { id };
  }
  // controls still on the page that hide replies or content
  const labelRes = (cfg.click_labels || []).map((x) => new RegExp(x, "i"));
  const skipRes = (cfg.skip_labels || []).map((x) => new RegExp(x, "i"));
  document.querySelectorAll(cfg.clickable_query || "button").forEach((b) => {
    const r = b.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || getComputedStyle(b).display === "none") return;
    const t = clean((b.getAttribute("aria-label") || "") + " " + b.innerText);
    if (!t || t.length > 80 || skipRes.some((re) => re.test(t)) || !labelRes.some((re) => re.test(t))) return;
    if (parseInt(b.dataset.somecaptureClicked || "0", 10) > 0) return;
    out.unexpanded.push({ count: null, reason: "a 'more' control was still on the page", reason_code: "control_left", where: Array.from(t).slice(0, 80).join("") });
  });
  out.page = { title: document.title, url: location.href, lang: document.documentElement.lang || null };
  return out;
}
