// somecapture: YouTube comment tree from the DOM. Replies are not nested inside their parent
// comment element: a thread is ytd-comment-thread-renderer holding the top-level comment
// (#comment) and, under #replies, the reply elements. For every comment this returns its
// permalink (the ?lc= link the extract step used as id) and the permalink of the thread's
// top-level comment when it is a reply.
() => {
  const COMMENT = "ytd-comment-view-model, ytd-comment-renderer";
  const LINK = "#published-time-text a[href*='lc='], #header-author a[href*='lc=']";
  const linkOf = (el) => {
    const a = el ? el.querySelector(LINK) : null;
    return a && a.href ? a.href : null;
  };
  const out = {};
  document.querySelectorAll(COMMENT).forEach((el) => {
    const href = linkOf(el);
    if (!href) return;
    const thread = el.closest("ytd-comment-thread-renderer");
    const inReplies = !!el.closest("ytd-comment-replies-renderer");
    let top = null;
    if (thread && inReplies) {
      const first = [...thread.querySelectorAll(COMMENT)]
        .find((c) => !c.closest("ytd-comment-replies-renderer"));
      top = linkOf(first);
    }
    out[href] = { reply: inReplies, thread_top: top };
  });
  return out;
}
