/* shenbao downloads: a document generated on request (申请报告 / 绩效目标表 as PDF or Word, the Excel
 * workbook) takes seconds. A link marked data-download shows "正在生成…" and takes no second click until
 * the file arrives; the file is fetched and then saved under the server's name. Anything that is not a
 * file (the official PDF still being made, an error, the login page) is opened as the page it is.
 * Without JavaScript the link is an ordinary download. No dependencies. */
(function () {
  "use strict";

  const BUSY = "正在生成…";

  function filenameOf(disposition) {
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    if (star) {
      try { return decodeURIComponent(star[1]); } catch (e) { /* fall through to the plain name */ }
    }
    const plain = /filename="?([^";]+)"?/i.exec(disposition);
    return plain ? plain[1] : "";
  }

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = Object.assign(document.createElement("a"), { href: url, download: name });
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  async function download(link) {
    const label = link.textContent;
    link.setAttribute("aria-disabled", "true");
    link.setAttribute("aria-busy", "true");
    link.textContent = BUSY;
    try {
      const res = await fetch(link.href, { credentials: "same-origin" });
      const disposition = res.headers.get("Content-Disposition") || "";
      if (!res.ok || !/^attachment/i.test(disposition)) {
        window.location.assign(link.href); // a page, not a file: show it
        return;
      }
      save(await res.blob(), filenameOf(disposition));
    } catch (e) {
      window.location.assign(link.href); // the network failed: let the browser try and say so itself
    } finally {
      link.textContent = label;
      link.removeAttribute("aria-disabled");
      link.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("click", (e) => {
    const link = e.target.closest ? e.target.closest("a[data-download]") : null;
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (link.getAttribute("aria-disabled") !== "true") download(link);
  });
})();
