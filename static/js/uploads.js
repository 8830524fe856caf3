/* shenbao uploads: progress for an attachment slot's upload.
 * The slot's form posts through htmx (an XMLHttpRequest; hx-disabled-elt disables its button meanwhile);
 * this shows the <progress> and "正在上传 45%" beside the button while the file goes up, and a Chinese
 * message beside the slot when the request fails outright. The server's own refusals (wrong type, too
 * large) come back as the slot re-rendered with its message. Without JavaScript the form posts and the
 * page comes back. No dependencies. */
(function () {
  "use strict";

  const TEXT = {
    uploading: (percent) => `正在上传 ${percent}%`,
    checking: "已上传，正在检查文件……",
    network: "上传失败：网络中断或服务器暂不可用。文件未保存，请检查网络后重新上传。",
    forbidden: "上传失败：申报书当前不能修改附件，或登录已超时。请刷新页面后重试。",
    tooLarge: "上传失败：文件过大，服务器拒绝接收。请压缩或拆分后重新上传。",
    failed: (code) => `上传失败（${code}）：文件未保存，请刷新页面后重试。`,
  };

  const uploadForm = (el) => (el && el.closest ? el.closest("form.attachment-upload") : null);

  function progressOf(form) {
    const box = form.querySelector(".upload-progress");
    return box && { box, bar: box.querySelector("progress"), text: box.querySelector(".upload-percent") };
  }

  function show(form, percent) {
    const p = progressOf(form);
    if (!p) return;
    // The response's download reports progress too: the figure only ever goes up.
    const shown = Math.max(Number(p.bar.value) || 0, percent);
    p.box.hidden = false;
    p.bar.value = shown;
    p.text.textContent = shown >= 100 ? TEXT.checking : TEXT.uploading(shown);
  }

  function reset(form) {
    const p = progressOf(form);
    if (!p) return;
    p.box.hidden = true;
    p.bar.value = 0;
    p.text.textContent = TEXT.uploading(0);
  }

  function complain(form, message) {
    const slot = form.closest(".attachment-slot");
    let alert = slot.querySelector(".upload-error");
    if (!alert) {
      alert = Object.assign(document.createElement("p"), { className: "alert alert-error upload-error" });
      alert.setAttribute("role", "alert");
      form.before(alert);
    }
    alert.textContent = message;
  }

  function messageFor(status) {
    if (status === 0) return TEXT.network;
    if (status === 401 || status === 403) return TEXT.forbidden;
    if (status === 413) return TEXT.tooLarge;
    return TEXT.failed(status);
  }

  document.addEventListener("htmx:beforeRequest", (e) => {
    const form = uploadForm(e.target);
    if (!form) return;
    const old = form.closest(".attachment-slot").querySelector(".upload-error");
    if (old) old.remove();
    show(form, 0);
  });
  document.addEventListener("htmx:xhr:progress", (e) => {
    const form = uploadForm(e.target);
    if (form && e.detail.lengthComputable && e.detail.total) show(form, Math.floor((100 * e.detail.loaded) / e.detail.total));
  });
  document.addEventListener("htmx:responseError", (e) => {
    const form = uploadForm(e.target);
    if (!form) return;
    reset(form);
    complain(form, messageFor(e.detail.xhr ? e.detail.xhr.status : 0));
  });
  document.addEventListener("htmx:sendError", (e) => {
    const form = uploadForm(e.target);
    if (!form) return;
    reset(form);
    complain(form, TEXT.network);
  });
})();
