// somecapture: hide what covers the thread, found by position and size rather than by name.
// Runs just before the screenshot, after the named overlay rules (overlays.js) have done what
// they could. Bottom sheets ("Don't miss what's happening"), login bars, chat widgets,
// app-install banners and full-screen backdrops are fixed (or sticky) layers: in a full-page
// screenshot they would sit over the replies, or repeat in every stitched segment. The page's
// own top header and narrow side columns stay.
// Returns a list of {kind, action, detail, found_by, rule, box} for provenance.
({ cfg, viewport }) => {
  const done = [];
  // X's adapter makes the window as tall as the thread before the screenshot: "short" and
  // "at the top" are judged against the ordinary viewport, "at the bottom" against the window
  const vw = innerWidth;
  const vh = innerHeight;
  const nominalH = Math.min(vh, (viewport && viewport.height) || vh);
  const EDGE = 48;  // px from a viewport edge still counted as "at" that edge
  const clean = (s) => (s || "").replace(/\s+/g, " ").trim();
  const shown = (st) => st.display !== "none" && st.visibility !== "hidden" &&
    parseFloat(st.opacity || "1") > 0.05;
  // A fixed layer is often a zero-size anchor whose children stick out of it (X's bottom bar
  // lives in a 0 px tall fixed div at the bottom of the window): its painted box is the union
  // of its own box and its visible descendants' boxes (unless it clips them).
  const paintedBox = (el, st) => {
    let r = el.getBoundingClientRect();
    let box = r.width >= 2 && r.height >= 2
      ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
    if (st.overflow === "visible" || st.overflow === "") {
      const inner = el.querySelectorAll("*");
      for (let i = 0; i < inner.length && i < 400; i++) {
        r = inner[i].getBoundingClientRect();
        if (r.width < 2 || r.height < 2) continue;
        if (!box) box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
        else {
          box.left = Math.min(box.left, r.left); box.top = Math.min(box.top, r.top);
          box.right = Math.max(box.right, r.right); box.bottom = Math.max(box.bottom, r.bottom);
        }
      }
    }
    if (!box) return null;
    // only the part inside the window is seen
    const left = Math.max(0, box.left), top = Math.max(0, box.top);
    const right = Math.min(vw, box.right), bottom = Math.min(vh, box.bottom);
    if (right - left < 2 || bottom - top < 2) return null;
    return { left, top, right, bottom, width: right - left, height: bottom - top };
  };
  // never hide a layer that holds the post or the thread itself (some platforms open a post in
  // a dialog), nor one that holds most of the page's text (an app shell that is itself fixed)
  const content = [((cfg.extract || {}).root || {}).container, cfg.item_selector]
    .filter(Boolean).join(", ");
  const pageText = clean(document.body ? document.body.innerText : "").length;
  const holdsPage = (el) => {
    if (content) {
      try { if (el.matches(content) || el.querySelector(content)) return true; } catch (e) {}
    }
    const own = clean(el.innerText).length;
    return pageText >= 200 && own >= pageText * 0.6;
  };
  const describe = (el, b, rule) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    else if (el.classList.length) s += "." + [...el.classList].slice(0, 2).join(".");
    const words = clean(el.innerText).split(" ").slice(0, 8).join(" ");
    return `${s} ${Math.round(b.width)}×${Math.round(b.height)} px at ` +
      `(${Math.round(b.left)}, ${Math.round(b.top)}), ${rule}` + (words ? `: “${words}”` : "");
  };
  // Which rule (if any) makes a layer an overlay. Order matters: a backdrop is also wide.
  const ruleFor = (b, st) => {
    const fixed = st.position === "fixed";
    if (fixed && b.width >= vw * 0.9 && b.height >= vh * 0.9) return "full-screen backdrop";
    // the page's own header: a bar at the very top, short against the ordinary viewport
    if (b.top <= 2 && b.height < nominalH * 0.2) return null;
    const atBottom = b.bottom >= vh - EDGE && b.top >= vh - nominalH * 0.6;
    if (!fixed) {
      // a sticky element sits in the flow; it covers the thread only when it sticks to the
      // bottom of the window (a sticky title or table header stays)
      const bottomAnchored = st.bottom !== "auto" && st.top === "auto";
      return bottomAnchored && atBottom && b.width >= vw * 0.5 ? "sticky bottom bar" : null;
    }
    if (atBottom && b.width >= vw * 0.5) return "bottom bar";
    const corner = b.bottom >= vh - EDGE && (b.right >= vw - EDGE || b.left <= EDGE) &&
      b.width <= vw * 0.4 && b.height <= nominalH * 0.75 && b.top > EDGE;
    if (corner) return "corner widget";
    if (atBottom) return "bottom layer";
    if (b.width >= vw * 0.5) return "wide layer";
    return null;  // a narrow side column or a small badge: part of the page's layout
  };
  const chosen = [];
  for (const el of document.querySelectorAll("body *")) {
    if (chosen.some((c) => c.contains(el))) continue;  // inside a layer already hidden
    const st = getComputedStyle(el);
    if (st.position !== "fixed" && st.position !== "sticky") continue;
    if (!shown(st) || el.closest("[data-somecapture-hidden]")) continue;
    const b = paintedBox(el, st);
    if (!b) continue;
    const rule = ruleFor(b, st);
    if (!rule || holdsPage(el)) continue;
    chosen.push(el);
    done.push({ kind: "overlay", action: "hidden", found_by: "geometry", rule,
                detail: describe(el, b, rule),
                box: { x: Math.round(b.left), y: Math.round(b.top),
                       width: Math.round(b.width), height: Math.round(b.height) } });
  }
  for (const el of chosen) {
    el.style.setProperty("visibility", "hidden", "important");
    el.style.setProperty("display", "none", "important");
    el.dataset.somecaptureHidden = "1";  // a hidden login wall is still a login wall
  }
  return done;
}
