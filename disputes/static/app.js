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
  body.dispatchEvent(new Event("rows-changed", { bubbles: true }));
});

// "Remove" takes its row out of the table; the last row is emptied instead, so a new one can still be added.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-row]");
  if (!button) return;
  const row = button.closest("tr");
  const body = row.parentElement;
  if (body.rows.length > 1) {
    row.remove();
  } else {
    row.querySelectorAll("[name]").forEach((el) => {
      if (el.type === "checkbox") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else el.value = "";
    });
  }
  body.dispatchEvent(new Event("rows-changed", { bubbles: true }));
});

// Tables of records become cards on a phone (app.css): each cell is labelled with its column's header.
function labelCells(root) {
  root.querySelectorAll("table.grid, table.rows").forEach((table) => {
    const headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!headRow) return;
    const names = [];
    for (const th of headRow.cells) {
      for (let i = 0; i < th.colSpan; i += 1) names.push(th.textContent.trim());
    }
    for (const body of [...table.tBodies, table.tFoot].filter(Boolean)) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label")) cell.dataset.label = names[column] || "";
          column += cell.colSpan;
        }
      }
    }
  });
}
document.addEventListener("DOMContentLoaded", () => labelCells(document));

// The case list's "select all" box ticks every case box of the page (the bulk reassign or move).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  document.querySelectorAll(`input[name="${all.dataset.selectAll}"]`).forEach((box) => { box.checked = all.checked; });
});
