// Enhancements only: every page works without this script.
"use strict";
document.addEventListener("submit", function (event) {
  // A form acts once on the server anyway (its once-key); this only spares the wait.
  var form = event.target;
  if (form.dataset.submitted) { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  var by = event.submitter;
  if (by && by.name) {  // a disabled button is left out of the form: keep which one it was
    var keep = document.createElement("input");
    keep.type = "hidden"; keep.name = by.name; keep.value = by.value;
    form.appendChild(keep);
  }
  form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
    b.disabled = true;
  });
});

function liveTotal(sheet) {
  // The score sheet: item points x percentage, summed as the reviewer types (DESIGN 3.2).
  var out = sheet.querySelector("[data-total]");
  var inputs = sheet.querySelectorAll("input[data-points]");
  function update() {
    var total = 0, filled = 0;
    inputs.forEach(function (input) {
      var pct = parseInt(input.value, 10);
      var cell = input.closest("tr").querySelector("[data-item-score]");
      if (!isNaN(pct)) {
        var item = Number(input.dataset.points) * pct / 100;
        total += item; filled += 1;
        if (cell) { cell.textContent = item.toFixed(1); }
      } else if (cell) { cell.textContent = "—"; }
    });
    out.textContent = total.toFixed(1) + "（已填 " + filled + " / " + inputs.length + " 项）";
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
}
document.querySelectorAll("[data-score-sheet]").forEach(liveTotal);
