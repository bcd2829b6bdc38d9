// somecapture: where the thread's persons are on the rendered page (issue 18, screening).
// Finds the boxes, in full-page screenshot pixels, of every person's name and handle text,
// avatar image and profile link, of each post's text (for --screen-text), and of candidate
// identity numbers, phone numbers and e-mail addresses in the page's text. The package masks
// the boxes of private persons in the screened variant; this script decides nothing about who
// is private. Nothing here names a site: text, links and images are found the same way on
// every page.
//
// Coordinates: document CSS px with the page scrolled to the top, the convention of the
// screenshot (full_page_png: clip at scale 1, captureBeyondViewport, after scrollTo(0, 0)) and
// of extract.js's screenshot_box. The script scrolls to the top itself, so fixed and sticky
// layers sit where the screenshot shows them.
//
// Cost: one walk over the composed tree (light DOM, open shadow roots, same-origin iframes)
// building one flat, whitespace-normalised copy of the visible text with a map back to the
// text nodes; needles are looked up through an index of word starts (no regex or indexOf
// per node or per needle over the whole text); a Range per matched text node piece.
(cfg) => {
  const started = performance.now();
  cfg = cfg || {};
  const deadline = started + (cfg.time_budget_ms || 12000);
  const MAX_BOXES = cfg.max_boxes || 20000;
  const PAD = cfg.pad === undefined ? 2 : cfg.pad;
  const AVATAR_MIN = 12, AVATAR_MAX = 160;
  const LINK_MAX_H = 200;       // a link taller than this is a whole card, not a profile link
  const NEAR_PX = 80;           // an avatar this far left of / above a name still goes with it
  const MAX_UP = 6;             // ancestor levels searched for a name's avatar
  const LONG_TEXT = 300, HEAD = 120, TAIL = 60, SHORT_TEXT = 20;

  window.scrollTo(0, 0);
  const de = document.documentElement;
  const body = document.body || de;
  // the same measure as screenshot.py's page_size()
  const pageH = Math.max(de.scrollHeight, body.scrollHeight, de.offsetHeight, body.offsetHeight);
  const pageW = Math.max(de.clientWidth, window.innerWidth || 0);
  const viewH = cfg.viewport_height || window.innerHeight;
  const out = { page_height: pageH, page_width: pageW, scroll_y: Math.round(window.scrollY),
                hits: [], needles_not_found: [], texts_not_found: [], capped: false,
                incomplete: null, frames_skipped: 0, large_links_skipped: 0, text_chars: 0,
                ms: 0, timings: {} };
  let lap = started;
  // where the time went, per part (ms), for the step's figures
  const mark = (part) => { const now = performance.now(); out.timings[part] = Math.round(now - lap); lap = now; };
  let boxCount = 0;
  const late = () => performance.now() > deadline;

  // -- characters --------------------------------------------------------------------------
  // invisible format characters platforms wrap names in (bidi marks, soft hyphens, zero-width
  // joiners): dropped from the flat text, so "\u202aKari\u202c" reads "Kari"
  const DROP = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;
  const SPACE = /\s/;
  const WORD_RE = /[\p{L}\p{N}\p{M}_]/u;
  const COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a]/;
  const isWordCode = (c) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) || c === 95 ||
    (c > 127 && WORD_RE.test(String.fromCharCode(c)));
  const lowerChar = (ch) => { const l = ch.toLowerCase(); return l.length === 1 ? l : ch; };
  // a needle as the flat text is built: NFC, format characters dropped, whitespace collapsed,
  // lower case per character (a case change that alters the length keeps the character)
  const normNeedle = (s) => {
    let t = String(s || "").normalize("NFC");
    let o = "";
    let space = true;
    for (const ch of t) {
      if (DROP.test(ch)) continue;
      if (SPACE.test(ch)) { if (!space) { o += " "; space = true; } continue; }
      o += ch.length === 1 ? lowerChar(ch) : ch;
      space = false;
    }
    return o.trimEnd();
  };

  // -- the flat text -----------------------------------------------------------------------
  let cap = 1 << 16;
  let mapNode = new Int32Array(cap), mapS = new Int32Array(cap), mapE = new Int32Array(cap);
  const rawParts = [], lowParts = [];
  let flatLen = 0;
  let lastSpace = true;      // the last emitted character is a space (or nothing yet)
  let pendingSep = false;    // a block boundary or line break since the last character
  const textNodes = [];      // [node, frame context]
  const grow = () => {
    cap *= 2;
    for (const name of ["mapNode", "mapS", "mapE"]) {
      const old = name === "mapNode" ? mapNode : name === "mapS" ? mapS : mapE;
      const next = new Int32Array(cap);
      next.set(old);
      if (name === "mapNode") mapNode = next; else if (name === "mapS") mapS = next; else mapE = next;
    }
  };
  let rawBuf = "", lowBuf = "";
  const flush = () => { if (rawBuf) { rawParts.push(rawBuf); lowParts.push(lowBuf); rawBuf = lowBuf = ""; } };
  const emit = (raw, low, node, s, e) => {
    if (flatLen >= cap) grow();
    rawBuf += raw; lowBuf += low;
    mapNode[flatLen] = node; mapS[flatLen] = s; mapE[flatLen] = e;
    flatLen++;
    if (rawBuf.length > 4096) flush();
  };
  const sep = () => { pendingSep = true; };
  const addText = (node, ctx) => {
    const data = node.data;
    if (!data) return;
    const idx = textNodes.length;
    let chars;  // [char, start, end] per output character
    if (COMBINING.test(data)) {
      // decomposed letters (a + ring above): composed per cluster, mapped to the cluster
      chars = [];
      let i = 0;
      while (i < data.length) {
        let j = i + (data.codePointAt(i) > 0xffff ? 2 : 1);
        while (j < data.length && COMBINING.test(data[j])) j++;
        for (const ch of data.slice(i, j).normalize("NFC")) {
          for (let k = 0; k < ch.length; k++) chars.push([ch[k], i, j]);
        }
        i = j;
      }
    }
    const low = chars ? null : data.toLowerCase();
    const aligned = low !== null && low.length === data.length;
    const n = chars ? chars.length : data.length;
    for (let k = 0; k < n; k++) {
      const ch = chars ? chars[k][0] : data[k];
      const s = chars ? chars[k][1] : k, e = chars ? chars[k][2] : k + 1;
      const code = ch.charCodeAt(0);
      const plain = code > 32 && code < 127;  // printable ASCII: neither dropped nor a space
      if (!plain && DROP.test(ch)) continue;
      if (!plain && SPACE.test(ch)) {
        if (!lastSpace) { emit(" ", " ", idx, s, e); lastSpace = true; }
        pendingSep = false;
        continue;
      }
      if (pendingSep && !lastSpace) emit(" ", " ", -1, 0, 0);
      pendingSep = false;
      const l = aligned ? low[k] : (code >= 0xd800 && code <= 0xdfff ? ch : lowerChar(ch));
      emit(ch, l, idx, s, e);
      lastSpace = false;
    }
    textNodes.push([node, ctx]);
  };

  // -- the walk over the composed tree ----------------------------------------------------
  const SKIP = new Set(["script", "style", "noscript", "template", "head", "title", "textarea",
    "select", "option", "datalist", "object", "embed", "video", "audio", "map", "param",
    "source", "track", "meta", "link"]);
  const SVG_SKIP = new Set(["title", "desc", "defs", "symbol", "clippath", "mask", "pattern",
    "marker", "metadata", "lineargradient", "radialgradient", "filter", "style", "script"]);
  const REPLACED = new Set(["img", "br", "hr", "input", "canvas", "iframe", "frame", "svg",
    "picture", "wbr"]);
  const anchors = [];        // [element, ctx]
  const images = [];         // [element, ctx, kind]
  const styleOf = (el, ctx) => ctx.win.getComputedStyle(el);
  const composedChildren = (node) => {
    if (node.shadowRoot) return node.shadowRoot.childNodes;
    // a closed <details> shows its summary only (the rest sits in the browser's own closed
    // shadow tree, not rendered)
    if (node.localName === "details" && !node.open) {
      return [...node.children].filter((c) => c.localName === "summary").slice(0, 1);
    }
    if (node.localName === "slot" && typeof node.assignedNodes === "function") {
      const assigned = node.assignedNodes();
      if (assigned.length) return assigned;
    }
    return node.childNodes;
  };
  let walked = 0;
  const frameCtx = (iframe, parent) => {
    const r = iframe.getBoundingClientRect();
    const st = styleOf(iframe, parent);
    const left = r.left + iframe.clientLeft + (parseFloat(st.paddingLeft) || 0);
    const top = r.top + iframe.clientTop + (parseFloat(st.paddingTop) || 0);
    const box = [parent.ox + left, parent.oy + top,
                 parent.ox + left + iframe.clientWidth, parent.oy + top + iframe.clientHeight];
    return { ox: parent.ox + left, oy: parent.oy + top, clip: intersect(parent.clip, box),
             win: null, doc: null };
  };
  const walk = (node, ctx, vis, svg, depth) => {
    if (depth > 400) return;  // a pathological nesting: what lies deeper is not searched
    if ((++walked & 1023) === 0 && late()) { out.incomplete = "time"; return; }
    for (const child of composedChildren(node)) {
      if (out.incomplete) return;
      const type = child.nodeType;
      if (type === 3) {
        if (vis) addText(child, ctx);
        else sep();  // hidden-but-laid-out text still parts the words around it
        continue;
      }
      if (type !== 1) continue;
      const el = child;
      const tag = el.localName;
      if (svg ? SVG_SKIP.has(tag) : SKIP.has(tag)) continue;
      let st;
      try { st = styleOf(el, ctx); } catch (e) { continue; }
      const display = st.display;
      if (display === "none") continue;
      // contents skipped by the renderer (hidden="until-found", content-visibility: hidden)
      if (st.contentVisibility === "hidden") { sep(); continue; }
      const shown = st.visibility === "visible" && parseFloat(st.opacity || "1") > 0.02 && vis !== null;
      const inline = display.startsWith("inline") || display === "contents" || display.startsWith("ruby");
      if (!inline || REPLACED.has(tag)) sep();
      if (tag === "a" && el.hasAttribute("href")) anchors.push([el, ctx, shown]);
      if (!svg && (tag === "img" || tag === "canvas" || tag === "svg")) {
        if (shown) images.push([el, ctx, tag]);
      } else if (!svg && st.backgroundImage && st.backgroundImage.includes("url(")) {
        if (shown) images.push([el, ctx, "background"]);
      }
      if (tag === "iframe" || tag === "frame") {
        let doc = null;
        try { doc = el.contentDocument; } catch (e) { doc = null; }
        if (doc && doc.documentElement) {
          const sub = frameCtx(el, ctx);
          sub.win = doc.defaultView; sub.doc = doc;
          if (sub.win) walk(doc.documentElement, sub, shown ? true : null, false, depth + 1);
        } else if (shown && el.clientWidth >= 20 && el.clientHeight >= 20) {
          out.frames_skipped++;  // another origin's frame: its text cannot be read
        }
        continue;
      }
      if (tag === "img" || tag === "canvas" || tag === "input" || tag === "br" || tag === "hr") continue;
      // opacity 0 hides the whole subtree; visibility may be turned back on below
      walk(el, ctx, st.opacity !== undefined && parseFloat(st.opacity || "1") <= 0.02 ? null
        : (vis === null ? null : st.visibility === "visible"), svg || tag === "svg", depth + 1);
      if (!inline) sep();
    }
  };
  function intersect(a, b) {
    if (!a) return b;
    if (!b) return a;
    return [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  }
  const top = { ox: window.scrollX, oy: window.scrollY, clip: null, win: window, doc: document };
  walk(de, top, true, false, 0);
  flush();
  mark("walk");
  const flatRaw = rawParts.join("");
  const flatLow = lowParts.join("");
  out.text_chars = flatLen;

  // -- boxes ------------------------------------------------------------------------------
  // Overflow clipping: text scrolled out of a container, or cut by text-overflow, is not on
  // the screenshot. Followed up the ancestors only while the element is in normal flow (an
  // absolutely positioned element may escape its parent's clip): where unsure, a box is
  // kept whole, so a mask may be larger than needed but never smaller.
  const clipMemo = new Map();
  const parentOf = (el) => el.assignedSlot || el.parentElement ||
    (el.parentNode && el.parentNode.host) || null;
  const clipOf = (el, ctx) => {
    if (!el || el === ctx.doc.documentElement || el === ctx.doc.body) return ctx.clip;
    if (clipMemo.has(el)) return clipMemo.get(el);
    let result = ctx.clip;
    try {
      const st = styleOf(el, ctx);
      const pos = st.position;
      const up = pos === "absolute" || pos === "fixed" ? ctx.clip : clipOf(parentOf(el), ctx);
      result = up;
      const ox = st.overflowX, oy = st.overflowY;
      if (!st.display.startsWith("inline") && (ox !== "visible" || oy !== "visible")) {
        const r = el.getBoundingClientRect();
        const x0 = ctx.ox + r.left + el.clientLeft, y0 = ctx.oy + r.top + el.clientTop;
        const own = [ox !== "visible" ? x0 : -1e9, oy !== "visible" ? y0 : -1e9,
                     ox !== "visible" ? x0 + el.clientWidth : 1e9,
                     oy !== "visible" ? y0 + el.clientHeight : 1e9];
        result = intersect(up, own);
      }
      if ((pos === "absolute" || pos === "fixed") && st.clip && st.clip.startsWith("rect(")) {
        const v = st.clip.slice(5, -1).split(/[\s,]+/).map((x) => parseFloat(x));
        if (v.length === 4 && v.every((x) => !Number.isNaN(x))) {
          const r = el.getBoundingClientRect();
          result = intersect(result, [ctx.ox + r.left + v[3], ctx.oy + r.top + v[0],
                                      ctx.ox + r.left + v[1], ctx.oy + r.top + v[2]]);
        }
      }
    } catch (e) { result = ctx.clip; }
    clipMemo.set(el, result);
    return result;
  };
  // viewport rects of one frame -> document boxes, clipped (those with nothing left dropped)
  const docRects = (rects, ctx, clip) => {
    const res = [];
    for (const r of rects) {
      if (r.width < 0.5 || r.height < 0.5) continue;
      let b = [ctx.ox + r.left, ctx.oy + r.top, ctx.ox + r.right, ctx.oy + r.bottom];
      if (clip) b = intersect(b, clip);
      if (b[2] - b[0] < 0.5 || b[3] - b[1] < 0.5) continue;
      res.push(b);
    }
    return res;
  };
  // rects on one line (overlapping by half their height, a word space apart) become one box
  const mergeLines = (rects) => {
    rects.sort((a, b) => ((a[1] + a[3]) - (b[1] + b[3])) || (a[0] - b[0]));
    const merged = [];
    for (const r of rects) {
      const last = merged[merged.length - 1];
      if (last) {
        const h = Math.min(last[3] - last[1], r[3] - r[1]);
        const overlapY = Math.min(last[3], r[3]) - Math.max(last[1], r[1]);
        const gapX = Math.max(last[0], r[0]) - Math.min(last[2], r[2]);
        if (overlapY >= h * 0.5 && gapX <= Math.max(4, h * 0.8)) {
          last[0] = Math.min(last[0], r[0]); last[1] = Math.min(last[1], r[1]);
          last[2] = Math.max(last[2], r[2]); last[3] = Math.max(last[3], r[3]);
          continue;
        }
      }
      merged.push(r.slice());
    }
    return merged;
  };
  // rounded outward, padded, inside the page: [x, y, w, h]
  const finish = (rects) => {
    const res = [];
    for (const r of mergeLines(rects)) {
      const x0 = Math.max(0, Math.floor(r[0]) - PAD), y0 = Math.max(0, Math.floor(r[1]) - PAD);
      const x1 = Math.min(pageW, Math.ceil(r[2]) + PAD), y1 = Math.min(pageH, Math.ceil(r[3]) + PAD);
      if (x1 > x0 && y1 > y0) res.push([x0, y0, x1 - x0, y1 - y0]);
    }
    return res;
  };
  // the rects of the flat span [s, e): one Range per text node piece (so elements inside
  // the span add no boxes of their own)
  const spanRects = (s, e) => {
    let a = s, b = e - 1;
    while (a <= b && mapNode[a] < 0) a++;
    while (b >= a && mapNode[b] < 0) b--;
    if (a > b) return [];
    const first = mapNode[a], last = mapNode[b];
    const rects = [];
    for (let i = first; i <= last; i++) {
      const [node, ctx] = textNodes[i];
      const from = i === first ? mapS[a] : 0;
      const to = i === last ? mapE[b] : node.data.length;
      if (to <= from) continue;
      try {
        const range = ctx.doc.createRange();
        range.setStart(node, from);
        range.setEnd(node, to);
        const parent = node.parentElement || (node.parentNode && node.parentNode.host);
        for (const r of docRects(range.getClientRects(), ctx, clipOf(parent, ctx))) rects.push(r);
      } catch (err) { /* a node removed since the walk: nothing of it is shown */ }
    }
    return rects;
  };
  const elementRects = (el, ctx) => docRects([el.getBoundingClientRect()], ctx,
                                             clipOf(parentOf(el), ctx));
  const addHit = (key, kind, match, boxes, extra) => {
    if (!boxes.length) return false;
    if (boxCount + boxes.length > MAX_BOXES) { out.capped = true; return false; }
    boxCount += boxes.length;
    out.hits.push(Object.assign({ key, kind, match, boxes }, extra || {}));
    return true;
  };

  // -- needles ----------------------------------------------------------------------------
  const leadingNonWord = (t) => {
    let i = 0;
    while (i < t.length && !isWordCode(t.charCodeAt(i))) i++;
    return i;
  };
  const firstToken = (t, from) => {
    let j = from;
    while (j < t.length && isWordCode(t.charCodeAt(j))) j++;
    return t.slice(from, j);
  };
  const asNeedle = (text, kind) => {
    const pre = leadingNonWord(text);
    return { text, kind, pre, token: pre < text.length ? firstToken(text, pre) : null };
  };
  // a post text's lines, for when the page shows the text whole nowhere (a count or a button
  // label read into it, a part shown as an image): lines of a few letters at least
  const textLines = (t) => String(t || "").split(/\n+/).map(normNeedle)
    .filter((l) => l.length >= 4 && leadingNonWord(l) < l.length);
  const needles = [];
  for (const n of cfg.needles || []) {
    const text = normNeedle(n.text);
    if (!text) continue;
    const pre = leadingNonWord(text);
    const kind = n.kind || "name";
    needles.push({ key: n.key, kind, text, pre,
                   token: pre < text.length ? firstToken(text, pre) : null,
                   within: n.within || null, id: n.id || null,
                   lines: kind === "text" ? textLines(n.text) : null });
  }
  // The word starts of the flat text whose word begins some needle. Where two text nodes
  // meet without a space ("<a>kari</a><span>kari</span>", a visually hidden copy of a name
  // shown on a page without its style sheet), the meeting point is a word start as well:
  // the words are then indexed both whole and cut at the node boundary. A name run into
  // another node's letters is masked rather than missed.
  const wanted = new Set(needles.filter((n) => n.token).map((n) => n.token));
  for (const n of needles) for (const l of n.lines || []) wanted.add(asNeedle(l, "text").token);
  const starts = new Map();
  const index = (a, b) => {
    let tok = flatLow.slice(a, b);
    // "nordmanns" is also where "nordmann" starts (a name in the genitive)
    if (!wanted.has(tok) && tok.endsWith("s") && wanted.has(tok.slice(0, -1))) tok = tok.slice(0, -1);
    if (!wanted.has(tok)) return;
    let list = starts.get(tok);
    if (!list) starts.set(tok, list = []);
    if (list[list.length - 1] !== a) list.push(a);
  };
  for (let i = 0; i < flatLen;) {
    if (!isWordCode(flatLow.charCodeAt(i))) { i++; continue; }
    let j = i + 1;
    let cuts = null;
    for (; j < flatLen && isWordCode(flatLow.charCodeAt(j)); j++) {
      if (mapNode[j] !== mapNode[j - 1]) (cuts || (cuts = [i])).push(j);
    }
    index(i, j);
    if (cuts) {
      for (let c = 0; c < cuts.length; c++) {
        index(cuts[c], c + 1 < cuts.length ? cuts[c + 1] : j);
        if (c > 0) index(cuts[c], j);
      }
    }
    i = j;
  }
  // characters i - 1 and i are of the same text node (not a boundary between nodes)
  const joined = (i) => i > 0 && i < flatLen && mapNode[i] >= 0 && mapNode[i] === mapNode[i - 1];
  const wordAt = (i) => i >= 0 && i < flatLen && isWordCode(flatLow.charCodeAt(i));
  // where the flat text starts with the needle's text (whole words or not)
  const startsWith = (n) => {
    const res = [];
    if (n.token === null) {
      for (let s = flatLow.indexOf(n.text); s >= 0; s = flatLow.indexOf(n.text, s + 1)) res.push(s);
      return res;
    }
    for (const p of starts.get(n.token) || []) {
      const s = p - n.pre;
      if (s >= 0 && flatLow.startsWith(n.text, s)) res.push(s);
    }
    return res;
  };
  const HANDLE_JOIN = new Set([".", "-", "@"]);
  // every whole-word occurrence [start, end) of a needle in the flat text
  const occurrences = (n) => {
    const res = [];
    for (const s of startsWith(n)) {
      let e = s + n.text.length;
      // a name in the genitive ("Kari Nordmanns innlegg") is the name with its "s"
      if (n.kind === "name" && flatLow[e] === "s" && joined(e) && !(wordAt(e + 1) && joined(e + 1))) e++;
      if ((wordAt(s - 1) && joined(s)) || (wordAt(e) && joined(e))) continue;
      if (n.kind === "handle") {
        // a handle goes on through "." "-" "@" followed by a letter: "kari" is not
        // "kari.nordmann", "kari@other.example" or "ola.kari"
        if (HANDLE_JOIN.has(flatLow[e]) && wordAt(e + 1)) continue;
        if (HANDLE_JOIN.has(flatLow[s - 1]) && wordAt(s - 2)) continue;
      }
      res.push([s, e]);
    }
    return res;
  };

  // names and handles: longer first; a shorter one inside a reported hit is not reported
  const covered = new Uint8Array(flatLen + 1);
  const found = new Set();
  const nameHits = [];   // [key, hit index, start]
  const persons = needles.filter((n) => n.kind !== "text");
  persons.sort((a, b) => b.text.length - a.text.length);
  // one search per distinct text (many persons share a first name): its hits go to the
  // first person with it, and it counts as found for all of them
  const sharing = new Map();
  for (const n of persons) {
    const same = sharing.get(n.text);
    if (same) same.push(n.key); else sharing.set(n.text, [n.key]);
  }
  const searched = new Set();
  for (const n of persons) {
    if (late()) { out.incomplete = "time"; break; }
    if (searched.has(n.text)) continue;
    searched.add(n.text);
    let seen = false;
    for (let [s, e] of occurrences(n)) {
      // a leading "@" shown before a bare handle belongs to it
      if (n.pre === 0 && flatLow[s - 1] === "@" && !wordAt(s - 2)) s -= 1;
      let contained = true;
      for (let i = s; i < e; i++) if (!covered[i]) { contained = false; break; }
      if (contained) { seen = true; continue; }
      const boxes = finish(spanRects(s, e));
      if (!boxes.length) continue;
      seen = true;
      // a text several persons are shown by ("Oslo" of "Oslo kommune" and "Kari Oslo") is
      // reported with all their keys: the package masks it if any of them is private
      const keys = sharing.get(n.text);
      if (addHit(n.key, n.kind, null, boxes, keys.length > 1 ? { keys } : null)) {
        for (let i = s; i < e; i++) covered[i] = 1;
        nameHits.push([n.key, out.hits.length - 1, s]);
      }
    }
    if (seen) for (const key of sharing.get(n.text)) found.add(key);
  }
  for (const n of persons) if (!found.has(n.key) && !out.needles_not_found.includes(n.key)) out.needles_not_found.push(n.key);

  mark("names");
  // -- profile links ----------------------------------------------------------------------
  // A person's link: its address is their profile's (trailing slash, query and fragment
  // aside), or its path ends in their handle: "/@kari" anywhere, "/user/kari" (a profile
  // folder), or "/kari" on the page's own site or their profile's. A handle followed by more
  // ("/kari/status/1") is a post of theirs, not their profile: its link shows a time or a
  // title, not who they are.
  const PROFILE_DIRS = new Set(["u", "user", "users", "profile", "profiles", "people", "member",
    "members", "author", "authors", "account", "accounts", "channel", "c", "in", "by", "@"]);
  const urlKey = (u) => {
    try {
      const p = new URL(u, document.baseURI);
      const host = p.host.toLowerCase().replace(/^www\./, "");
      return host + decodeURIComponent(p.pathname).replace(/\/+$/, "").toLowerCase();
    } catch (e) { return null; }
  };
  const hostOf = (u) => {
    try { return new URL(u, document.baseURI).host.toLowerCase().replace(/^www\./, ""); }
    catch (e) { return null; }
  };
  const ownHosts = new Set([hostOf(location.href)]);
  const byUrl = new Map();
  for (const l of cfg.links || []) {
    const k = urlKey(l.url);
    if (k && !byUrl.has(k)) byUrl.set(k, l.key);
    ownHosts.add(hostOf(l.url));
  }
  const byHandle = new Map();
  for (const n of needles) {
    if (n.kind !== "handle") continue;
    const h = n.text.replace(/^@/, "");
    if (h && !byHandle.has(h)) byHandle.set(h, n.key);
  }
  const personOfHref = (href) => {
    const k = urlKey(href);
    if (!k) return null;
    if (byUrl.has(k)) return byUrl.get(k);
    let parts;
    try { parts = new URL(href, document.baseURI); } catch (e) { return null; }
    const segs = parts.pathname.split("/").filter(Boolean);
    if (!segs.length) return null;
    const i = segs.length - 1;
    let seg;
    try { seg = decodeURIComponent(segs[i]).toLowerCase(); } catch (e) { seg = segs[i].toLowerCase(); }
    const at = seg.startsWith("@");
    const bare = at ? seg.slice(1) : seg;
    if (!byHandle.has(bare)) return null;
    if (at || (i > 0 && PROFILE_DIRS.has(segs[i - 1].toLowerCase()))) return byHandle.get(bare);
    if (i === 0 && ownHosts.has(parts.host.toLowerCase().replace(/^www\./, ""))) return byHandle.get(bare);
    return null;
  };
  // what a link shows: its visible text and images (an inline link around blocks reports
  // whole lines as its own boxes); the link's own box when it shows neither
  const visibleText = new Set(textNodes.map((t) => t[0]));
  const backgrounds = new Set(images.filter((i) => i[2] === "background").map((i) => i[0]));
  const linkRects = (a, ctx) => {
    let rects = [];
    const walker = ctx.doc.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!visibleText.has(t) || !t.data.trim()) continue;
      const range = ctx.doc.createRange();
      range.selectNodeContents(t);
      rects = rects.concat(docRects(range.getClientRects(), ctx,
                                    clipOf(t.parentElement, ctx)));
    }
    for (const inner of a.querySelectorAll("img, svg, canvas, picture, video")) {
      if (!inner.parentElement || !inner.parentElement.closest("svg")) {
        rects = rects.concat(elementRects(inner, ctx));
      }
    }
    for (const el of a.getElementsByTagName("*")) {
      if (backgrounds.has(el)) rects = rects.concat(elementRects(el, ctx));
    }
    return rects.length ? rects : docRects(a.getClientRects(), ctx, clipOf(parentOf(a), ctx));
  };
  const linkOf = new Map();   // anchor element -> person key
  for (const [a, ctx, shown] of anchors) {
    if (late()) { out.incomplete = "time"; break; }
    const href = a.getAttribute("href");
    if (!href || /^(javascript|mailto|tel|data):/i.test(href.trim())) continue;
    let resolved;
    try { resolved = new URL(href, ctx.doc.baseURI).href; } catch (e) { continue; }
    const key = personOfHref(resolved);
    if (key === null || key === undefined) continue;
    linkOf.set(a, key);
    if (!shown) continue;
    if (a.getBoundingClientRect().height > LINK_MAX_H) { out.large_links_skipped++; continue; }
    addHit(key, "link", null, finish(linkRects(a, ctx)));
  }

  mark("links");
  // -- avatars ----------------------------------------------------------------------------
  const avatarKey = new Map();  // element -> [key, distance]
  const boxOfImage = new Map();
  const avatarLike = (el, ctx) => {
    if (boxOfImage.has(el)) return boxOfImage.get(el);
    const r = el.getBoundingClientRect();
    const ok = r.width >= AVATAR_MIN && r.height >= AVATAR_MIN && r.width <= AVATAR_MAX &&
      r.height <= AVATAR_MAX && r.width / r.height >= 0.6 && r.width / r.height <= 1.6;
    const box = ok ? [ctx.ox + r.left, ctx.oy + r.top, ctx.ox + r.right, ctx.oy + r.bottom] : null;
    boxOfImage.set(el, box);
    return box;
  };
  const assign = (el, key, distance) => {
    const had = avatarKey.get(el);
    if (!had || distance < had[1]) avatarKey.set(el, [key, distance]);
  };
  const labelOf = (el) => [el.getAttribute("alt"), el.getAttribute("title"),
    el.getAttribute("aria-label"),
    el.localName === "svg" && el.querySelector("title") ? el.querySelector("title").textContent : null]
    .filter(Boolean).join(" ");
  const labelPersons = persons.filter((n) => n.token !== null);
  for (const [el, ctx, kind] of images) {
    if (late()) { out.incomplete = "time"; break; }
    if (!avatarLike(el, ctx)) continue;
    // (a) in a profile link, or around one
    let up = el, link = null;
    for (let i = 0; up && i < 8 && !link; i++, up = parentOf(up)) if (linkOf.has(up)) link = up;
    if (!link && kind === "background") {
      for (const a of el.querySelectorAll("a[href]")) if (linkOf.has(a)) { link = a; break; }
    }
    if (link) { assign(el, linkOf.get(link), -2); continue; }
    // (b) its alt / title / aria-label (or its link's) names a person
    let label = labelOf(el);
    const host = el.closest && el.closest("a, button, [role=link], [role=button]");
    if (host && host !== el) label += " " + labelOf(host);
    const norm = normNeedle(label);
    if (norm) {
      const padded = " " + norm + " ";
      for (const n of labelPersons) {
        let at = padded.indexOf(n.text);
        while (at >= 0) {
          const e = at + n.text.length;
          if (!isWordCode(padded.charCodeAt(at - 1)) && !isWordCode(padded.charCodeAt(e))) break;
          at = padded.indexOf(n.text, at + 1);
        }
        if (at >= 0) { assign(el, n.key, -1); break; }
      }
    }
  }
  // (c) the nearest avatar-like image to a name or handle, within the name's post block
  // (ancestors under 1.5 viewports tall): before the name in the page, or just left of or
  // above it. An image claimed by several names goes to the nearest one (the author's name
  // beside the avatar, not a name mentioned further down in the text).
  // each avatar-like image under its ancestors (a few more levels than a name walks up, for
  // avatars wrapped deeper than the name)
  const imagesUnder = new Map();
  const drawing = new Set(images.filter(([el, , kind]) => (kind === "svg" && !el.querySelector("image")) ||
    kind === "canvas").map((i) => i[0]));
  for (const [img, ctx] of images) {
    if (!avatarLike(img, ctx)) continue;
    let up = parentOf(img);
    for (let i = 0; up && i < MAX_UP * 2; i++, up = parentOf(up)) {
      let list = imagesUnder.get(up);
      if (!list) imagesUnder.set(up, list = []);
      list.push(img);
    }
  }
  for (const [key, index, s] of nameHits) {
    if (late()) { out.incomplete = "time"; break; }
    const hb = out.hits[index].boxes[0];
    const hx0 = hb[0], hy0 = hb[1], hx1 = hb[0] + hb[2], hy1 = hb[1] + hb[3];
    let i = s;
    while (mapNode[i] < 0) i++;
    const [node, ctx] = textNodes[mapNode[i]];
    let el = node.parentElement || (node.parentNode && node.parentNode.host);
    let best = null;
    for (let level = 0; el && level < MAX_UP && !best; level++, el = parentOf(el)) {
      if (el === ctx.doc.body || el === ctx.doc.documentElement) break;
      if (el.getBoundingClientRect().height >= viewH * 1.5) break;
      for (const img of imagesUnder.get(el) || []) {
        const b = boxOfImage.get(img);
        const before = (img.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
        const dx = Math.max(0, b[0] - hx1, hx0 - b[2]);
        const dy = Math.max(0, b[1] - hy1, hy0 - b[3]);
        // wholly left of the name's start, or wholly above its top (a few px of overlap)
        const leftOrAbove = b[2] <= hx0 + 4 || b[3] <= hy0 + 4;
        if (!before && !(leftOrAbove && dx <= NEAR_PX && dy <= NEAR_PX)) continue;
        // a picture before a drawing: an inline SVG is far more often an icon (reply, like,
        // "reposted") than an avatar, and a name takes one avatar only
        const d = Math.hypot(dx, dy) + (drawing.has(img) ? 1000 : 0);
        if (!best || d < best[1]) best = [img, d];
      }
    }
    if (best) assign(best[0], key, best[1]);
  }
  for (const [el, ctx] of images) {
    const a = avatarKey.get(el);
    if (!a) continue;
    addHit(a[0], "avatar", null, finish(elementRects(el, ctx)));
  }

  mark("avatars");
  // -- numbers and e-mail addresses ---------------------------------------------------------
  // Candidates only: the package validates them (fødselsnummer checksum, phone number
  // shape). Runs of digit groups are split into every window of whole groups that has the
  // shape of one: a list of numbers written one after another still gives each of them.
  const PHONE_SHAPES = new Set(["8", "4,4", "3,2,3", "2,2,2,2"]);
  const FNR_SHAPES = new Set(["11", "6,5"]);
  const RUN = /(?<![\p{L}\p{N}_+])\+?\d+(?:[ -]\d+)*(?![\p{L}\p{N}_])/gu;
  const digitHit = (s, e) => addHit(null, "digits", flatRaw.slice(s, e), finish(spanRects(s, e)));
  for (const m of flatRaw.matchAll(RUN)) {
    if (late()) { out.incomplete = "time"; break; }
    const run = m[0];
    const groups = [];
    const re = /\d+/g;
    let g;
    while ((g = re.exec(run))) groups.push([m.index + g.index, g[0].length]);
    let prefix = null;  // flat offset where a +47 / 0047 prefix starts
    if (run.startsWith("+47") || run.startsWith("0047")) {
      const cut = run.startsWith("+") ? 3 : 4;
      prefix = m.index;
      const [gs, gl] = groups[0];
      const lead = gs - m.index + gl;  // characters up to the first group's end
      if (lead === cut) groups.shift();
      else groups[0] = [m.index + cut, gl - (cut - (run.startsWith("+") ? 1 : 0))];
    }
    for (let i = 0; i < groups.length; i++) {
      let sum = 0;
      const shape = [];
      for (let j = i; j < groups.length; j++) {
        sum += groups[j][1];
        shape.push(groups[j][1]);
        if (sum > 11) break;
        const key = shape.join(",");
        const s = groups[i][0], e = groups[j][0] + groups[j][1];
        if (sum === 8 && PHONE_SHAPES.has(key)) digitHit(i === 0 && prefix !== null ? prefix : s, e);
        else if (sum === 11 && FNR_SHAPES.has(key) && !(i === 0 && prefix !== null)) digitHit(s, e);
      }
    }
  }
  const EMAIL = /(?<![\p{L}\p{N}_.%+\-@])[\p{L}\p{N}_.%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}(?![\p{L}\p{N}_\-@])/gu;
  for (const m of flatRaw.matchAll(EMAIL)) {
    if (late()) { out.incomplete = "time"; break; }
    addHit(null, "email", m[0], finish(spanRects(m.index, m.index + m[0].length)));
  }

  mark("numbers");
  // -- post texts (for --screen-text) -----------------------------------------------------
  // Matched whitespace-normalised; a long text by its first and last characters and the span
  // between (the page may show it with small differences: a link shortened, an emoji as an
  // image); a text found whole nowhere, line by line. Every occurrence is reported (a quote
  // of the text is the same person's text), except that a short text with a post box is
  // taken inside that box when it is there. Found only in part: "partial".
  const inside = (boxes, w) => {
    if (!w || !boxes.length) return true;
    const [x, y, bw, bh] = w;
    const b = boxes[0];
    return b[0] + b[2] > x && b[0] < x + bw && b[1] + b[3] > y && b[1] < y + bh;
  };
  const textPart = (t, from, len) => normNeedle(t.slice(from, from + len));
  for (const n of needles.filter((x) => x.kind === "text")) {
    if (late()) { out.incomplete = "time"; break; }
    let spans = n.text.length <= LONG_TEXT ? occurrences(n) : [];
    let partial = false;
    if (!spans.length && n.text.length > 40) {
      // the head from the text's start, then the first tail after it that makes a span of
      // at least half the text's length (and not much more than all of it)
      const head = { text: textPart(n.text, 0, Math.min(HEAD, Math.floor(n.text.length / 2))),
                     token: n.token, pre: n.pre };
      const tail = textPart(n.text, n.text.length - Math.min(TAIL, Math.floor(n.text.length / 3)), TAIL);
      for (const start of startsWith(head)) {
        if (wordAt(start - 1) && joined(start)) continue;
        const last = Math.min(flatLen, start + Math.floor(n.text.length * 1.5) + 200);
        let end = -1;
        for (let at = flatLow.indexOf(tail, start + head.text.length);
          tail && at >= 0 && at + tail.length <= last; at = flatLow.indexOf(tail, at + 1)) {
          const e = at + tail.length;
          if (e - start >= n.text.length / 2 && !(wordAt(e) && joined(e))) {
            end = e;
            break;
          }
        }
        if (end < 0) { end = start + head.text.length; partial = true; }
        spans.push([start, end]);
      }
    }
    let located = spans.map(([s, e]) => finish(spanRects(s, e))).filter((b) => b.length);
    if (n.within && n.text.length < SHORT_TEXT) {
      const mine = located.filter((b) => inside(b, n.within));
      if (mine.length) located = mine;
    }
    if (!located.length && n.lines.length && !(n.lines.length === 1 && n.lines[0] === n.text)) {
      // line by line, inside the post's box (or, without one, long lines only)
      for (const line of n.lines) {
        if (!n.within && line.length < SHORT_TEXT) continue;
        for (const [s, e] of occurrences(asNeedle(line, "text"))) {
          const boxes = finish(spanRects(s, e));
          if (boxes.length && inside(boxes, n.within)) located.push(boxes);
        }
      }
      partial = true;
    }
    if (!located.length) { out.texts_not_found.push(n.id !== null ? n.id : n.key); continue; }
    const extra = {};
    if (n.id !== null) extra.post_id = n.id;
    if (partial) extra.partial = true;
    for (const boxes of located) addHit(n.key, "text", null, boxes, extra);
  }
  mark("texts");
  out.boxes = boxCount;
  out.ms = Math.round(performance.now() - started);
  return out;
}
