// The mediation agreement's payment schedule (issue 16): a running total of the instalments against the amount
// the terms agree, kept up to date as rows are typed, added and removed. The server checks the same sum.
(function () {
  const form = document.querySelector("form[data-schedule]");
  if (!form) return;
  const money = new Intl.NumberFormat(document.documentElement.lang || undefined,
    { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const show = (cents) => "¥" + money.format(cents / 100);

  // An amount typed in yuan, in whole fen (no floating-point drift); NaN when it is no amount.
  function cents(text) {
    const value = text.trim().replace(/[,，\s]/g, "");
    if (value === "") return 0;
    if (!/^\d+(\.\d{0,2})?$/.test(value)) return NaN;
    const [yuan, fen = ""] = value.split(".");
    return Number(yuan) * 100 + Number((fen + "00").slice(0, 2));
  }

  function sum(kind) {
    return [...form.querySelectorAll(`[data-sum="${kind}"]`)].reduce((total, el) => total + cents(el.value), 0);
  }

  function update() {
    const agreed = sum("terms");
    const scheduled = sum("instalments");
    const out = (name) => form.querySelector(`[data-total="${name}"]`);
    const known = Number.isFinite(agreed) && Number.isFinite(scheduled);
    out("terms").textContent = Number.isFinite(agreed) ? show(agreed) : "—";
    out("instalments").textContent = Number.isFinite(scheduled) ? show(scheduled) : "—";
    out("difference").querySelector("strong").textContent = known ? show(agreed - scheduled) : "—";
    out("difference").hidden = known && (scheduled === 0 || scheduled === agreed);
    out("ok").hidden = !known || scheduled === 0 || scheduled !== agreed;
  }

  form.addEventListener("input", update);
  form.addEventListener("rows-changed", update);
  update();
})();
