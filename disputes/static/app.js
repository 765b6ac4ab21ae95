// Repeatable form rows: "add" clones the last row of a table and renumbers its fields.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const name = button.dataset.addRow;
  const body = document.querySelector(`table[data-rows="${name}"] tbody`);
  const last = body.lastElementChild;
  const pattern = new RegExp(`^${name}-(\\d+)-`);
  const index = Math.max(...[...body.querySelectorAll("[name]")].map((el) => {
    const m = el.name.match(pattern); return m ? Number(m[1]) : 0;
  })) + 1;
  const row = last.cloneNode(true);
  row.querySelectorAll("[name]").forEach((el) => {
    el.name = el.name.replace(pattern, `${name}-${index}-`);
    el.id = el.name;
    if (el.type === "checkbox") el.checked = false;
    else if (el.tagName === "SELECT") el.selectedIndex = 0;
    else el.value = "";
  });
  row.querySelectorAll(".error").forEach((el) => el.remove());
  row.querySelectorAll(".has-error").forEach((el) => el.classList.remove("has-error"));
  body.appendChild(row);
  row.querySelector("input, select")?.focus();
});

// The case list's "select all" box ticks every case box of the page (the bulk reassign or move).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  document.querySelectorAll(`input[name="${all.dataset.selectAll}"]`).forEach((box) => { box.checked = all.checked; });
});
