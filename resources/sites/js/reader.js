// somecapture: generic reader of the rendered page (issue 15, third source).
// Finds the repeated blocks that make up a thread on pages no adapter knows: groups of
// elements sharing a tag+class (or tag+attribute) "shape" whose members each carry time
// evidence (<time>, datetime-like attributes, date text), author evidence (profile-like links,
// author/user/name/byline hints, rel=author) and body text. Returns the root post, the replies
// with their nesting (DOM containment, "children" containers, indentation) and a box on the
// full-page screenshot for each. Nothing here names a site: only words and URL shapes that
// forums and social platforms share.
//
// Cost: one pass over text nodes, a few selector queries and, per time/author anchor, a walk up
// its ancestors (bounded depth); each shortlisted group is scored by walking its anchors again.
// No pairwise comparison of elements, so a 4 MB page stays within a few hundred ms.
(cfg) => {
  const started = performance.now();
  cfg = cfg || {};
  const MAX_UP = cfg.max_up || 28;           // ancestor levels an anchor may be from its post
  const SHORTLIST = cfg.shortlist || 40;     // groups scored in full
  const MAX_GROUPS = cfg.max_groups || 3;    // distinct post shapes on one page (question, answers, comments)
  const out = { root: null, replies: [], ancestors: [], blocks_seen: 0, candidates: [],
                container_selector: null, root_match: null, hidden_blocks: 0, ms: 0 };
  const body = document.body;
  if (!body) { out.ms = Math.round(performance.now() - started); return out; }

  const clean = (s) => (s || "").replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, " ")
    .replace(/[ \t\f\v]+/g, " ").replace(/ *\n */g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  const oneLine = (s) => clean(s).replace(/\s*\n\s*/g, " ");
  const SKIP_TAGS = new Set(["script", "style", "template", "svg", "head", "iframe", "object",
                             "textarea", "select", "option", "input", "button"]);

  // -- time evidence --------------------------------------------------------------------------
  // Month names in English, Norwegian (bokmål/nynorsk), Swedish, Danish and German, abbreviated
  // or not; weekday names for "on Thu" / "i går" style stamps; relative units for "3 h", "2 days
  // ago", "for 3 dager siden", "vor 2 Stunden".
  const MONTH = "(?:jan(?:uary|uar|uari)?|feb(?:ruary|ruar|ruari)?|mar(?:ch|s)?|m\u00e4r(?:z)?|apr(?:il)?|ma[iyj]|jun[ie]?|jul[iy]?|aug(?:ust[i]?)?|sep(?:t|tember)?|o[ck]t(?:ober)?|nov(?:ember)?|de[csz](?:ember)?)\\.?";
  const WEEKDAY = "(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?|(?:man|tirs|ons|tors|fre|l\u00f8r|s\u00f8n)dag|(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)";
  const UNIT = "(?:s|sec|secs|seconds?|sek(?:under)?|m|min|mins|minutes?|minutt(?:er)?|minuten?|h|hr|hrs|hours?|t|tim(?:e|er|mar)?|std|stunden?|d|days?|dag(?:er|ar)?|d\u00f8gn|tagen?|w|wk|wks|weeks?|uke[r]?|veck(?:a|or)|wochen?|mo|mos|months?|mnd|m\u00e5ned(?:er)?|m\u00e5nad(?:er)?|monaten?|y|yr|yrs|years?|\u00e5r|jahren?)";
  const DATE_RES = [
    /\b\d{4}-\d{2}-\d{2}\b/,
    /\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b/,
    new RegExp("\\b\\d{1,2}\\.?\\s+" + MONTH + "(?:\\s+\\d{4})?\\b", "i"),
    new RegExp("\\b" + MONTH + "\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b", "i"),
    new RegExp("\\b" + MONTH + "\\s+\\d{4}\\b", "i"),
    new RegExp("^(?:(?:for|vor|about|ca\\.?|cirka|rund)\\s+)?(?:\\d+\\s*|(?:an?|one|en|ett|ein(?:em|er)?)\\s+)" + UNIT + "\\.?(?:\\s+(?:ago|siden|sedan|her))?(?:\\s*\\([^)]{1,20}\\))?$", "i"),
    new RegExp("^(?:(?:on|last|this|past|am|letzten|p\u00e5|forrige|sist)\\s+)?(?:" + WEEKDAY + ")\\.?(?:\\s+(?:at|kl\\.?|um)?\\s*\\d{1,2}[:.]\\d{2}.*)?$", "i"),
    /^(?:just now|now|yesterday|today|i g\u00e5r|i dag|ig\u00e5r|idag|n\u00e5|akkurat n\u00e5|gestern|heute|vorgestern|soeben|gerade eben)\b/i,
  ];
  // separators around a stamp ("Ola · for 3 timer siden", "– 03.03.2011 –") are not part of it
  const EDGES = /^[\s\u00b7\u2022|\u2013\u2014:,;-]+|[\s\u00b7\u2022|\u2013\u2014:,;-]+$/g;
  const bareStamp = (s) => oneLine(s).replace(EDGES, "");
  const isDateText = (s) => {
    const t = bareStamp(s);
    if (t.length < 2 || t.length > 80) return false;
    for (const re of DATE_RES) {
      const m = re.exec(t);
      // the stamp must be most of the text: a sentence that mentions a date is not a stamp
      if (m && (m[0].length >= t.length * 0.35 || t.length <= 32)) return true;
    }
    return false;
  };
  const TIME_ATTRS = ["datetime", "data-time", "data-timestamp", "data-utime", "data-datetime",
                      "data-date", "data-created", "data-created-at", "data-published"];
  const machineTime = (el) => {
    for (const a of TIME_ATTRS) {
      const v = el.getAttribute(a);
      if (v && /\d/.test(v)) return v.trim();
    }
    const title = el.getAttribute("title");
    if (title && isDateText(title)) return title.trim();
    return null;
  };
  // published_at only from a stamp that fixes the instant: ISO with Z/offset, epoch seconds or
  // milliseconds, or a date text naming its zone. A local time without a zone stays null.
  const toIso = (v) => {
    if (!v) return null;
    const s = String(v).trim();
    let d = null;
    if (/^\d{10}(\.\d+)?$/.test(s)) d = new Date(parseFloat(s) * 1000);
    else if (/^\d{13}$/.test(s)) d = new Date(parseInt(s, 10));
    else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
      d = new Date(s.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
    } else if (/\b(UTC|GMT)\b|[+-]\d{4}\b/.test(s) && /[a-z]{3}/i.test(s)) d = new Date(s);
    return d && !Number.isNaN(d.getTime()) ? d.toISOString() : null;
  };

  // Anchors: elements that say "a post was published here". A Set keeps each element once.
  const timeAnchors = new Set();
  for (const el of body.querySelectorAll("time, [" + TIME_ATTRS.join("], [") + "], abbr[title], [title]")) {
    if (el.localName === "time" || machineTime(el)) timeAnchors.add(el);
  }
  // a short text with a digit in an element that calls itself a time ("time-ago", "date",
  // data-role="relative-time") is a stamp in any language
  const TIME_HINT = /(?:^|[-_ ])(?:time|date|datetime|timestamp|time-?ago|ago|published|posted|posted-?at|created|dato|tid|datum|zeit)(?:$|[-_ ])/i;
  for (const el of body.querySelectorAll("[class*=time i], [class*=date i], [class*=ago i], [data-role*=time i], [class*=dato i], [class*=datum i], [class*=zeit i]")) {
    const hint = (typeof el.className === "string" ? el.className : "") + " " + (el.getAttribute("data-role") || "");
    if (!TIME_HINT.test(hint) || el.children.length > 3) continue;
    const t = oneLine(el.textContent);
    // "день назад", "yesterday": a relative stamp needs no digit when the element says it is one
    if (t.length >= 2 && t.length <= 60 &&
        (/\d/.test(t) || (t.length <= 40 && (el.hasAttribute("title") || /ago|relative/i.test(hint))))) {
      timeAnchors.add(el);
    }
  }
  // a stamp that is a text of its own inside a larger element ("<a>Ola</a> · i går kl. 14:02"):
  // the element is the anchor, the stamp's own words are what the page shows as the time
  const stampText = new Map();
  const textWalker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let n = textWalker.nextNode(); n; n = textWalker.nextNode()) {
    const v = n.nodeValue;
    if (!v || v.length > 120) continue;
    const el = n.parentElement;
    if (!el || SKIP_TAGS.has(el.localName)) continue;
    if (/\d|[a-z]/i.test(v) && isDateText(v)) {
      timeAnchors.add(el);
      if (oneLine(el.innerText || el.textContent) !== oneLine(v)) stampText.set(el, bareStamp(v));
    }
  }

  // one stamp, one anchor: "edited <span title=…>Oct 1</span>" is a stamp inside a stamp;
  // the innermost one stays
  for (const an of [...timeAnchors]) {
    for (let e = an.parentElement, i = 0; e && e !== body && i < 4; e = e.parentElement, i++) {
      if (timeAnchors.has(e)) timeAnchors.delete(e);
    }
  }

  // -- author evidence ------------------------------------------------------------------------
  const PROFILE_HREF = /\/(?:users?|u|members?|profiles?|people|authors?|channel|c|accounts?|brukere?|bruker|mitglieder|benutzer|medlem(?:mer)?|konto)\/[^/?#]+|\/@[\w.-]+|\/~[\w.-]+|profile\.php|member\.php|memberlist\.php\?mode=viewprofile|[?&](?:u|user|userid|uid|user_id|member)=[\w.-]+/i;
  const HINT_TOKEN = /(?:^|[-_ ])(?:author|authors|username|user|user-?name|user-?link|user-?details|byline|poster|posted-?by|screen-?name|full-?name|fullname|display-?name|displayname|nick|nickname|commenter|member-?name|profile-?name|profile-?link|name|fn|p-name|p-author)(?:$|[-_ ])/i;
  const ACTION_TEXT = /^(?:reply|svar|svare|antworten|antwort|share|del|teilen|like|liker|lik|gef\u00e4llt|report|rapporter|melden|more|mer|mehr|edit|rediger|bearbeiten|delete|slett|l\u00f6schen|quote|sit\u00e9r|zitieren|permalink|link|follow|f\u00f8lg|folgen|block|flag|save|lagre|translate|oversett|\u00fcbersetzen|vote|upvote|downvote|load more|show more|vis mer|se mer|les mer|mehr anzeigen|see more|read more|view replies|hide|skjul|cancel|avbryt)$/i;
  const BADGE_TEXT = /^(?:author|op|mod|moderator|admin|administrator|verified|top fan|forfatter|autor|verfasser|staff|original poster|\u00b7|-|\||\u2022)$/i;
  const hrefPath = (a) => {
    try { const u = new URL(a.href, location.href); return u.pathname + u.search; } catch (e) { return ""; }
  };
  const isProfileLink = (a) => {
    if (!a.href || /^(javascript|mailto|tel):/i.test(a.getAttribute("href") || "")) return false;
    const path = hrefPath(a);
    if (PROFILE_HREF.test(path)) return true;
    // "/Etaten/", "/kari_n": one path segment whose link text is a short name or handle
    const m = /^\/([\w.-]{2,40})\/?(?:\?[^/]*)?$/.exec(path);
    if (!m || /\.(?:php|html?|aspx?|jsp)$/i.test(m[1])) return false;
    const t = oneLine(a.textContent);
    return t.length > 0 && t.length <= 60 && !ACTION_TEXT.test(t) && !isDateText(t) &&
      !/^\d+$/.test(t);
  };
  const hintOf = (el) => {
    const c = typeof el.className === "string" ? el.className : "";
    return (c && HINT_TOKEN.test(c)) ||
      /author/i.test(el.getAttribute("itemprop") || "") ||
      /(?:^|\s)author(?:\s|$)/i.test(el.getAttribute("rel") || "") ||
      HINT_TOKEN.test(el.getAttribute("data-testid") || "") ||
      HINT_TOKEN.test(el.getAttribute("id") || "");
  };
  const authorAnchors = new Set();
  for (const a of body.querySelectorAll("a[href]")) if (isProfileLink(a)) authorAnchors.add(a);
  for (const img of body.querySelectorAll("img[alt*=profile i], img[class*=avatar i], img[class*=profpic i]")) {
    if (/\p{L}{2}/u.test(img.getAttribute("alt") || "")) authorAnchors.add(img);
  }
  for (const el of body.querySelectorAll(
    "[class*=author i], [class*=user i], [class*=byline i], [class*=poster i], [class*=nick i], " +
    "[class*=name i], [itemprop*=author i], [rel~=author], [data-testid*=user i], " +
    "[data-testid*=author i], [id*=author i], [aria-label*=profile i]")) {
    // a name has a letter: "#1" in a "username" span is a post number
    if ((hintOf(el) || /profile/i.test(el.getAttribute("aria-label") || "")) &&
        (el.localName === "a" || el.querySelector("a, img") || /\p{L}/u.test(el.textContent))) authorAnchors.add(el);
  }
  // a block that names its author in an attribute carries the evidence itself
  const selfAuthored = new Set(body.querySelectorAll("[data-author], [data-author-name], [data-username]"));
  for (const el of selfAuthored) authorAnchors.add(el);

  // A post quoting another names the quoted author and stamp inside the quote ("Kari skrev
  // 20. nov. kl. 11:00:"): neither says a post was published there. Left as anchors, the words
  // holding the quote were read as a post of the quoted author (the quoting person's words
  // credited to the quoted one) or as the next post beside the author's row.
  const QUOTE_SEL = "blockquote, q, [class*=quote i]";
  for (const anchors of [timeAnchors, authorAnchors]) {
    for (const an of [...anchors]) if (an.closest(QUOTE_SEL)) anchors.delete(an);
  }

  // -- shapes: which repeated elements hold the anchors ------------------------------------------
  const info = new Map(); // element -> {t, a}: anchors of each kind anywhere below it
  const mark = (anchors, kind) => {
    for (const an of anchors) {
      let el = an;
      for (let i = 0; el && el !== body && i < MAX_UP; i++, el = el.parentElement) {
        let rec = info.get(el);
        if (!rec) { rec = { t: 0, a: 0 }; info.set(el, rec); }
        rec[kind]++;
      }
    }
  };
  mark(timeAnchors, "t");
  mark(authorAnchors, "a");
  // "depth-2", "post_123" -> "depth-#": a trailing number varies per item; digits inside
  // generated class names ("r-1wbh5a2") are part of the name
  const norm = (s) => s.replace(/([-_])\d+$/, "$1#").replace(/^\d+$/, "#");
  const SHAPE_ATTRS = ["data-testid", "data-test-id", "itemtype", "role",
                       "data-role", "data-type", "itemprop", "data-hook"];
  const keysOf = (el) => {
    const tag = el.localName;
    const keys = [];
    const cls = el.classList;
    // a bare tag is a shape only for elements that mean "an item": a classless div is anything
    if (cls.length === 0 && /^(?:article|li|section|tr|dd|blockquote)$/.test(tag)) keys.push(tag);
    for (const c of cls) if (c.length <= 48 && !/^\d/.test(c)) keys.push(tag + "." + norm(c));
    for (const a of SHAPE_ATTRS) {
      const v = el.getAttribute(a);
      if (!v || v.length > 80) continue;
      keys.push(tag + "[" + a + "=" + norm(v) + "]");
      // "postThreadItem-by-<handle>": the stable part before a varying suffix
      const head = v.split(/[-_:.\s]/)[0];
      if (head && head !== v && head.length >= 3) keys.push(tag + "[" + a + "^=" + head + "]");
    }
    return keys;
  };
  const groups = new Map(); // key -> {key, members: elements with a stamp below, authored}
  for (const [el, rec] of info) {
    if (rec.t === 0) continue;
    for (const k of keysOf(el)) {
      let g = groups.get(k);
      if (!g) { g = { key: k, members: [], authored: 0 }; groups.set(k, g); }
      g.members.push(el);
      if (rec.a > 0) g.authored++;
    }
  }
  // groups with the same members under different keys are one candidate
  const seen = new Map();
  for (const g of groups.values()) {
    const sig = g.members.length + "|" + g.authored;
    const list = seen.get(sig) || [];
    const same = list.find((o) => o.members[0] === g.members[0] &&
      o.members[o.members.length - 1] === g.members[g.members.length - 1]);
    if (same) { same.aliases.push(g.key); continue; }
    g.aliases = [];
    list.push(g);
    seen.set(sig, list);
  }
  const shortlist = [...seen.values()].flat()
    .sort((x, y) => (y.authored + 0.5 * y.members.length) - (x.authored + 0.5 * x.members.length))
    .slice(0, SHORTLIST);

  // -- scoring: each member should own (nearest member above it) about one time anchor -----------
  const ownerIn = (an, set) => {
    let el = an;
    for (let i = 0; el && el !== body && i < MAX_UP; i++, el = el.parentElement) {
      if (set.has(el)) return el;
    }
    return null;
  };
  // how many elements of the page have this shape (all of them, not only those with stamps)
  const shapeCount = (key) => {
    const m = /^([\w-]+)\.(.*)$/.exec(key);
    try {
      if (m && !m[2].includes("#")) {
        let n = 0;
        for (const e of document.getElementsByClassName(m[2])) if (e.localName === m[1]) n++;
        return n;
      }
      if (m) return body.querySelectorAll(m[1] + "[class*=" + JSON.stringify(m[2].split("#")[0]) + "]").length;
      const a = /^([\w-]+)\[([\w-]+)(\^?=)(.*)\]$/.exec(key);
      if (a) return body.querySelectorAll(a[1] + "[" + a[2] + a[3] + JSON.stringify(a[4].split("#")[0]) + "]").length;
      return body.getElementsByTagName(key).length;
    } catch (e) { return 1; }
  };
  const POSTY = /comment|post|reply|replies|message|msg|status|entry|answer|thread|discussion|note|kommentar|innlegg|beitrag|svar/i;
  const ID_ATTR = /^data-(?:[\w-]*-)?(?:id|uuid|fullname|uniqueid|commentid|postid|comment-id|post-id|item-id|content-id)$/i;
  const carriesId = (m) => {
    for (const a of m.attributes) if (ID_ATTR.test(a.name) && a.value) return true;
    return false;
  };
  const score = (g) => {
    const set = new Set(g.members);
    const ownT = new Map();
    const ownA = new Map();
    for (const an of timeAnchors) {
      const o = ownerIn(an, set);
      if (o) ownT.set(o, (ownT.get(o) || 0) + 1);
    }
    for (const an of authorAnchors) {
      const o = ownerIn(an, set);
      if (o) ownA.set(o, (ownA.get(o) || 0) + 1);
    }
    let good = 0, authored = 0, timeSum = 0, hidden = 0;
    const members = [];
    for (const m of g.members) {
      const t = ownT.get(m) || 0;
      // what the page shows: a block without a layout box (display:none) is not a post seen
      if (!t) continue;
      if (m.getClientRects().length === 0) { hidden++; continue; }
      good++;
      timeSum += t;
      if (ownA.get(m)) authored++;
      members.push(m);
    }
    const avgT = good ? timeSum / good : 0;
    const authorFrac = good ? authored / good : 0;
    // a shape used all over the page (utility classes, framework scopes) is not a post shape:
    // the share of its elements that are posts weighs the score
    const purity = good ? Math.min(1, good / Math.max(1, shapeCount(g.key))) : 0;
    // a shape whose name says "post", an <article>, or blocks that each carry an id of their
    // own in a data-*-id attribute (items of a data store, not layout)
    const ided = members.filter(carriesId).length;
    const hint = POSTY.test(g.key + " " + g.aliases.join(" ")) || /^article\b/.test(g.key) ||
      (good >= 2 && ided >= 0.8 * good) ? 1.2 : 1;
    // a member owning many stamps is a container of posts, not a post
    const crowd = avgT <= 2.5 ? 1 : 2.5 / avgT;
    return { g, members, good, authored, avgT, authorFrac, hint, hidden,
             purity, score: good * (0.4 + 0.6 * authorFrac) * crowd * hint * (0.4 + 0.6 * purity) };
  };
  const scored = shortlist.map(score).filter((s) => s.good > 0);
  scored.sort((x, y) => y.score - x.score);

  // Depth-first walk over the elements below (and including) root, in document order.
  // visit(el) returns SKIP to leave el's subtree out, STOP to end the walk. No TreeWalker
  // filter: the DOM may not call back into script when the page's own JavaScript is off.
  const SKIP = 1, STOP = 2;
  const walkEls = (root, visit) => {
    const r = visit(root);
    if (r === STOP || r === SKIP) return;
    let el = root.firstElementChild;
    while (el) {
      const v = visit(el);
      if (v === STOP) return;
      if (v !== SKIP && el.firstElementChild) { el = el.firstElementChild; continue; }
      while (el && el !== root && !el.nextElementSibling) el = el.parentElement;
      if (!el || el === root) return;
      el = el.nextElementSibling;
    }
  };
  const directText = (el) => {
    let n = 0;
    for (const c of el.childNodes) if (c.nodeType === 3) n += c.nodeValue.trim().length;
    return n;
  };
  // own text of a member: text below it that is not inside a nested member
  const ownText = (m, set) => {
    let n = 0;
    walkEls(m, (e) => {
      if ((e !== m && set.has(e)) || SKIP_TAGS.has(e.localName)) return SKIP;
      n += directText(e);
      return 0;
    });
    return n;
  };
  const avgText = (s) => {
    if (s.avgText !== undefined) return s.avgText;
    const set = new Set(s.members);
    let sum = 0;
    for (const m of s.members) sum += ownText(m, set);
    s.avgText = s.members.length ? sum / s.members.length : 0;
    return s.avgText;
  };

  // -- choose the post shapes -------------------------------------------------------------------
  // a list of answers to a post ("children", "replies", "sub-comments"), by its class or id
  const CHILDREN_HINT = /(?:^|[-_ ])(?:child(?:ren)?|child-?comments|replies|reply-?list|sub-?comments?|nested|responses|answers|svar|antworten)(?:$|[-_ ])/i;
  const namesReplies = (e) => CHILDREN_HINT.test((typeof e.className === "string" ? e.className : "") + " " + (e.id || ""));
  const chosen = [];
  const postSet = new Set();
  // Parts of one post side by side (a user cell and a message cell): when most members share
  // their parent with one or two other members, the post is the shape wrapping each such pair.
  // Replies in a thread share their parent in twos and threes too (the answers to one
  // comment, in its "children" list); the list holding them is no post: a wrapper that lies
  // inside a member of the pick (the members hold lists of their own shape: they are whole
  // posts with their answers nested in them), or that calls itself a list of replies, is not
  // taken. Taking it read each list of answers as one post, with the first answer's author
  // and the next one's text.
  const wholePost = (pick, pool) => {
    const per = new Map();
    for (const m of pick.members) per.set(m.parentElement, (per.get(m.parentElement) || 0) + 1);
    const paired = pick.members.filter((m) => { const n = per.get(m.parentElement); return n >= 2 && n <= 3; });
    if (per.size < 2 || paired.length < 0.6 * pick.members.length) return pick;
    const members = new Set(pick.members);
    const insideMember = (w) => {
      for (let e = w.parentElement, i = 0; e && e !== body && i < MAX_UP; e = e.parentElement, i++) {
        if (members.has(e)) return true;
      }
      return false;
    };
    let wrap = null;
    for (const s of pool) {
      if (s === pick || s.good < 0.8 * per.size || s.good > 1.2 * per.size || s.avgT > 3.5) continue;
      if (!s.members.some((w) => w !== paired[0] && w.contains(paired[0]))) continue;
      if (s.members.some(insideMember) ||
          s.members.filter(namesReplies).length >= 0.5 * s.members.length) continue;
      if (!wrap || s.score > wrap.score) wrap = s;
    }
    return wrap || pick;
  };
  // a notice the platform puts on a post ("Want to improve this post?", "This post is
  // locked", "Closed"): role=alert/status, or a notice box (a "notice" class; an aside that
  // calls itself an alert or a banner)
  const NOTICE_SEL = "[role=alert], [role=status], [class*=notice i], aside[class*=alert i], aside[class*=banner i]";
  const NOTICE = /(?:^|[-_ ])notices?(?:$|[-_ ])/i;
  const isNotice = (el) => /^(?:alert|status)$/.test(el.getAttribute("role") || "") ||
    NOTICE.test(typeof el.className === "string" ? el.className : "") ||
    (el.localName === "aside" && /(?:^|[-_ ])(?:alerts?|banners?)(?:$|[-_ ])/i.test(typeof el.className === "string" ? el.className : ""));
  // The page's own landmarks (navigation, banner, footer, sidebars, search; a notice box is
  // no sidebar) are no part of a post: a shape whose members hold more of them than the top
  // shape's is a wrapper around the post and the page (a single post's block widened to the
  // page: a sign-up sheet and a sidebar read as the post, a site menu's link as its author).
  const LANDMARKS = "nav, [role=navigation], [role=banner], [role=contentinfo], " +
    "aside, [role=complementary], [role=search]";
  const landmarks = (s) => {
    if (s.landmarks === undefined) {
      let n = 0;
      for (const m of s.members) {
        for (const e of [m, ...m.querySelectorAll(LANDMARKS)]) if (e.matches(LANDMARKS) && !isNotice(e)) n++;
      }
      s.landmarks = n;
    }
    return s.landmarks;
  };
  // Among shapes as good as the top one (the header row, the post, a wrapper around the post),
  // the one with the most own text is the whole post: it holds the body too. A wrapper around
  // several posts owns several stamps and fails the avgT bound.
  const widen = (top, pool) => {
    const near = pool.filter((s) => s.good >= 0.9 * top.good && s.good <= 1.15 * top.good &&
      s.score >= 0.75 * top.score && s.avgT <= Math.max(top.avgT * 1.25, 1.6) &&
      (s === top || landmarks(s) <= landmarks(top)));
    let pick = top;
    for (const s of near) if (avgText(s) > avgText(pick) * 1.05) pick = s;
    return wholePost(pick, pool);
  };
  const threadLike = (s) => s.authorFrac >= 0.5 || s.hint > 1;
  const first = scored.find(threadLike);
  if (first) {
    const pick = widen(first, scored.filter(threadLike));
    chosen.push(pick);
    for (const m of pick.members) postSet.add(m);
  }
  // Further shapes (comments under answers, a question above them): members whose first own
  // time stamp is no chosen post's first stamp, with body text of their own.
  const primary = new Map();
  // the first time stamp of a post that is not inside a post nested in it
  const firstOwn = (m, set) => {
    let found = null;
    walkEls(m, (e) => {
      if (e !== m && set.has(e)) return SKIP;
      if (timeAnchors.has(e)) { found = e; return STOP; }
      return 0;
    });
    return found;
  };
  const refreshPrimary = () => {
    primary.clear();
    for (const m of postSet) { const p = firstOwn(m, postSet); if (p) primary.set(p, m); }
  };
  refreshPrimary();
  const freshPosts = (s) => {
    if (chosen.includes(s) || s.good < 2 || !threadLike(s) || s.score < 0.2 * chosen[0].score) return null;
    const fresh = s.members.filter((m) => !postSet.has(m));
    if (fresh.length < 2) return null;
    const trial = new Set(postSet);
    for (const m of fresh) trial.add(m);
    // A new post has a stamp and an author of its own (a message cell beside its user cell
    // has only the stamp) and sits with the posts already chosen: inside one, around one, or
    // beside one (not in a sidebar of recommendations).
    const ownedAuthor = new Set();
    for (const an of authorAnchors) { const o = ownerIn(an, trial); if (o) ownedAuthor.add(o); }
    const near = (m) => {
      for (let e = m.parentElement, i = 0; e && e !== body && i < MAX_UP; e = e.parentElement, i++) {
        if (postSet.has(e)) return true;
      }
      const parent = m.parentElement;
      for (const c of postSet) {
        if (m.contains(c) || c.parentElement === parent) return true;
      }
      return false;
    };
    let newPosts = 0, txt = 0;
    for (const m of fresh) {
      const p = firstOwn(m, trial);
      if (p && !primary.has(p) && ownedAuthor.has(m) && near(m)) newPosts++;
      txt += ownText(m, trial);
    }
    if (newPosts < 0.8 * fresh.length || txt / fresh.length < 20) return null;
    return txt / fresh.length;
  };
  for (let round = 1; round < MAX_GROUPS && chosen.length; round++) {
    const passing = [];
    for (const s of scored) {
      const t = freshPosts(s);
      if (t !== null) passing.push([s, t]);
    }
    if (!passing.length) break;
    const top = passing[0][0];
    let added = passing[0];
    for (const pt of passing) {
      if (pt[0].good >= 0.9 * top.good && pt[0].good <= 1.15 * top.good && pt[1] > added[1] * 1.05) added = pt;
    }
    chosen.push(added[0]);
    for (const m of added[0].members) postSet.add(m);
    refreshPrimary();
  }

  // blocks of the chosen shapes that the page does not show (display:none): in the DOM, not
  // on the screenshot
  out.hidden_blocks = chosen.reduce((n, s) => n + s.hidden, 0);
  out.candidates = scored.slice(0, 12).map((s) => ({
    key: s.g.key, aliases: s.g.aliases.slice(0, 4), members: s.g.members.length, good: s.good,
    authored: s.authored, avg_own_stamps: Math.round(s.avgT * 100) / 100,
    avg_own_text: s.avgText === undefined ? null : Math.round(s.avgText),
    purity: Math.round(s.purity * 100) / 100,
    score: Math.round(s.score * 100) / 100, chosen: chosen.includes(s),
  }));
  const toSelector = (key) => {
    const m = /^([\w-]+)\[([\w-]+)(\^?=)(.*)\]$/.exec(key);
    if (m) return m[1] + "[" + m[2] + m[3] + JSON.stringify(m[4]) + "]";
    const c = /^([\w-]+)\.(.*)$/.exec(key);
    if (c && !c[2].includes("#")) return c[1] + "." + CSS.escape(c[2]);
    return c ? c[1] : key;
  };
  out.container_selector = chosen.length ? chosen.map((s) => toSelector(s.g.key)).join(", ") : null;

  // -- reading one post -----------------------------------------------------------------------
  const posts = [...postSet].filter((m) => {
    // what the page shows: a block without a layout box (display:none) is not on the screenshot
    if (m.getClientRects().length === 0) return false;
    return true;
  });
  posts.sort((x, y) => (x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING) ? -1 : 1);
  // the post's own elements: nested posts and non-content tags are left out
  const ownWalk = (m, visit) => walkEls(m, (e) => {
    if (e !== m && (postSet.has(e) || SKIP_TAGS.has(e.localName))) return SKIP;
    return visit(e) === false ? STOP : 0;
  });
  const abs = (href) => { try { return new URL(href, location.href).href; } catch (e) { return null; } };
  const nameFrom = (el) => {
    const itemName = el.matches("[itemprop~=author]") ? el.querySelector("[itemprop~=name]") : null;
    const raw = (itemName || el).innerText || (itemName || el).textContent || "";
    let handle = null;
    for (const line of clean(raw).split("\n")) {
      const t = line.trim();
      if (!t) continue;
      if (/^@[\w.-]+$/.test(t)) { handle = handle || t; continue; }
      if (BADGE_TEXT.test(t) || ACTION_TEXT.test(t) || isDateText(t) || /^[\d\s.,·•|-]+$/.test(t)) continue;
      // "Kari sagt:", "Per says:": the comment system's verb is not part of the name
      // (short or past-tense verbs only with their colon: "Nguyen Sa" is a name)
      // "by Joe", "von Kari", "av Per": a byline's preposition is not part of the name
      const name = t.replace(/^(?:by|von|av|af|par|door)\s+(?=\S)/i, "").replace(/\s+(?:(?:says|sagt|schreibt|skriver|sier)\s*:?|(?:said|wrote|writes|schrieb|skrev|sa|dit|escribe|scrive)\s*:)$/i, "").trim();
      return { name: name && name.length <= 80 ? name : null, handle };
    }
    return { name: null, handle };
  };
  const handleFromUrl = (url) => {
    if (!url) return null;
    let p;
    try { p = new URL(url).pathname; } catch (e) { return null; }
    const m = /\/@([\w.-]+)/.exec(p) ||
      /\/(?:users?|u|profiles?|people|members?|channel|brukere?|mitglieder|benutzer)\/([^/?#]+)/i.exec(p);
    // "/users/3830997/name": a number is an account id, not a handle
    const h = m ? decodeURIComponent(m[1]).replace(/\.\d+$/, "") : null;
    return h && !/^\d+$/.test(h) ? h : null;
  };
  const hash = (s) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(36);
  };
  // the part of the block on the full-page screenshot, which starts at the document's origin:
  // a block reaching left of it (negative margins, off-canvas layouts) is cut at 0
  const boxOf = (el) => {
    const r = el.getBoundingClientRect();
    const x = r.left + scrollX, y = r.top + scrollY;
    const x0 = Math.max(0, x), y0 = Math.max(0, y);
    return { x: Math.round(x0), y: Math.round(y0),
             width: Math.max(0, Math.round(r.width - (x0 - x))),
             height: Math.max(0, Math.round(r.height - (y0 - y))) };
  };
  const BLOCKS = new Set(["p", "div", "li", "ul", "ol", "blockquote", "pre", "section", "article",
    "header", "footer", "aside", "figure", "table", "tr", "td", "dd", "dt", "dl", "h1", "h2", "h3",
    "h4", "h5", "h6", "main", "form", "nav"]);
  const BODY_HINT = /(?:^|[-_ ])(?:text|body|content|message|msg|comment-?body|entry|usertext|md|post-?text|bbwrapper|caption|description|selftext|markdown|tekst|inhalt)(?:$|[-_ ])/i;
  // the words a page names its parts with: classes, itemprop, id and the short word-like values
  // of its data-* attributes (data-testid="comment-body", data-role="post-text", …)
  const dataWords = (el) => {
    let words = "";
    for (const a of el.attributes) {
      if (a.name.startsWith("data-") && a.value.length <= 40 && /^[\w -]+$/.test(a.value)) words += " " + a.value;
    }
    return words;
  };
  const hinted = (el) => BODY_HINT.test((typeof el.className === "string" ? el.className : "") + " " +
    (el.getAttribute("itemprop") || "") + " " + (el.getAttribute("id") || "") + dataWords(el));

  // parts of a post that are not what the author wrote: action bars, menus, "replying to"
  // context, signatures, reaction lists
  const NOISE = /(?:^|[-_ ])(?:footer|actions?|action-?bar|action-?list|toolbar|buttons?|controls|menu|dropdown|share|sharing|vote|votes|voting|signature|sig|reactions?|likes?|dismiss)(?:$|[-_ ])|replyingto|reply-?context|in-reply-to/i;
  const isNoise = (el) => /^(?:footer|nav|menu|button)$/.test(el.localName) ||
    /^(?:toolbar|menu|menubar|group|navigation)$/.test(el.getAttribute("role") || "") ||
    NOISE.test(typeof el.className === "string" ? el.className : "");
  const read = (m) => {
    // author: the most explicit evidence first, the first of each kind in document order
    let authorEl = null, profileEl = null, hintEl = null, relEl = null, itemEl = null;
    const stamps = [];
    ownWalk(m, (e) => {
      if (timeAnchors.has(e)) stamps.push(e);
      if (e === m) return true;
      if (!itemEl && e.matches("[itemprop~=author]")) itemEl = e;
      if (!relEl && e.matches("[rel~=author]")) relEl = e;
      // a one-letter avatar link is not the name: a link with a longer text wins over it
      if ((!profileEl || oneLine(profileEl.textContent).length < 2) && e.localName === "a" &&
          authorAnchors.has(e) && isProfileLink(e) && oneLine(e.textContent)) profileEl = e;
      // the innermost hint holding a name: "message-user" around "username"
      if ((!hintEl || hintEl.contains(e)) && authorAnchors.has(e) && hintOf(e) &&
          oneLine(e.textContent).length >= 2 && oneLine(e.textContent).length <= 80 &&
          !e.querySelector("time")) hintEl = e;
      return true;
    });
    authorEl = itemEl || relEl || hintEl || profileEl;
    let author = null, handle = null, authorUrl = null;
    if (authorEl) {
      const n = nameFrom(authorEl);
      author = n.name;
      handle = n.handle;
      const link = authorEl.closest("a[href]") || authorEl.querySelector("a[href]");
      if (link && m.contains(link) && isProfileLink(link)) authorUrl = abs(link.href);
    }
    if (!authorUrl && profileEl) authorUrl = abs(profileEl.href);
    if (!author && profileEl) author = nameFrom(profileEl).name;
    if (!author) {
      // an avatar labelled with the name ("Kari Nordmann, profile picture") whose name the
      // post also shows as text
      ownWalk(m, (e) => {
        const label = e.getAttribute("alt") || e.getAttribute("aria-label");
        if (!label || !/^(?:img|i|span|div|a)$/.test(e.localName)) return true;
        const name = clean(label.split(",")[0]);
        if (name.length < 2 || name.length > 80 || !/\s|[A-Z]/.test(name)) return true;
        if (name === label.trim() && !/avatar|profile|profil|bilde|picture|photo/i.test(
          (e.className && typeof e.className === "string" ? e.className : "") + " " + label)) return true;
        if ((m.innerText || "").split("\n").some((line) => line.trim() === name)) { author = name; return false; }
        return true;
      });
    }
    if (!author) author = m.getAttribute("data-author") || m.getAttribute("data-author-name") ||
      m.getAttribute("data-username") || null;
    if (!handle && authorEl) {
      // an "@name" line near the author name (a mention in the body names someone else)
      let scope = authorEl;
      for (let i = 0; i < 3 && scope.parentElement && scope !== m; i++) scope = scope.parentElement;
      walkEls(scope, (e) => {
        if (e !== scope && postSet.has(e)) return SKIP;
        if (e.children.length === 0) {
          const t = oneLine(e.textContent);
          const link = e.closest("a[href]");
          if (/^@[\w.-]{1,40}$/.test(t) && (!link || !authorUrl || abs(link.href) === authorUrl)) {
            handle = t;
            return STOP;
          }
        }
        return 0;
      });
    }
    if (!handle) handle = handleFromUrl(authorUrl);
    if (!handle && profileEl && authorUrl === abs(profileEl.href)) {
      // a one-segment profile address ("/name") is the handle; a script's name
      // ("/memberlist.php?mode=viewprofile&u=5") is not
      const one = /^\/([\w.-]{2,40})\/?$/.exec(new URL(authorUrl).pathname);
      if (one && !/\.(?:php\d?|html?|aspx?|jsp|cgi|pl)$/i.test(one[1])) handle = one[1];
    }
    if (handle && !handle.startsWith("@") && /^@/.test(author || "")) handle = "@" + handle;
    // time: a stamp with a machine-readable value wins over text; of several such stamps,
    // the one beside the author's name (the post's own, not an "edited" stamp elsewhere in
    // it: "edited yesterday · asked Oct 23, 2008 Alex")
    const machineStamps = stamps.filter((e) => machineTime(e));
    let near = machineStamps.length ? machineStamps : stamps;
    if (near.length > 1 && authorEl) {
      const up = new Map();
      for (let e = authorEl, d = 0; e && e !== m.parentElement; e = e.parentElement, d++) up.set(e, d);
      const dist = (st) => {
        for (let e = st; e && e !== m.parentElement; e = e.parentElement) if (up.has(e)) return up.get(e);
        return Infinity;
      };
      const best = Math.min(...near.map(dist));
      near = near.filter((st) => dist(st) === best);
    }
    const timeEl = near[0] || null;
    let machine = timeEl ? machineTime(timeEl) : null;
    let shown = timeEl ? (stampText.get(timeEl) || oneLine(timeEl.innerText || timeEl.textContent)) : "";
    // the post's markup says which stamp is its publication (schema.org datePublished, often
    // a <meta> beside a shown "dateModified"): that one, not the edit
    if (timeEl && /\bdate(?:Modified|Updated)\b/i.test(timeEl.getAttribute("itemprop") || "")) {
      let pub = null;
      ownWalk(m, (e) => {
        if (/\bdate(?:Published|Created)\b/i.test(e.getAttribute("itemprop") || "") &&
            /\d/.test(e.getAttribute("content") || e.getAttribute("datetime") || "")) { pub = e; return false; }
        return true;
      });
      if (pub) {
        machine = (pub.getAttribute("datetime") || pub.getAttribute("content")).trim();
        shown = pub.localName === "meta" ? "" : oneLine(pub.innerText || pub.textContent);
      }
    }
    const publishedText = shown && shown.length <= 80 ? shown : (machine || null);
    const publishedAt = toIso(machine) || (publishedText ? toIso(publishedText) : null);
    // permalink: the link around the time stamp, else one whose address names the post
    let url = null;
    const domId = m.getAttribute("id");
    let dataId = null;
    for (const a of m.attributes) {
      if (ID_ATTR.test(a.name) && a.value && a.value.length <= 120) { dataId = a.value; break; }
    }
    const stampLink = timeEl ? timeEl.closest("a[href]") : null;
    if (stampLink && m.contains(stampLink) && !isProfileLink(stampLink)) url = abs(stampLink.href);
    const attrUrl = m.getAttribute("data-permalink") || m.getAttribute("data-url") || m.getAttribute("data-href");
    if (!url && attrUrl) url = abs(attrUrl);
    if (!url) {
      const idKey = dataId || domId;
      ownWalk(m, (e) => {
        if (e.localName !== "a" || !e.href || e === profileEl) return true;
        const rel = e.getAttribute("rel") || "";
        const h = e.getAttribute("href") || "";
        if (/bookmark|permalink/i.test(rel + " " + (e.className || "")) ||
            (idKey && idKey.length >= 4 && h.includes(idKey.replace(/^[a-z]+[-_]/i, "")))) {
          url = abs(e.href);
          return false;
        }
        return true;
      });
    }
    // body: the largest part of the post that holds neither the author, nor the stamp, nor a
    // nested post; runs of such sibling parts under one parent read as one body
    const tainted = new Set();
    const taint = (el) => { for (let e = el; e && e !== m.parentElement; e = e.parentElement) tainted.add(e); };
    if (authorEl) taint(authorEl);
    if (timeEl) taint(timeEl);
    if (profileEl) taint(profileEl);
    // the parts holding this post's own author and stamp
    const own = new Set(tainted);
    for (const p of postSet) if (p !== m && m.contains(p)) taint(p);
    const regions = [];
    const ITEM_TAGS = new Set(["li", "article", "tr", "dd"]);
    const sigOf = (e) => e.localName + "." + (typeof e.className === "string" ? e.className.trim() : "");
    const visitChildren = (el) => {
      let run = [];
      const flush = () => { if (run.length) regions.push(run); run = []; };
      // An item of a list (li, article, table row) beside the one holding the author or the
      // stamp, of the same shape and with an author and a stamp of its own, is the next post
      // of a list the block holds (a list of answers read as one block), not this post's
      // body: its words are someone else's. (A quoted post inside a post is no list item:
      // it stays part of the body.)
      const peers = new Set();
      for (const c of el.children) if (own.has(c)) peers.add(sigOf(c));
      const nextPost = (c) => {
        if (own.has(c) || !ITEM_TAGS.has(c.localName) || !peers.has(sigOf(c))) return false;
        const rec = info.get(c);
        return !!rec && rec.t > 0 && rec.a > 0;
      };
      for (const c of el.childNodes) {
        if (c.nodeType === 3) { if (c.nodeValue.trim()) run.push(c); continue; }
        if (c.nodeType !== 1 || SKIP_TAGS.has(c.localName)) continue;
        // a nested post has its own body; it ends the run and is not looked into
        if (postSet.has(c)) { flush(); continue; }
        if (nextPost(c)) { flush(); continue; }
        if (!tainted.has(c) && isNoise(c)) { flush(); continue; }
        // the author name and the stamp themselves are not body text
        if (c === authorEl || c === timeEl || c === profileEl) { flush(); continue; }
        if (tainted.has(c)) { flush(); visitChildren(c); continue; }
        run.push(c);
      }
      flush();
    };
    if (tainted.has(m)) visitChildren(m); else regions.push([m]);
    const textOf = (nodes) => {
      const parts = [];
      const add = (n) => {
        if (n.nodeType === 3) { parts.push(n.nodeValue); return; }
        if (n.nodeType !== 1 || isNotice(n)) return;
        const wrap = BLOCKS.has(n.localName) ? "\n" : "";
        if (n.querySelector(NOTICE_SEL) && [...n.querySelectorAll(NOTICE_SEL)].some(isNotice)) {
          // the platform's notice inside the body ("Want to improve this post?") is left out
          parts.push(wrap);
          for (const c of n.childNodes) if (c.nodeType === 3 || !SKIP_TAGS.has(c.localName)) add(c);
          parts.push(wrap);
          return;
        }
        const t = n.innerText !== undefined ? n.innerText : n.textContent;
        parts.push(wrap + t + wrap);
      };
      for (const n of nodes) add(n);
      return clean(parts.join(""));
    };
    let best = null;
    // emoji drawn as images carry their character in alt: a post of emoji only has that text
    const emojiOf = (run) => {
      let t = "";
      for (const n of run) {
        if (n.nodeType !== 1) continue;
        for (const img of n.localName === "img" ? [n] : n.querySelectorAll("img[alt]")) {
          const alt = img.getAttribute("alt") || "";
          if (alt && alt.length <= 8 && !/[a-z]{3}/i.test(alt)) t += alt;
        }
      }
      return t;
    };
    for (const run of regions) {
      const t = textOf(run) || emojiOf(run);
      if (!t) continue;
      const lines = t.split("\n").filter((l) => l.trim() && !ACTION_TEXT.test(l.trim()));
      const txt = lines.join("\n");
      if (!txt || isDateText(txt)) continue;
      let linkLen = 0;
      for (const n of run) {
        if (n.nodeType !== 1) continue;
        const links = n.localName === "a" ? [n] : n.querySelectorAll("a");
        for (const a of links) linkLen += oneLine(a.textContent).length;
      }
      const hint = run.some((n) => n.nodeType === 1 && (hinted(n) || n.querySelector && (n.querySelector("[class*=text i], [class*=body i], [class*=content i], [class*=message i], [itemprop=text]") || [...n.querySelectorAll("*")].some((d) => d.attributes.length > 1 && hinted(d))))) ? 1.5 : 1;
      const weight = (txt.length - 0.7 * Math.min(linkLen, txt.length)) * hint;
      if (!best || weight > best.weight) best = { weight, txt, run };
    }
    let text = best ? best.txt : null;
    // "Replying to @x" above the text: when one part of the run says it is the text (a lang
    // attribute marks what the user wrote, or a text/body/message class) and holds most of
    // it, that part alone is the body
    const isMarked = (n) => n.hasAttribute("lang") || hinted(n);
    if (best && !best.run.some((n) => n.nodeType === 1 && isMarked(n) &&
                               textOf([n]).length >= 0.9 * best.txt.length)) {
      // marked parts of one kind (same tag and class, or all [lang]) read together: a body
      // split over several "comments_body" spans is one body
      const kinds = new Map();
      for (const n of best.run) {
        if (n.nodeType !== 1) continue;
        for (const d of [n, ...n.querySelectorAll("*")]) {
          if (!isMarked(d)) continue;
          const kind = d.hasAttribute("lang") ? "[lang]" : d.localName + "." + d.className;
          const list = kinds.get(kind) || [];
          if (!list.some((x) => x.contains(d))) list.push(d);
          kinds.set(kind, list);
        }
      }
      let pickT = "";
      for (const [kind, list] of kinds) {
        const t = textOf(list);
        // a [lang] block is what the user wrote even beside a large link card
        const share = kind === "[lang]" ? 0.15 : 0.25;
        if (t.length > pickT.length && t.length >= share * best.txt.length) pickT = t;
      }
      if (pickT) text = pickT;
    }
    if (text && author && text === author) text = null;
    let id = dataId || domId || null;
    if (!id && url) { try { const u = new URL(url); id = u.pathname + u.search + u.hash; } catch (e) {} }
    // no address of its own: an id from what the post shows, the same in every capture of it
    // (posts that show the same get "~2", "~3" below)
    if (!id) id = "reader-" + hash((author || "") + "|" + (publishedText || "") + "|" + (text || "").slice(0, 200));
    return { el: m, id: String(id), url, author, handle, author_url: authorUrl,
             published_at: publishedAt, published_text: publishedText, published_raw: machine,
             text, parent_id: null, depth: 0, box: boxOf(m), stampEl: timeEl, bodyEl: null };
  };
  const read_ = posts.map(read);
  // ids must be unique within the thread: a repeated id gets its position appended
  const ids = new Set();
  for (const p of read_) {
    let id = p.id;
    for (let k = 2; ids.has(id); k++) id = p.id + "~" + k;
    p.id = id;
    ids.add(id);
  }
  const byEl = new Map(read_.map((p) => [p.el, p]));

  // -- nesting ----------------------------------------------------------------------------------
  let nestedByDom = 0;
  // replies nested in a block of their own shape (a comment inside the comment it answers):
  // what decides below whether the top-level blocks are peers
  const shapeOf = new Map();
  chosen.forEach((s, i) => { for (const m of s.members) if (!shapeOf.has(m)) shapeOf.set(m, i); });
  let nestedSameShape = 0;
  const nestUnder = (p, q) => {
    p.parent_id = q.id;
    nestedByDom++;
    if (shapeOf.get(p.el) === shapeOf.get(q.el)) nestedSameShape++;
  };
  for (const p of read_) {
    for (let e = p.el.parentElement; e && e !== body; e = e.parentElement) {
      const q = byEl.get(e);
      if (q) { nestUnder(p, q); break; }
    }
    if (p.parent_id) continue;
    // a "children" container right after its parent post (the post and its replies are siblings)
    for (let e = p.el.parentElement, i = 0; e && e !== body && i < 6; e = e.parentElement, i++) {
      if (!namesReplies(e)) continue;
      const prev = e.previousElementSibling;
      if (!prev) continue;
      const q = byEl.get(prev) || read_.find((r) => prev.contains(r.el));
      if (q && q !== p) nestUnder(p, q);
      break;
    }
  }
  // indentation: flat lists that show depth by left offset (padding/margin per level)
  let nesting = nestedByDom ? "dom" : "none";
  if (!nestedByDom && read_.length > 2) {
    // the block's own left edge: a stamp or name moves with the text before it
    const leftOf = (p) => p.el.getBoundingClientRect().left;
    const lefts = read_.map(leftOf);
    const distinct = new Set(lefts.map((x) => Math.round(x / 4)));
    if (distinct.size >= 2 && Math.max(...lefts) - Math.min(...lefts) >= 8) {
      nesting = "indentation";
      const stack = [];
      read_.forEach((p, i) => {
        while (stack.length && lefts[stack[stack.length - 1]] >= lefts[i] - 4) stack.pop();
        if (stack.length) p.parent_id = read_[stack[stack.length - 1]].id;
        stack.push(i);
      });
    }
  }
  out.nesting = nesting;

  // -- root ---------------------------------------------------------------------------------------
  const normUrl = (u) => {
    try {
      const x = new URL(u, location.href);
      // the fragment stays: "#comment-12" on the page's own address is a post in the page
      return ((x.host + x.pathname).replace(/\/+$/, "") + x.hash).toLowerCase();
    } catch (e) { return null; }
  };
  // the query's parameters ("commentId=abc"), to tell a comment's permalink from its page's;
  // where a link came from ("?s=20", "?utm_source=…", "?ref_src=…") tells nothing
  const TRACKING = /^(?:utm_\w+|ref|ref_src|ref_url|s|si|from|source|src|feature|fbclid|gclid|igshid|share_id)$/i;
  const paramsOf = (u) => {
    try {
      return new Set([...new URL(u, location.href).searchParams].filter(([k]) => !TRACKING.test(k))
        .map(([k, v]) => k + "=" + v));
    } catch (e) { return new Set(); }
  };
  const wanted = [];
  const want = (how, u) => wanted.push([how, normUrl(u), paramsOf(u)]);
  const canon = document.querySelector("link[rel=canonical]");
  if (canon && canon.href) want("canonical", canon.href);
  const og = document.querySelector("meta[property='og:url'], meta[name='og:url']");
  if (og && og.content) want("og:url", og.content);
  if (cfg.page_url) want("page_url", cfg.page_url);
  want("location", location.href);
  // a permalink is the address when its path and fragment are, and every parameter of its
  // query is one of the address's too: "…/post?commentId=abc" is a comment on "…/post", not
  // the post; "…/post" is the post asked for as "…/post?utm_source=x"
  const isAddress = (url, w, params) => normUrl(url) === w &&
    [...paramsOf(url)].every((q) => params.has(q));
  // The root, in this order:
  // 1. the block whose permalink is the canonical / og:url / asked-for address;
  // 2. the first block, when it says it is post 1 ("#1");
  // 3. a post before the blocks that is none of them (a story above its comments, a question
  //    above its answers, the article above its comment list): author or time evidence and
  //    text of its own, not one of a list, and not a header that repeats the first block's
  //    author and time; read like any block;
  // 4. the first block, when it plausibly opens the thread: not a later page of it (rel=prev,
  //    a paginator on a page above 1, a post number above 1) and not one of several top-level
  //    comments whose replies nest in blocks of their own shape (a comment list of peers);
  // 5. else the page itself, from its own metadata (og:title / <title>, og:description, the
  //    canonical address): no author, no time it does not declare; every block is a reply.
  let root = null;
  for (const [how, w, params] of wanted) {
    if (!w) continue;
    root = read_.find((p) => p.url && isAddress(p.url, w, params));
    if (root) { out.root_match = how; break; }
  }
  const top = read_.filter((p) => !p.parent_id);
  const firstTop = top.length ? top[0] : null;
  const rootWhy = [];
  // a post number shown in the block ("#661", "#1"): a short "#<n>" text of its own
  const postNumber = (p) => {
    let n = null;
    ownWalk(p.el, (e) => {
      if (e.children.length) return true;
      const m = /^#\s?(\d{1,7})$/.exec(oneLine(e.textContent));
      if (m) { n = parseInt(m[1], 10); return false; }
      return true;
    });
    return n;
  };
  const firstNumber = firstTop ? postNumber(firstTop) : null;
  if (!root && firstTop && firstNumber === 1) { root = firstTop; out.root_match = "first"; rootWhy.push("post #1"); }

  // -- 3: a post before the blocks ----------------------------------------------------------------
  const precedes = (e, target) => e !== target && !e.contains(target) &&
    !!(e.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
  const textLen = new Map();
  const lenOf = (e) => {
    let n = textLen.get(e);
    if (n === undefined) { n = oneLine(e.textContent).length; textLen.set(e, n); }
    return n;
  };
  // one of a list (teasers, "latest posts"): two or more siblings of the same shape with stamps
  const inList = (e) => {
    for (let x = e, i = 0; x && x !== body && i < 3; x = x.parentElement, i++) {
      const sig = x.localName + "." + (typeof x.className === "string" ? x.className : "");
      let same = 0;
      for (const sib of x.parentElement ? x.parentElement.children : []) {
        if (sib === x) continue;
        const sigS = sib.localName + "." + (typeof sib.className === "string" ? sib.className : "");
        if (sigS === sig && (info.get(sib) || {}).t > 0) same++;
      }
      if (same >= 2) return true;
    }
    return false;
  };
  const title = oneLine((document.querySelector("meta[property='og:title'], meta[name='og:title'], meta[name='twitter:title']") || {}).content || document.title || "");
  // sidebars and recommendations are not the thread's post
  const SIDE = /(?:^|[-_ ])(?:side|sidebar|aside|widget|rail|related|recommend(?:ed|ations)?|promo|teaser)(?:$|[-_ ])/i;
  const isSide = (e) => {
    for (let x = e; x && x !== body; x = x.parentElement) {
      if (x.localName === "aside" || x.getAttribute("role") === "complementary" ||
          SIDE.test((typeof x.className === "string" ? x.className : "") + " " + (x.id || ""))) return true;
    }
    return false;
  };
  // the page's navigation, banner and footer (a header or footer inside an article is the
  // post's own)
  const inChrome = (e) => !!e.closest("nav, [role=navigation], [role=menu], [role=menubar], [role=banner], [role=contentinfo]") ||
    [...[e.closest("header"), e.closest("footer")]].some((x) => x && !x.closest("article, main, [role=main]"));
  let before = null;
  if (!root && firstTop) {
    const firstEl = read_[0].el;
    const rec0 = { t: 0, a: 0 };
    // the post grows from its stamp as far as it gains text and no other post's evidence
    // (another stamp), stays before the blocks and takes in no sidebar or navigation
    const grow = (e) => {
      const r0 = info.get(e) || rec0;
      let best = e;
      for (let x = e.parentElement, i = 0; x && x !== body && i < 16; x = x.parentElement, i++) {
        if (!precedes(x, firstEl)) break;
        const r = info.get(x) || rec0;
        if (r.t > r0.t || isSide(x) || x.querySelector("nav, [role=navigation], [role=banner]")) break;
        best = x;
      }
      return best;
    };
    const found = new Set();
    for (const st of timeAnchors) {
      if (!precedes(st, firstEl) || ownerIn(st, postSet) || st.getClientRects().length === 0) continue;
      const stampLen = lenOf(st);
      for (let e = st.parentElement, i = 0; e && e !== body && i < MAX_UP; e = e.parentElement, i++) {
        if (!precedes(e, firstEl)) break;
        const rec = info.get(e);
        // author evidence (or the page's heading), and text beyond the stamp and a name
        if (((rec && rec.a > 0) || e.querySelector("h1")) && lenOf(e) - stampLen >= 40) {
          found.add(grow(e));
          break;
        }
      }
    }
    const picks = [];
    const f = read_[0];
    for (const e of found) {
      if (e.getClientRects().length === 0 || inList(e) || isNoise(e) || isSide(e) || inChrome(e)) continue;
      const p = read(e);
      // a name has a letter, a time stamp is a date ("13:01" beside a video is its length,
      // "0:00" a player's position)
      if (p.author && !/\p{L}/u.test(p.author)) p.author = null;
      const dated = !!(p.published_raw || (p.published_text && isDateText(p.published_text) &&
                                           !/^\d{1,2}:\d{2}(?::\d{2})?$/.test(p.published_text)));
      // its heading: an h1, or a line that is the page's title (a link post's title)
      const heading = e.querySelector("h1") || [...e.querySelectorAll("h2, h3, a, p, span, div")].find(
        (h) => { const t = oneLine(h.textContent); return t.length >= 8 && title && title.startsWith(t); });
      const headText = heading ? oneLine(heading.textContent) : "";
      // what the author wrote, not a menu: most of the text is not link text
      let linkLen = 0;
      for (const a of e.querySelectorAll("a")) if (!(heading && (a === heading || a.contains(heading) || heading.contains(a)))) linkLen += lenOf(a);
      if (linkLen > 0.6 * (lenOf(e) - headText.length)) continue;
      const letters = (t) => (t || "").replace(/[^\p{L}]/gu, "").length;
      if (headText) {
        p.title = headText;
        // a post whose only text is its title (a link post): the title is its text
        if (letters(p.text) < letters(headText)) p.text = headText;
      }
      if (!p.text || !(p.author || dated)) continue;
      // the header of a post whose body follows it, apart, before the blocks (a table of
      // contents beside the article): the largest stamp-free text part between them
      if (oneLine(p.text).length < 200) {
        let lca = e.parentElement;
        while (lca && !lca.contains(firstEl)) lca = lca.parentElement;
        let bodyEl = null;
        for (const b of (lca || body).querySelectorAll("article, [itemprop=articleBody], [class*=content i], [class*=body i], [class*=text i]")) {
          if (!(e.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) || e.contains(b) ||
              !precedes(b, firstEl) || ((info.get(b) || rec0).t > 0) || isSide(b) || inChrome(b)) continue;
          if (!bodyEl || lenOf(b) > lenOf(bodyEl)) bodyEl = b;
        }
        const bt = bodyEl ? clean(bodyEl.innerText || "") : "";
        if (bt.length >= 2 * oneLine(p.text).length && bt.length >= 200) p.text = bt;
      }
      // the first block's own author cell (a profile column beside the message): the same
      // author, and no other block under their common wrapper
      if (p.author && f.author && oneLine(p.author).toLowerCase() === oneLine(f.author).toLowerCase()) {
        let lca = e.parentElement;
        while (lca && !lca.contains(firstEl)) lca = lca.parentElement;
        if (lca && read_.filter((q) => lca.contains(q.el)).length === 1) continue;
      }
      // a thread header repeating the first block's author and time is that block's summary
      if (p.author && f.author && oneLine(p.author).toLowerCase() === oneLine(f.author).toLowerCase() &&
          ((p.published_raw && f.published_raw) ? p.published_raw === f.published_raw
            : !!(p.published_text && p.published_text === f.published_text))) {
        rootWhy.push("header of the first block");
        continue;
      }
      const h1 = e.querySelector("h1") ? 1 : 0;
      const named = title && (p.text || "").length >= 8 && title.includes(oneLine(p.text).slice(0, 40)) ? 1 : 0;
      const bodyLen = oneLine(p.text).length;
      picks.push({ p, weight: bodyLen * (1 + h1 + named) * (p.author ? 1 : 0.5) * (p.published_text ? 1 : 0.5) });
    }
    picks.sort((x, y) => y.weight - x.weight);
    out.root_candidates = picks.slice(0, 5).map((c) => ({ author: c.p.author, time: c.p.published_text,
      text: (c.p.text || "").slice(0, 60), weight: Math.round(c.weight) }));
    if (picks.length) before = picks[0].p;
  }
  if (!root && before) {
    root = before;
    out.root_match = "preceding";
    // its id must not be any block's
    for (let k = 2; read_.some((p) => p.id === root.id); k++) root.id = root.id.replace(/~\d+$/, "") + "~" + k;
  }

  // -- 4: the first block, when it plausibly opens the thread -------------------------------------
  const laterPage = () => {
    if (document.querySelector("link[rel~=prev], a[rel~=prev], link[rel~=previous], a[rel~=previous]")) return "rel=prev";
    const PAGER = /(?:^|[-_ ])(?:pag(?:e|es|er|ing|ination|inator|enav|e-?nav|e-?numbers?)|page-?list|seiten?|sider?)(?:$|[-_ ])/i;
    for (const nav of body.querySelectorAll("[class*=pag i], [id*=pag i], [aria-label*=pag i], [class*=seite i], nav")) {
      const hint = (typeof nav.className === "string" ? nav.className : "") + " " + (nav.id || "") + " " + (nav.getAttribute("aria-label") || "");
      if (!PAGER.test(hint) && nav.localName !== "nav") continue;
      // "Seite 34 von 60", "Page 2 of 5", "Side 3 av 4"
      const t = oneLine(nav.textContent);
      const of = /\b(?:page|seite|side|sida|pagina|página)\s+(\d+)\s+(?:of|von|av|af|di|de)\s+\d+/i.exec(t);
      if (of && parseInt(of[1], 10) > 1) return "paginator: " + of[0];
      // the current page: marked, and not a link
      for (const cur of nav.querySelectorAll("[aria-current=page], .current, .active, .selected, .is-current, .is-active, strong, em")) {
        const n = oneLine(cur.textContent);
        if (/^\d{1,5}$/.test(n) && !cur.closest("a[href]") && parseInt(n, 10) > 1) return "paginator: page " + n;
      }
    }
    return null;
  };
  // the first block outside the list that holds every other top-level block (an opening post
  // above "<ul class=replies>"): it opens the thread even where replies nest in its shape
  const listOf = (el) => {
    const up = el.parentElement;
    return up && up.localName === "li" ? up.parentElement : up;
  };
  const standsApart = () => {
    const rest = new Set(top.slice(1).map((p) => listOf(p.el)));
    return rest.size === 1 && !rest.has(listOf(firstTop.el));
  };
  if (!root && firstTop) {
    const later = laterPage();
    if (later) rootWhy.push("later page (" + later + ")");
    else if (firstNumber !== null && firstNumber > 1) rootWhy.push("first block is post #" + firstNumber);
    else if (nestedSameShape && top.length >= 2 && !standsApart()) rootWhy.push("top-level blocks are peers (replies nest in their own shape)");
    else { root = firstTop; out.root_match = "first"; }
  }

  // -- 5: the page itself, from its metadata --------------------------------------------------------
  const metaOf = (...keys) => {
    for (const k of keys) {
      const el = document.querySelector("meta[property='" + k + "'], meta[name='" + k + "']");
      const v = el && oneLine(el.getAttribute("content") || "");
      if (v) return v;
    }
    return null;
  };
  let pageRoot = null;
  if (!root && read_.length) {
    const ogUrl = metaOf("og:url");
    const addr = abs(ogUrl || (canon && canon.getAttribute("href")) || cfg.page_url || location.href);
    const heading = oneLine((document.querySelector("h1") || {}).textContent || "");
    const name = metaOf("og:title", "twitter:title") || oneLine(document.title || "") || heading || null;
    const declared = metaOf("article:published_time", "og:published_time");
    pageRoot = { el: null, id: addr || "page", url: addr, author: null, handle: null, author_url: null,
      published_at: toIso(declared), published_text: null, published_raw: declared,
      text: metaOf("og:description", "twitter:description") || name, title: name,
      parent_id: null, depth: 0, box: null };
    for (let k = 2; read_.some((p) => p.id === pageRoot.id); k++) pageRoot.id = (addr || "page") + "~" + k;
    root = pageRoot;
    out.root_match = "metadata";
  }
  out.root_why = rootWhy;
  // A root without a permalink of its own that is the page's post beyond doubt — the post
  // before the blocks, or the only block of a page with one post — is at the page's own
  // address (so other readings of the page's post, which know it by that address, are the
  // same post, not another one)
  if (root && !root.url && (out.root_match === "preceding" || (out.root_match === "first" && read_.length === 1))) {
    // its og:url, else where it is (as the page's other readings name it)
    root.url = abs(metaOf("og:url") || location.href);
  }
  if (root) {
    const inRead = read_.includes(root);
    const rootIndex = inRead ? read_.indexOf(root) : -1;
    const matched = out.root_match !== "first" && inRead;
    for (const p of read_) {
      if (p === root) continue;
      if (!p.parent_id) {
        // top-level posts above a matched root are the conversation it answers, not replies
        if (matched && read_.indexOf(p) < rootIndex) { out.ancestors.push(p); continue; }
        p.parent_id = root.id;
      }
      out.replies.push(p);
    }
    root.parent_id = null;
  }
  const byId = new Map(read_.map((p) => [p.id, p]));
  if (root) byId.set(root.id, root);
  const depthOf = (p) => {
    let d = 0;
    for (let q = p, guard = 0; q && q.parent_id && guard < 200; q = byId.get(q.parent_id), guard++) d++;
    return d;
  };
  const emit = (p) => ({ id: p.id, url: p.url, author: p.author, handle: p.handle,
    author_url: p.author_url, published_at: p.published_at, published_text: p.published_text,
    published_raw: p.published_raw, text: p.text, parent_id: p.parent_id, depth: depthOf(p),
    box: p.box, title: p.title || null });
  out.root = root ? emit(root) : null;
  out.replies = out.replies.map(emit);
  out.ancestors = out.ancestors.map(emit);
  out.blocks_seen = out.replies.length + out.ancestors.length;
  out.ms = Math.round(performance.now() - started);
  return out;
}
