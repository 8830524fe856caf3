/* shenbao autosave: saves #section-form cell by cell as JSON while the applicant types.
 * Every unconfirmed edit goes to localStorage first, so a closed tab, a lost network or an expired
 * session never loses text; a cell someone else changed is shown as a conflict, never overwritten.
 * Also: 字数 counters (the server's count rule), add/remove rows in row lists, and each cross-check warning
 * beside its cell (figures.js shows the computed values). No dependencies. */
(function () {
  "use strict";

  const DEBOUNCE_MS = 800;
  const RETRY_MS = 5000;
  const TEXT = {
    saving: "保存中……", dirty: "有未保存的修改", conflict: "有冲突，请处理",
    offline: "保存失败：网络或服务器暂不可用，修改已暂存在本机，恢复后将自动重新保存。",
    login: ["登录已超时，您的修改已暂存在本机，请", "重新登录", "后继续。"],
    failed: (code) => `保存失败（${code}），修改已暂存在本机，请刷新页面后重试。`,
    conflictHere: "此项已在其他页面或由其他人修改并保存。您输入的内容仍保留在输入框中，没有被覆盖。",
    conflictElsewhere: "您在其他页面尚未保存的一项修改与已保存的内容冲突。您的内容：",
    restored: (n) => `已恢复 ${n} 项尚未保存到服务器的修改，正在重新保存……`,
  };

  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
  const by = (attr, value) => `[${attr}="${CSS.escape(value)}"]`;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const toObject = (pairs) => pairs.reduce((o, [k, v]) => Object.assign(o, { [k]: v }), {}); // Object.fromEntries is ES2019
  const make = (tag, text, cls) => Object.assign(document.createElement(tag), { textContent: text || "", className: cls || "" });

  /* ---------- 字数 counters ---------- */

  // The server's rule (calls/schema/values.py, count_chars; the server decides): strip the characters
  // nobody sees (the same set as its _INVISIBLE: controls, zero-width space, word joiner, bidirectional
  // controls, soft hyphen, Hangul fillers, U+FEFF), then count grapheme clusters, what a reader takes for
  // one character (👨‍👩‍👧‍👦, 🇨🇳, 1️⃣, 字 + variation selector), that hold something other than whitespace
  // and default-ignorable characters (ZWJ, variation selectors, the Mongolian vowel separator).
  // calls/tests/test_char_count.py checks that both sets here are the server's.
  const STRIP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u200B\u200E\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0]/g;
  // Not whitespace nor Default_Ignorable_Code_Point (written out as the server does; \p{…} is ES2018).
  const SEEN = /[^\s\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]/u;
  const graphemes = typeof Intl === "object" && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "grapheme" }) : null;

  function countChars(text) {
    const clean = text.replace(STRIP, "");
    let n = 0;
    // Without Intl.Segmenter (Chrome before 87, Firefox before 125) code points are counted: an emoji sequence counts several.
    if (graphemes) for (const { segment } of graphemes.segment(clean)) n += SEEN.test(segment) ? 1 : 0;
    else for (const ch of clean) n += SEEN.test(ch) ? 1 : 0;
    return n;
  }

  // A counter is for one field (by name) or for a data-count-group whose total is limited.
  function updateCounter(counter) {
    const key = counter.dataset.counterFor;
    const group = $$(by("data-count-group", key));
    const fields = group.length ? group : [...document.getElementsByName(key)];
    const max = Number(counter.dataset.maxChars || (fields[0] && fields[0].dataset.maxChars)) || 0;
    const used = fields.reduce((n, el) => n + countChars(el.value || ""), 0);
    const over = max > 0 && used > max;
    counter.classList.toggle("over", over);
    counter.textContent = max ? `已输入 ${used} / ${max} 字` + (over ? `，超出 ${used - max} 字` : "") : `已输入 ${used} 字`;
  }

  function updateCountersFor(el) {
    for (const key of [el.name, el.dataset && el.dataset.countGroup]) {
      if (key) $$(".char-counter" + by("data-counter-for", key)).forEach(updateCounter);
    }
  }

  /* ---------- cells: read and write one saveable value ---------- */

  let form = null;
  const isList = (kind) => kind === "rows" || kind === "list";
  const isChoice = (el) => el.type === "radio" || el.type === "checkbox" || el.tagName === "SELECT";
  const isText = (el) => el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && !isChoice(el) && !/^(hidden|button|submit|reset|file)$/.test(el.type));
  const rowsOf = (box) => $$("[data-rows] > .list-row", box);

  function cellNameOf(el) {
    const box = el.closest("[data-cell]");
    if (box) return box.dataset.cell;
    const skip = el.name === "csrfmiddlewaretoken" || el.name === "version" || /^(button|submit|reset)$/.test(el.type);
    return el.name && !skip ? el.name : null;
  }

  // {name, kind, box} for container cells, {name, kind: "scalar", els}; null when not on this page.
  function findCell(name) {
    const box = form.querySelector(by("data-cell", name));
    if (box) return { name, kind: box.dataset.kind, box };
    const els = $$(by("name", name), form).filter((el) => !el.closest("[data-cell]"));
    return els.length ? { name, kind: "scalar", els } : null;
  }

  function readCell(c) {
    if (c.kind === "checkboxes") return $$("input[type=checkbox]", c.box).filter((i) => i.checked).map((i) => i.value);
    if (isList(c.kind)) {
      return rowsOf(c.box).map((tr) => {
        const row = {};
        $$("[data-col]", tr).forEach((el) => { row[el.dataset.col] = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value; });
        return c.kind === "list" ? row.text || "" : row;
      });
    }
    const first = c.els[0];
    if (first.type === "radio") return (c.els.find((r) => r.checked) || { value: "" }).value;
    if (first.type === "checkbox") return first.checked ? "1" : "";
    return first.value;
  }

  function writeCell(c, value) {
    if (c.kind === "checkboxes") {
      const on = new Set((value || []).map(String));
      $$("input[type=checkbox]", c.box).forEach((i) => { i.checked = on.has(i.value); });
    } else if (isList(c.kind)) {
      writeRows(c, Array.isArray(value) ? value : []);
    } else {
      c.els.forEach((el) => setControl(el, value));
    }
    (c.box ? $$("[name]", c.box) : c.els).forEach(updateCountersFor);
    document.dispatchEvent(new Event("shenbao:cells-written")); // figures.js recomputes what depends on it
  }

  function setControl(el, value) {
    if (el.type === "radio") el.checked = el.value === value;
    else if (el.type === "checkbox") el.checked = value === true || value === "1" || value === el.value;
    else el.value = value == null ? "" : String(value);
  }

  /* ---------- row lists ---------- */

  function addRow(box) {
    const tr = box.querySelector("template[data-row-template]").content.querySelector(".list-row").cloneNode(true);
    box.querySelector("[data-rows]").appendChild(tr);
    return tr;
  }

  // Rebuild the rows to match values (restore, canonical values, someone else's update).
  function writeRows(c, values) {
    const rows = rowsOf(c.box);
    while (rows.length > values.length) rows.pop().remove();
    while (rows.length < values.length) rows.push(addRow(c.box));
    rows.forEach((tr, i) => {
      const row = c.kind === "list" ? { text: values[i] } : values[i] || {};
      $$("[data-col]", tr).forEach((el) => setControl(el, row[el.dataset.col]));
      filterLevel2(tr);
    });
    renumber(c.box);
  }

  // Names stay <cell>__<index>__<col> so the no-JS post still parses after adds and removals.
  function renumber(box) {
    const cell = box.dataset.cell;
    rowsOf(box).forEach((tr, i) => $$("[data-col]", tr).forEach((el) => { el.name = `${cell}__${i}__${el.dataset.col}`; }));
  }

  // 二级指标 offers only the options of the row's 一级指标 (also disabled: Safari shows hidden options).
  function filterLevel2(tr) {
    const level1 = tr && tr.querySelector('[data-col="level1"]');
    const level2 = tr && tr.querySelector('select[data-col="level2"]');
    if (!level1 || !level2) return;
    for (const opt of level2.options) {
      opt.hidden = opt.disabled = opt.dataset.parent !== undefined && opt.dataset.parent !== level1.value;
    }
    if (level2.selectedOptions[0] && level2.selectedOptions[0].hidden) level2.value = "";
  }

  /* ---------- the pending queue, mirrored in localStorage ---------- */

  let storeKey = "";
  let version = 0;
  const queue = new Map(); // cell -> {value, base}: edits the server has not confirmed
  const held = new Map(); // cell -> server value: conflicts waiting for the user's choice
  let inflight = null; // the one request on the wire (a promise)
  let timer = null, deadline = 0, retryTimer = null;
  let lastSaved = "", storageWorks = true, leaving = false, restoredCells = null;

  function readStore() {
    let data = null;
    try { data = JSON.parse(localStorage.getItem(storeKey)); } catch (e) { /* unavailable or not JSON */ }
    return data && data.changes && typeof data.changes === "object" ? data : null;
  }

  // Read-merge-write, so another tab of the same application keeps its own pending cells.
  // "version" is the oldest base; cells with a newer base are listed in "bases".
  function persist(confirmed) {
    try {
      const data = readStore() || { changes: {} };
      const bases = {};
      for (const k of Object.keys(data.changes)) bases[k] = (data.bases && data.bases[k]) || data.version || 0;
      for (const [k, sent] of Object.entries(confirmed || {})) {
        if (same(data.changes[k], sent)) { delete data.changes[k]; delete bases[k]; }
      }
      for (const [k, q] of queue) { data.changes[k] = q.value; bases[k] = q.base; }
      const cells = Object.keys(data.changes);
      const oldest = Math.min(...cells.map((k) => bases[k]));
      const newer = cells.filter((k) => bases[k] !== oldest).map((k) => [k, bases[k]]);
      const out = { version: oldest, changes: data.changes, saved: Date.now() };
      if (newer.length) out.bases = toObject(newer);
      if (cells.length) localStorage.setItem(storeKey, JSON.stringify(out));
      else localStorage.removeItem(storeKey);
      storageWorks = true;
    } catch (e) {
      storageWorks = false; // quota or private mode: carry on in memory
    }
  }

  function record(name) {
    const c = findCell(name);
    if (!c) return;
    const q = queue.get(name);
    queue.set(name, { value: readCell(c), base: q ? q.base : version });
    persist();
  }

  /* ---------- status, errors, warnings, progress ---------- */

  function setStatus(state, text, link) {
    const el = document.getElementById("save-status");
    if (!el) return;
    el.dataset.state = state;
    el.textContent = Array.isArray(text) ? text[0] : text;
    if (!Array.isArray(text)) return;
    const a = make("a", text[1]);
    a.href = link;
    a.addEventListener("click", () => { leaving = storageWorks; }); // the edits wait in localStorage
    el.append(a, text[2]);
  }

  function showIdle() {
    if (restoredCells && restoredCells.every((k) => !queue.has(k))) { // every restored edit is settled
      const notice = document.getElementById("restore-notice");
      if (notice) notice.remove();
      restoredCells = null;
    }
    if (timer) setStatus("dirty", TEXT.dirty);
    else if (held.size) setStatus("conflict", TEXT.conflict);
    else setStatus("saved", lastSaved ? `已保存 ${lastSaved}` : "已保存");
  }

  // errors is the whole application's current set: show ours, clear every other placeholder.
  function showErrors(errors) {
    const holders = new Map(); // a .cell may hold several cells: it is in error if any of them is
    for (const p of $$(".field-error[data-error-for]")) {
      const msg = errors[p.dataset.errorFor] || "";
      p.textContent = msg;
      p.hidden = !msg;
      const c = findCell(p.dataset.errorFor);
      if (!c) continue;
      for (const el of c.box ? $$("input, select, textarea", c.box) : c.els) {
        msg ? el.setAttribute("aria-invalid", "true") : el.removeAttribute("aria-invalid");
      }
      for (const el of c.box ? [c.box] : c.els) {
        const holder = el.closest(".cell") || el;
        holders.set(holder, holders.get(holder) || Boolean(msg));
      }
    }
    holders.forEach((bad, holder) => holder.classList.toggle("has-error", bad));
  }

  function showWarnings(warnings) {
    const ul = document.getElementById("section-warnings");
    if (!ul || !Array.isArray(warnings)) return;
    const items = warnings.filter((w) => w.section === ul.dataset.section).map((w) => make("li", w.message));
    ul.textContent = "";
    ul.append(...items);
    ul.hidden = !items.length;
    for (const p of $$(".field-warning[data-warning-for]")) { // and each beside the cell it is about
      const text = warnings.filter((w) => w.cell === p.dataset.warningFor).map((w) => w.message).join("；");
      p.textContent = text;
      p.hidden = !text;
    }
  }

  function showProgress(data) {
    for (const [key, s] of Object.entries(data.sections || {})) {
      $$(by("data-section-status", key)).forEach((el) => { el.textContent = s.label; el.className = `status status-${s.status}`; });
    }
    const p = data.progress, text = document.getElementById("progress-text"), bar = document.getElementById("progress-bar");
    if (p && text) text.textContent = `已完成 ${p.done} / ${p.total} 节`;
    if (p && bar) { bar.max = p.total; bar.value = p.done; }
  }

  function setVersion(v) {
    version = Math.max(version, Number(v) || 0);
    form.dataset.version = String(version);
    const input = form.querySelector('input[name="version"]');
    if (input) input.value = String(version);
  }

  /* ---------- conflicts: the user chooses, nothing is overwritten silently ---------- */

  function displayValue(c, value) {
    if (c && c.kind === "checkboxes") { // region codes read better as their labels
      const label = (v) => {
        const input = c.box.querySelector(`input${by("value", v)}`);
        return input && input.closest("label") ? input.closest("label").textContent.trim() : v;
      };
      return (value || []).map(label).join("、");
    }
    if (Array.isArray(value)) return value.map((v) => (v && typeof v === "object" ? Object.values(v).join("　") : v)).join("\n");
    return value == null ? "" : String(value);
  }

  function showConflict(name, server) {
    $$(".conflict" + by("data-conflict-for", name)).forEach((el) => el.remove());
    const c = findCell(name);
    const box = make("div", "", "conflict");
    box.dataset.conflictFor = name;
    if (c) box.append(make("p", TEXT.conflictHere));
    else box.append(make("p", TEXT.conflictElsewhere), make("blockquote", displayValue(null, queue.get(name).value)));
    box.append(make("p", "已保存的内容：", "conflict-heading"), make("blockquote", displayValue(c, server)));
    const actions = make("p", "", "conflict-actions");
    for (const [label, choose] of [["使用我的内容", useMine], ["使用已保存的内容", useSaved]]) {
      const b = make("button", label, "button small");
      b.type = "button";
      b.addEventListener("click", () => { box.remove(); choose(name); });
      actions.append(b);
    }
    box.append(actions);
    const anchor = document.querySelector(".field-error" + by("data-error-for", name)) || (c && (c.box || c.els[c.els.length - 1]));
    if (anchor) anchor.after(box);
    else form.before(box); // a restored cell of another section
  }

  function useMine(name) {
    held.delete(name);
    const q = queue.get(name), c = findCell(name);
    if (!q) return showIdle();
    if (c) q.value = readCell(c);
    q.base = version; // re-sent on the version the conflict showed: replaces exactly the value seen
    persist();
    return flush();
  }

  function useSaved(name) {
    const server = held.get(name), q = queue.get(name), c = findCell(name);
    held.delete(name);
    queue.delete(name);
    if (q) persist({ [name]: q.value });
    if (c) writeCell(c, server);
    showIdle();
  }

  /* ---------- sending: one request at a time ---------- */

  // Cells edited from different versions go in separate requests, newest base first, so a cell whose
  // base is older than someone else's change is still checked by the server.
  function nextBatch() {
    const ready = [...queue].filter(([k]) => !held.has(k));
    if (!ready.length) return null;
    const base = Math.max(...ready.map(([, q]) => q.base));
    const changes = toObject(ready.filter(([, q]) => q.base === base).map(([k, q]) => [k, q.value]));
    return { base, changes };
  }

  function schedule(extend) {
    const at = Date.now() + DEBOUNCE_MS;
    if (timer && !extend && deadline <= at) return; // a click never delays a save already due sooner
    clearTimeout(timer);
    deadline = at;
    timer = setTimeout(flush, DEBOUNCE_MS);
    if (!inflight) setStatus("dirty", TEXT.dirty);
  }

  function flush() {
    clearTimeout(timer);
    clearTimeout(retryTimer);
    timer = null;
    if (inflight) return inflight; // what is queued goes out when this one returns
    const batch = nextBatch();
    if (!batch) return Promise.resolve(showIdle());
    setStatus("saving", TEXT.saving);
    inflight = send(batch).then((goOn) => {
      inflight = null;
      if (goOn && !timer && nextBatch()) return flush();
      if (goOn) showIdle();
      return undefined;
    });
    return inflight;
  }

  // Resolves true when the queue may go on being sent (after a 200 or a 409).
  async function send(batch) {
    const body = { version: batch.base, changes: batch.changes };
    const token = form.querySelector('input[name="csrfmiddlewaretoken"]');
    const headers = { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token ? token.value : "", "X-Requested-With": "fetch" };
    let res = null, data = null;
    try {
      // redirect: "manual": a redirect can only lead to a login page, which must not count as saved.
      res = await fetch(form.dataset.autosaveUrl, { method: "POST", credentials: "same-origin", redirect: "manual", headers, body: JSON.stringify(body) });
      data = await res.json().catch(() => null);
    } catch (e) { /* network down: handled below */ }
    const status = res ? res.status : 0;
    if (status === 200 && data && data.version != null) return saved(batch, data);
    if (status === 409 && data && data.conflicts) return conflicted(batch, data);
    if (status === 401 || (res && res.type === "opaqueredirect")) {
      setStatus("error", TEXT.login, res.headers.get("HX-Redirect") || `/accounts/login/?next=${encodeURIComponent(location.pathname)}`);
    } else if (status >= 400 && status < 500 && status !== 429) {
      setStatus("error", (data && data.message) || TEXT.failed(status)); // 400, 403: no automatic retry
    } else {
      setStatus("offline", TEXT.offline); // network, 5xx, or a reply that is not ours
      retryTimer = setTimeout(flush, RETRY_MS);
    }
    return false;
  }

  function saved(batch, data) {
    const confirmed = {}, canonical = data.values || {};
    for (const [k, sent] of Object.entries(batch.changes)) {
      const q = queue.get(k), c = findCell(k);
      if (q && same(q.value, sent)) { queue.delete(k); confirmed[k] = sent; }
      // Canonical form (12.5 -> 12.50), unless the user typed into it again since sending.
      if (c && k in canonical && !same(sent, canonical[k]) && same(readCell(c), sent)) writeCell(c, canonical[k]);
    }
    applyUpdates(batch.base, data.version, data.updates || {});
    setVersion(data.version);
    if (data.errors) showErrors(data.errors);
    showWarnings(data.warnings);
    showProgress(data);
    lastSaved = data.saved_at || lastSaved;
    persist(confirmed);
    return true;
  }

  // Someone else's changes since base. A cell with local edits keeps them, and its old base, so its
  // next save is checked by the server; every other queued cell of that base moves to the new version.
  function applyUpdates(base, newVersion, updates) {
    for (const [k, v] of Object.entries(updates)) {
      const c = !queue.has(k) && findCell(k);
      if (c) writeCell(c, v);
    }
    for (const [k, q] of queue) {
      if (q.base >= base && !(k in updates) && !held.has(k)) q.base = Math.max(q.base, Number(newVersion) || 0);
    }
  }

  function conflicted(batch, data) {
    const confirmed = {};
    const ours = Object.keys(data.conflicts).filter((k) => k in batch.changes && queue.has(k));
    for (const k of ours) {
      const q = queue.get(k), server = data.conflicts[k];
      if (same(q.value, server)) { queue.delete(k); confirmed[k] = server; continue; } // same text saved elsewhere
      held.set(k, server);
      showConflict(k, server);
    }
    // The other cells of this request were not saved either: re-send them with the new version.
    for (const k of Object.keys(batch.changes)) {
      const q = queue.get(k);
      if (q && !(k in data.conflicts)) q.base = Math.max(q.base, Number(data.version) || 0);
    }
    if (data.updates) applyUpdates(batch.base, data.version, data.updates);
    setVersion(data.version);
    persist(confirmed);
    if (ours.length) return true;
    setStatus("error", data.message || TEXT.failed(409)); // a 409 naming none of our cells: never loop
    return false;
  }

  /* ---------- restore after a closed tab, a crash or a lost session ---------- */

  function restore() {
    const data = readStore();
    if (!data) return;
    const known = {};
    restoredCells = [];
    for (const [k, v] of Object.entries(data.changes)) {
      const c = findCell(k);
      if (c && same(readCell(c), v)) { known[k] = v; continue; } // the page shows it: the server has it
      queue.set(k, { value: v, base: Number((data.bases && data.bases[k]) || data.version) || 0 });
      restoredCells.push(k);
      if (c) writeCell(c, v);
    }
    persist(known);
    if (!restoredCells.length) return;
    const notice = make("div", TEXT.restored(restoredCells.length), "alert alert-warning");
    notice.id = "restore-notice";
    form.before(notice);
    flush();
  }

  /* ---------- wiring ---------- */

  function onEdit(e) {
    const el = e.target;
    updateCountersFor(el);
    if (el.matches('[data-col="level1"]')) filterLevel2(el.closest(".list-row"));
    const name = cellNameOf(el);
    if (!name || (e.type === "change" && !isChoice(el))) return; // text: its input events recorded it
    record(name);
    schedule(!isChoice(el));
  }

  function onClick(e) {
    const button = e.target.closest("[data-add-row], [data-remove-row]");
    const box = button && button.closest("[data-cell]");
    if (!box) return;
    let focus;
    if (button.hasAttribute("data-add-row")) {
      const tr = addRow(box);
      filterLevel2(tr);
      focus = tr.querySelector("input, select, textarea");
    } else {
      const tr = button.closest(".list-row");
      const next = tr.nextElementSibling || tr.previousElementSibling;
      tr.remove();
      focus = (next && next.querySelector("[data-remove-row]")) || box.querySelector("[data-add-row]");
    }
    renumber(box);
    record(box.dataset.cell);
    if (button.hasAttribute("data-add-row")) schedule(true);
    else flush(); // a removal is deliberate: save it now
    if (focus) focus.focus();
  }

  function init() {
    $$(".char-counter[data-counter-for]").forEach(updateCounter);
    document.addEventListener("input", (e) => { if (!form || !form.contains(e.target)) updateCountersFor(e.target); });
    const ul = document.getElementById("section-warnings");
    if (ul && !ul.children.length) ul.hidden = true;
    form = document.getElementById("section-form");
    if (!form || !form.dataset.autosaveUrl) return;

    storeKey = `shenbao:pending:${form.dataset.application}`;
    version = Number(form.dataset.version) || 0;
    $$("[data-fallback-save]", form).forEach((b) => b.classList.add("js-hidden"));
    $$(".list-row", form).forEach(filterLevel2);
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    form.addEventListener("click", onClick);
    form.addEventListener("focusout", (e) => { if (isText(e.target) && (timer || nextBatch())) flush(); });
    form.addEventListener("submit", (e) => { e.preventDefault(); flush(); }); // Enter in a field saves, never posts
    // 暂存 beside the chip saves now, through the same endpoint; without JS it posts the form (保存本节).
    $$("[data-save-now]").forEach((b) => b.addEventListener("click", (e) => { e.preventDefault(); flush(); }));
    window.addEventListener("online", () => { if (nextBatch()) flush(); });
    document.addEventListener("visibilitychange", () => { if (document.hidden && nextBatch()) flush(); });
    window.addEventListener("beforeunload", (e) => {
      if (!queue.size || leaving) return;
      e.preventDefault();
      e.returnValue = TEXT.dirty; // older browsers warn only when this is a non-empty string
    });
    window.shenbaoAutosave = { flush: () => flush(), pendingCount: () => queue.size };
    restore();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
