/* shenbao computed figures: beside a figure the guide asks to agree with others (每万人有效发明专利拥有量 =
 * 有效发明专利 ÷ 从业人员 × 10000; 研发投入强度 = 研发投入总额 ÷ 集群总产值 × 100), the value the typed cells
 * give, while typing. The formula comes from the schema (calls/schema/checks.py, Quotient) through the
 * data- attributes of each .computed-figure; the sums are the server's: exact (BigInt, no floating point),
 * rounded half up to 2 places, the same tolerance. The warning's words come from the server with the next
 * autosave (autosave.js puts them in .field-warning); an operand on another page is its saved value.
 * No dependencies. */
(function () {
  "use strict";

  const ONE = 1000000n; // the server reads figures to 6 places (calls/schema/rules.py, number)
  const LIMIT = 1000000000000n * ONE; // values.py MAX_ABS_NUMBER: larger is not a figure

  // values.py's _number_text and _NUMBER: full-width digits (NFKC), thousands commas, spaces, "−".
  function parse(text) {
    const t = String(text == null ? "" : text).normalize("NFKC").replace(/[, ]/g, "").replace(/\u2212/g, "-");
    const m = /^([+-]?)(\d+)(?:\.(\d{1,6}))?$/.exec(t);
    if (!m) return null;
    const v = BigInt(m[2] + (m[3] || "").padEnd(6, "0"));
    if (v >= LIMIT) return null;
    return m[1] === "-" ? -v : v;
  }

  const abs = (v) => (v < 0n ? -v : v);

  // numerator ÷ denominator × scale as p / q (q > 0), or null, as Quotient.exact.
  function exact(num, den, scale) {
    if (num === null || den === null || den === 0n) return null;
    let p = num * scale, q = den * ONE;
    if (q < 0n) { p = -p; q = -q; }
    return { p, q };
  }

  // Quotient.computed: half up to 2 places (四舍五入), as "12.35".
  function rounded({ p, q }) {
    const hundredths = (abs(p) * 200n + q) / (2n * q);
    const digits = hundredths.toString().padStart(3, "0");
    return (p < 0n && hundredths > 0n ? "-" : "") + digits.slice(0, -2) + "." + digits.slice(-2);
  }

  // Quotient.differs: further from the exact value than the tolerance (relative: a share of the value, at least of 0.01).
  function differs(stated, { p, q }, tolerance, relative) {
    const gap = abs(stated * q - p * ONE); // |stated − p/q| × ONE × q
    if (!relative) return gap > tolerance * q;
    return 100n * p >= q ? gap > tolerance * p : 100n * gap > tolerance * q;
  }

  // An operand typed on this page is read as typed; one on another page is its saved value.
  function operand(name, saved) {
    const inputs = document.getElementsByName(name);
    return parse(inputs.length ? inputs[0].value : saved);
  }

  function update(el) {
    const d = el.dataset;
    const value = exact(
      operand(d.numerator, d.numeratorValue),
      operand(d.denominator, d.denominatorValue),
      parse(d.scale),
    );
    const stated = operand(d.computedFor, "");
    const off = value !== null && stated !== null && differs(stated, value, parse(d.tolerance), Boolean(d.relative));
    el.textContent = value === null ? "" : d.hint.replace("{computed}", rounded(value));
    el.hidden = value === null;
    el.dataset.state = off ? "differs" : "agrees";
    const warning = document.getElementById(`warn-${d.computedFor}`);
    if (warning && !off) { warning.hidden = true; warning.textContent = ""; } // the next save confirms
  }

  function updateAll() {
    document.querySelectorAll(".computed-figure[data-computed-for]").forEach(update);
  }

  function init() {
    if (typeof BigInt !== "function") return; // very old browsers keep the server's figure
    document.addEventListener("input", updateAll);
    document.addEventListener("shenbao:cells-written", updateAll); // autosave restored or merged values
    updateAll();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
