// 专家评分表: the total of the scores typed so far, before saving. The saved total shown beside it is
// the one the server computed; this only helps the expert see where the sheet stands while typing.
(function () {
  "use strict";
  var form = document.querySelector("[data-score-sheet]");
  if (!form) return;
  var row = form.querySelector("[data-live-total-row]");
  var output = form.querySelector("[data-live-total]");
  var note = form.querySelector("[data-live-note]");
  var inputs = form.querySelectorAll("[data-score]");
  var SCORE = /^\d+(\.\d)?$/;

  function halfWidth(text) {
    // Chinese input methods often give full-width digits and points (１２．５).
    return text.replace(/[\uff10-\uff19\uff0e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    });
  }

  function update() {
    var tenths = 0;
    var wrong = 0;
    inputs.forEach(function (input) {
      var text = halfWidth(input.value.trim());
      if (!text) return;
      if (SCORE.test(text) && Number(text) <= Number(input.dataset.max)) {
        tenths += Math.round(Number(text) * 10);
      } else {
        wrong += 1;
      }
    });
    output.textContent = (tenths / 10).toFixed(1);
    note.textContent = wrong
      ? "（有 " + wrong + " 项得分不符合要求，未计入）"
      : "（保存后以系统计算为准）";
  }

  row.hidden = false;
  form.addEventListener("input", update);
  update();
})();
