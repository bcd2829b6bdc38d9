// somecapture: Reddit ("shreddit") thread data kept in custom-element attributes.
// shreddit-post and shreddit-comment state id, author, time, parent and counts as attributes
// (thingid, parentid, author, created, created-timestamp, comment-count, permalink); the
// Python adapter uses them to fill what the selector-based extract left empty.
() => {
  const post = document.querySelector("shreddit-post");
  const abs = (p) => { try { return p ? new URL(p, location.href).href : null; } catch (e) { return null; } };
  const iso = (t) => {
    if (!t) return null;
    const d = new Date(t.replace(/\.(\d{3})\d*/, ".$1").replace(/\+0000$/, "Z"));
    return Number.isNaN(d.getTime()) ? t : d.toISOString();
  };
  const out = { root: null, comments: {} };
  if (post) {
    out.root = {
      id: post.getAttribute("id") || post.getAttribute("post-id"),
      author: post.getAttribute("author"),
      title: post.getAttribute("post-title"),
      published_at: iso(post.getAttribute("created-timestamp")),
      url: abs(post.getAttribute("permalink")),
      comment_count: post.getAttribute("comment-count"),
      score: post.getAttribute("score"),
    };
  }
  document.querySelectorAll("shreddit-comment[thingid]").forEach((c) => {
    out.comments[c.getAttribute("thingid")] = {
      author: c.getAttribute("author"),
      parent_id: c.getAttribute("parentid"),
      published_at: iso(c.getAttribute("created")),
      url: abs(c.getAttribute("permalink")),
      depth: c.getAttribute("depth"),
    };
  });
  return out;
}
