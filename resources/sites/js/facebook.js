// somecapture: Facebook-specific steps the shared scripts cannot express as data.
// Called as ({op, cfg}) with cfg = resources/sites/facebook.json (merged over generic.json).
//   op "sort":     switch the comment order from "Most relevant" to "All comments" once
//                  (the relevance filter hides comments); returns {clicked: [labels]}.
//   op "bars":     hide the fixed bottom login bar a logged-out visitor gets; returns
//                  overlay actions for provenance.
//   op "annotate": write data-somecapture-id / -parent on the post and on every comment
//                  (ids from the timestamp link's comment_id / reply_comment_id, the tree
//                  from the li nesting, since a reply is a sibling of its parent's article),
//                  tag the "N comments" counter; returns handles read from profile links.
async ({ op, cfg }) => {
  const res = (arr) => (arr || []).map((s) => new RegExp(s, "i"));
  const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const st = getComputedStyle(el);
    return st.visibility !== "hidden" && st.display !== "none";
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const ex = cfg.extract || {};

  if (op === "sort") {
    const out = { clicked: [] };
    if (document.documentElement.dataset.somecaptureSorted) return out;
    const controlRes = res(cfg.sort_control_labels);
    const allRes = res(cfg.sort_all_labels);
    const control = [...document.querySelectorAll("[role=button][aria-haspopup=menu]")]
      .find((b) => visible(b) && controlRes.some((re) => re.test(norm(b.innerText))));
    if (!control) return out;
    document.documentElement.dataset.somecaptureSorted = "1";
    control.click();
    out.clicked.push(norm(control.innerText).slice(0, 60));
    let items = [];
    for (let i = 0; i < 20 && !items.length; i++) {
      await sleep(50);
      items = [...document.querySelectorAll("[role=menu] [role=menuitem]")].filter(visible);
    }
    const target = items.find((m) => allRes.some((re) => re.test(norm(m.innerText))))
      || items[items.length - 1];  // "All comments" is the menu's last entry
    if (target) {
      out.clicked.push(norm(target.innerText).slice(0, 60));
      target.click();
    }
    return out;
  }

  if (op === "bars") {
    const done = [];
    const linkSel = cfg.login_bar_links || "a[href*='/login']";
    document.querySelectorAll("body *").forEach((el) => {
      const st = getComputedStyle(el);
      if (st.position !== "fixed" || !visible(el)) return;
      const r = el.getBoundingClientRect();
      // a bar along the bottom edge, not a dialog, holding log-in / sign-up links
      if (r.bottom < innerHeight - 4 || r.height > innerHeight * 0.4) return;
      if (el.matches("[role=dialog], [role=dialog] *") || !el.querySelector(linkSel)) return;
      el.style.setProperty("display", "none", "important");
      done.push({ kind: "login", action: "hidden", detail: "bottom login bar" });
    });
    return done;
  }

  if (op === "annotate") {
    const out = { root_handle: null, handles: {} };
    const handleOf = (a) => {
      if (!a || !a.href) return null;
      try {
        const u = new URL(a.href, location.href);
        const id = u.searchParams.get("id");
        if (/\/profile\.php$/.test(u.pathname) && id) return id;
        const m = u.pathname.match(/\/(?:groups\/[^/]+\/user\/)?([^/]+)\/?$/);
        return m ? decodeURIComponent(m[1]) : null;
      } catch (e) { return null; }
    };
    // the post
    let root = null;
    try { root = document.querySelector(ex.root && ex.root.container); } catch (e) {}
    let rootId = null;
    if (root) {
      const link = root.querySelector(ex.root.permalink || "a[href*='/posts/']");
      if (link) {
        try {
          const u = new URL(link.href, location.href);
          const m = u.pathname.match(/\/(?:posts|permalink|videos|reel)\/([^/]+)/);
          rootId = (m && m[1]) || u.searchParams.get("story_fbid") || u.searchParams.get("fbid");
        } catch (e) {}
      }
      if (!rootId) {
        const m = location.pathname.match(/\/(?:posts|permalink|videos|reel)\/([^/]+)/);
        rootId = m ? m[1] : null;
      }
      if (rootId) root.setAttribute("data-somecapture-id", rootId);
      const profile = root.querySelector(
        "[data-ad-rendering-role='profile_name'] a[role=link], h2 a[role=link], h3 a[role=link]");
      out.root_handle = handleOf(profile);
    }
    // comments and replies
    const itemSel = (ex.reply && ex.reply.item) || "[role=article][aria-label]";
    const items = [...document.querySelectorAll(itemSel)].filter((a) => a !== root);
    const idOf = new Map();
    items.forEach((a) => {
      const link = a.querySelector("a[href*='comment_id=']");
      if (!link) return;
      try {
        const u = new URL(link.href, location.href);
        const cid = u.searchParams.get("comment_id");
        const rid = u.searchParams.get("reply_comment_id");
        idOf.set(a, { id: rid || cid, urlParent: rid ? cid : rootId });
      } catch (e) {}
    });
    items.forEach((a) => {
      const own = idOf.get(a);
      if (!own) return;
      // the parent is the comment whose li holds this one's li
      let parent = null;
      const li = a.closest("li");
      const outer = li && li.parentElement ? li.parentElement.closest("li") : null;
      if (outer) {
        const first = outer.querySelector(itemSel);
        if (first && first !== a && idOf.has(first)) parent = idOf.get(first).id;
      }
      a.setAttribute("data-somecapture-id", own.id);
      const p = parent || own.urlParent;
      if (p) a.setAttribute("data-somecapture-parent", p);
      const author = a.querySelector("span > a[role=link], a[href*='/user/'], a[href*='/profile.php']");
      out.handles[own.id] = handleOf(author);
    });
    // "13 comments": the counter in the post's own counts row
    const countRe = new RegExp(cfg.comment_count_regex || "^(\\d[\\d .,]*)\\s*comments?$", "i");
    const scope = root || document;
    const counter = [...scope.querySelectorAll("[role=button] span, span")]
      .find((s) => !s.closest(itemSel) && countRe.test(norm(s.innerText)));
    if (counter) counter.setAttribute("data-somecapture-count", "comments");
    return out;
  }
  return null;
}
