// somecapture: dismiss cookie-consent dialogs, login nags and other overlays, driven by site
// data. Prefers "reject optional / only necessary" over "accept". Overlays that cannot be
// closed by a button are hidden (display:none) so the screenshot shows the thread.
// Returns a list of {kind, action, detail} for provenance.
(cfg) => {
  const done = [];
  const res = (arr) => (arr || []).map((s) => new RegExp(s, "i"));
  const rejectRes = res(cfg.consent_reject_labels);
  const acceptRes = res(cfg.consent_accept_labels);
  const closeRes = res(cfg.close_labels);
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const st = getComputedStyle(el);
    return st.visibility !== "hidden" && st.display !== "none";
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
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    else if (el.classList.length) s += "." + [...el.classList].slice(0, 2).join(".");
    return s;
  };
  const query = (sels) => {
    const found = [];
    for (const sel of sels || []) {
      try { document.querySelectorAll(sel).forEach((el) => found.push(el)); } catch (e) {}
    }
    return found;
  };
  // Containers that look like overlays: dialogs, known CMP roots, and large fixed layers.
  const overlayRoots = () => {
    const roots = new Set(query(cfg.consent_containers));
    query(["[role=dialog]", "[role=alertdialog]", "[aria-modal=true]", "dialog[open]"])
      .forEach((el) => roots.add(el));
    document.querySelectorAll("body *").forEach((el) => {
      const st = getComputedStyle(el);
      if ((st.position === "fixed" || st.position === "sticky") && visible(el)) {
        const z = parseInt(st.zIndex || "0", 10);
        if (z >= 10 || el.getBoundingClientRect().height > innerHeight * 0.25) roots.add(el);
      }
    });
    return [...roots].filter(visible);
  };
  const clickIn = (roots, regs, kind) => {
    for (const root of roots) {
      const btns = root.querySelectorAll("button, [role=button], a, input[type=button], input[type=submit]");
      for (const re of regs) {
        for (const b of btns) {
          const t = textOf(b) || b.value || "";
          if (t && t.length <= 80 && re.test(t) && visible(b)) {
            b.click();
            done.push({ kind, action: "clicked", detail: Array.from(t).slice(0, 80).join(""), container: describe(root) });
            return true;
          }
        }
      }
    }
    return false;
  };
  const roots = overlayRoots();
  // 1. consent: reject optional first, accept only where no reject exists
  if (!clickIn(roots, rejectRes, "consent")) clickIn(roots, acceptRes, "consent");
  // 2. explicit close buttons by selector (login nags etc.)
  for (const el of query(cfg.close_selectors)) {
    if (visible(el)) {
      el.click();
      done.push({ kind: "login", action: "clicked", detail: describe(el) });
    }
  }
  // 3. close buttons by label inside remaining dialogs
  clickIn(overlayRoots().filter((r) => r.matches("[role=dialog], [aria-modal=true], dialog")),
          closeRes, "dialog");
  // 4. hide what is configured to be hidden, and remaining full-screen blockers
  for (const el of query(cfg.hide_selectors)) {
    if (visible(el)) {
      el.style.setProperty("display", "none", "important");
      el.dataset.somecaptureHidden = "1";  // a hidden login wall is still a login wall
      done.push({ kind: "overlay", action: "hidden", detail: describe(el) });
    }
  }
  // never hide a layer that holds the post or the thread itself (some platforms open a post
  // in a dialog, even from a direct link)
  const content = [((cfg.extract || {}).root || {}).container, cfg.item_selector]
    .filter(Boolean).join(", ");
  const holdsContent = (el) => {
    if (!content) return false;
    try { return !!el.querySelector(content) || el.matches(content); } catch (e) { return false; }
  };
  for (const el of overlayRoots()) {
    const r = el.getBoundingClientRect();
    const covers = r.width >= innerWidth * 0.5 && r.height >= innerHeight * 0.5;
    const st = getComputedStyle(el);
    if (covers && st.position === "fixed" && !holdsContent(el)) {
      el.style.setProperty("display", "none", "important");
      el.dataset.somecaptureHidden = "1";  // a hidden login wall is still a login wall
      done.push({ kind: "overlay", action: "hidden", detail: describe(el) });
    }
  }
  // 5. dialogs lock scrolling on <html>/<body>; unlock so the whole thread can be captured
  for (const el of [document.documentElement, document.body]) {
    if (!el) continue;
    const st = getComputedStyle(el);
    if (st.overflow === "hidden" || st.overflowY === "hidden") {
      el.style.setProperty("overflow", "visible", "important");
      done.push({ kind: "scroll-lock", action: "removed", detail: el.tagName.toLowerCase() });
    }
  }
  return done;
}
