// somecapture: LinkedIn-specific step the shared scripts cannot express as data.
// Called as ({op, cfg}) with cfg = resources/sites/linkedin.json (merged over generic.json).
//   op "annotate": on the guest page a comment's URN is only on its report link
//                  (data-semaphore-content-urn): copy it onto the comment as
//                  data-somecapture-id; return profile handles (/in/<vanity>, /company/<name>)
//                  of the post's author and of each comment, keyed by the comment's id.
({ op, cfg }) => {
  const ex = cfg.extract || {};
  const handleOf = (a) => {
    if (!a || !a.href) return null;
    try {
      const m = new URL(a.href, location.href).pathname.match(/\/(in|company|school|showcase)\/([^/]+)/);
      return m ? decodeURIComponent(m[2]) : null;
    } catch (e) { return null; }
  };
  if (op !== "annotate") return null;
  const out = { root_handle: null, handles: {} };
  let root = null;
  try { root = document.querySelector(ex.root.container); } catch (e) {}
  if (root) {
    out.root_handle = handleOf(root.querySelector(
      "a.update-components-actor__meta-link, .update-components-actor a[href*='/company/'], " +
      ".update-components-actor a[href*='/in/'], a[data-tracking-control-name='public_post_feed-actor-name']"));
  }
  let items = [];
  try { items = [...document.querySelectorAll(ex.reply.item)]; } catch (e) {}
  items.forEach((el) => {
    let id = el.getAttribute("data-id");
    if (!id) {
      const report = el.querySelector("[data-semaphore-content-urn]");
      id = report ? report.getAttribute("data-semaphore-content-urn") : null;
      if (id) el.setAttribute("data-somecapture-id", id);
    }
    // the author's own link, not a mention inside the text
    const author = el.querySelector(
      "a.comments-comment-meta__description-container, a.comments-comment-meta__image-link, " +
      "a.comment__author, a[data-tracking-control-name='public_post_comment_actor-name']");
    if (id) out.handles[id] = handleOf(author);
  });
  return out;
}
