// The signing page: draw (signature_pad, with undo and clear) or type (rendered in a
// handwriting font). Either way the signature reaches the server as a PNG data URL.
(function () {
  "use strict";
  const form = document.getElementById("sign-form");
  if (!form) return;
  const canvas = document.getElementById("signature-canvas");
  const preview = document.getElementById("typed-preview");
  const typedInput = document.getElementById("id_typed_name");
  const output = form.querySelector("input[name=signature_png]");
  const drawPanel = document.getElementById("draw-panel");
  const typePanel = document.getElementById("type-panel");
  const pad = new SignaturePad(canvas, { penColor: "#10243e", backgroundColor: "rgba(0,0,0,0)" });

  function fitCanvas(target) {
    // Match the canvas's pixel size to its displayed size so strokes land under the pointer.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const data = target === canvas ? pad.toData() : null;
    target.width = target.offsetWidth * ratio;
    target.height = target.offsetHeight * ratio;
    target.getContext("2d").scale(ratio, ratio);
    if (data) { pad.clear(); pad.fromData(data); }
  }

  function method() { return form.querySelector("input[name=method]:checked").value; }

  function drawTyped() {
    fitCanvas(preview);
    const ctx = preview.getContext("2d");
    const name = typedInput.value.trim();
    ctx.clearRect(0, 0, preview.width, preview.height);
    if (!name) return;
    ctx.fillStyle = "#10243e";
    ctx.textBaseline = "middle";
    let size = 56;
    const width = preview.offsetWidth - 24;
    // Caveat covers Latin scripts; the CJK fallback covers Chinese names.
    do {
      ctx.font = `${size}px Caveat, "Noto Sans CJK SC", "Noto Serif CJK SC", cursive`;
      size -= 4;
    } while (ctx.measureText(name).width > width && size > 16);
    ctx.fillText(name, 12, preview.offsetHeight / 2);
  }

  // The name alone, without the preview's empty width: the contract scales a signature to its
  // line's height, so surrounding blank space would print the name tiny.
  function croppedToText(source) {
    const ctx = source.getContext("2d");
    const ratio = source.width / source.offsetWidth;
    const width = Math.min(source.width, Math.ceil((ctx.measureText(typedInput.value.trim()).width + 24) * ratio));
    const out = document.createElement("canvas");
    out.width = width;
    out.height = source.height;
    out.getContext("2d").drawImage(source, 0, 0, width, source.height, 0, 0, width, source.height);
    return out.toDataURL("image/png");
  }

  function showPanels() {
    const typed = method() === "typed";
    drawPanel.hidden = typed;
    typePanel.hidden = !typed;
    if (typed) { document.fonts.load("56px Caveat").then(drawTyped); } else { fitCanvas(canvas); }
  }

  document.getElementById("clear-pad").addEventListener("click", () => pad.clear());
  document.getElementById("undo-stroke").addEventListener("click", () => {
    const data = pad.toData();
    data.pop();
    pad.fromData(data);
  });
  typedInput.addEventListener("input", drawTyped);
  form.querySelectorAll("input[name=method]").forEach((radio) => radio.addEventListener("change", showPanels));
  window.addEventListener("resize", () => (method() === "typed" ? drawTyped() : fitCanvas(canvas)));
  form.addEventListener("submit", () => {
    if (method() === "typed") {
      drawTyped();
      output.value = typedInput.value.trim() ? croppedToText(preview) : "";
    } else {
      output.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
    }
  });
  showPanels();
})();
