// somecapture: Instagram-specific steps the shared scripts cannot express as data.
// Called as ({op, cfg}) with cfg = resources/sites/instagram.json (merged over generic.json).
//   op "unroll":   let the fixed-height comment panel (an inner scroll area) grow to its full
//                  height so the whole thread is on the full-page screenshot.
//   op "bars":     hide the fixed bottom login bar a logged-out visitor gets.
//   op "annotate": mark each comment's own row (data-somecapture-comment/-id/-parent; ids
//                  from the timestamp link /p/<code>/c/<id>/[r/<id>/]), the post (shortcode)
//                  and copy the comment count out of meta[name=description].
// "unroll" and "bars" return overlay actions for provenance.
({ op, cfg }) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const st = getComputedStyle(el);
    return st.visibility !== "hidden" && st.display !== "none";
  };
  const linkSel = cfg.comment_link || "a[href*='/c/']:has(> time)";
  const main = document.querySelector("main") || document.body;

  if (op === "unroll") {
    const done = [];
    const first = document.querySelector(linkSel);
    if (!first) return done;
    let changed = false;
    for (let el = first.parentElement; el && el !== main && el !== document.body; el = el.parentElement) {
      const st = getComputedStyle(el);
      const scrolls = /(auto|scroll)/.test(st.overflowY) && el.scrollHeight > el.clientHeight + 2;
      const overflows = el.scrollHeight > el.clientHeight + 2;
      // a clipping or height-capped box, or a fixed-height flex column the panel grows out of
      const clips = (st.overflowY === "hidden" && overflows) || st.maxHeight !== "none" ||
        (overflows && st.display.includes("flex"));
      if (scrolls || clips) {
        el.style.setProperty("overflow", "visible", "important");
        el.style.setProperty("max-height", "none", "important");
        el.style.setProperty("height", "auto", "important");
        changed = true;
      }
    }
    if (changed) done.push({ kind: "layout", action: "unrolled", detail: "comment panel (inner scroll area)" });
    return done;
  }

  if (op === "bars") {
    const done = [];
    const links = cfg.login_bar_links || "a[href*='/accounts/login']";
    document.querySelectorAll("body *").forEach((el) => {
      const st = getComputedStyle(el);
      if (st.position !== "fixed" || !visible(el)) return;
      const r = el.getBoundingClientRect();
      if (r.bottom < innerHeight - 4 || r.height > innerHeight * 0.4) return;
      if (el.matches("[role=dialog], [role=dialog] *") || !el.querySelector(links)) return;
      el.style.setProperty("display", "none", "important");
      done.push({ kind: "login", action: "hidden", detail: "bottom login bar" });
    });
    return done;
  }

  if (op === "annotate") {
    const out = { root_id: null };
    // the post: its shortcode from the address (or the canonical link)
    const code = (s) => {  // the last /p/<code> in a path (a username may come before it)
      const all = [...(s || "").matchAll(/\/(?:p|reel|reels|tv)\/([A-Za-z0-9_-]+)/g)];
      return all.length ? all[all.length - 1][1] : null;
    };
    const canon = document.querySelector("link[rel=canonical], meta[property='og:url']");
    out.root_id = (canon ? code(canon.getAttribute("href") || canon.getAttribute("content")) : null)
      || code(location.pathname);
    if (out.root_id) main.setAttribute("data-somecapture-id", out.root_id);
    // "128 likes, 13 comments - user on date: …"
    const desc = document.querySelector("meta[name=description]");
    if (desc && cfg.comment_count_regex) {
      const m = (desc.getAttribute("content") || "").match(new RegExp(cfg.comment_count_regex, "i"));
      if (m) {
        let n = parseInt(m[1].replace(/[ .,\u00a0]/g, ""), 10);
        if (/k$/i.test(m[1])) n *= 1000;
        if (/m$/i.test(m[1])) n *= 1000000;
        if (!Number.isNaN(n)) desc.setAttribute("data-somecapture-comments", String(n));
      }
    }
    // comments: the row of a comment = the highest ancestor of its timestamp link that holds
    // no other comment's timestamp link (replies sit in the unit below the row)
    const links = [...document.querySelectorAll(linkSel)];
    const isLink = new Set(links);
    const rowOf = new Map();
    links.forEach((a) => {
      let row = a;
      for (let el = a.parentElement; el && el !== main; el = el.parentElement) {
        const others = [...el.querySelectorAll(linkSel)].some((x) => x !== a && isLink.has(x));
        if (others) break;
        row = el;
      }
      rowOf.set(a, row);
    });
    const idOf = new Map();
    links.forEach((a) => {
      const m = (a.getAttribute("href") || "").match(/\/c\/(\d+)(?:\/r\/(\d+))?/);
      if (m) idOf.set(a, { id: m[2] || m[1], urlParent: m[2] ? m[1] : null });
    });
    // Reply links name their parent (/c/<parent>/r/<id>/). Without that, use the nesting:
    // the units of top-level comments are the children of the box holding every comment; a
    // unit's first comment is the top-level one and the others are its replies (Instagram
    // nests one level only).
    const rows = links.map((a) => rowOf.get(a));
    let list = rows.length > 1 ? rows[0].parentElement : null;
    while (list && list !== main && !rows.every((r) => list.contains(r))) list = list.parentElement;
    const unitOf = (row) => {
      let u = row;
      while (list && u.parentElement && u.parentElement !== list && u.parentElement !== main) u = u.parentElement;
      return u;
    };
    links.forEach((a) => {
      const own = idOf.get(a);
      if (!own) return;
      const row = rowOf.get(a);
      let parent = own.urlParent;
      if (!parent && list) {
        const first = links.find((x) => unitOf(rowOf.get(x)) === unitOf(row));
        if (first && first !== a && idOf.get(first)) parent = idOf.get(first).id;
      }
      row.setAttribute("data-somecapture-comment", "");
      row.setAttribute("data-somecapture-id", own.id);
      row.setAttribute("data-somecapture-parent", parent || out.root_id || "");
    });
    return out;
  }
  return null;
}
