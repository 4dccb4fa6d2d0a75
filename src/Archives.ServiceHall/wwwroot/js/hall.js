// Progressive enhancement only: every page works without this file.
"use strict";

// GB 11643-1999: the 18th character is the ISO 7064 MOD 11-2 check of the first 17 digits.
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checks = "10X98765432";

function idNumberProblem(value, english) {
  const v = value.trim().toUpperCase();
  if (v.length > 18) return english ? "An ID number has 18 characters." : "身份号码为 18 位。";
  // While typing (or a 15-digit legacy number, which the server checks): only a character that can never be right.
  for (let i = 0; i < Math.min(v.length, 17); i++) {
    if (v[i] < "0" || v[i] > "9") return english ? `Character ${i + 1} must be a digit.` : `第 ${i + 1} 位应为数字。`;
  }
  if (v.length < 18) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (v.charCodeAt(i) - 48) * weights[i];
  const expected = checks[sum % 11];
  if (v[17] !== expected) {
    return english
      ? `Character 18 (the check character) should be ${expected}, not ${v[17]}: one of the first 17 digits, or the last character, was mistyped.`
      : `第 18 位校验码应为 ${expected}（现为 ${v[17]}），请核对前 17 位或末位是否输错。`;
  }
  return null;
}

document.addEventListener("DOMContentLoaded", () => {
  const english = document.documentElement.lang.startsWith("en");

  for (const input of document.querySelectorAll("input[data-id-number]")) {
    const message = document.getElementById(input.dataset.idNumber);
    const show = () => {
      const problem = idNumberProblem(input.value, english);
      message.textContent = problem ?? "";
      message.hidden = problem === null;
      if (problem) input.setAttribute("aria-invalid", "true");
      else if (!input.dataset.serverInvalid) input.removeAttribute("aria-invalid");
    };
    if (input.getAttribute("aria-invalid") === "true") input.dataset.serverInvalid = "1";
    input.addEventListener("input", () => { delete input.dataset.serverInvalid; show(); });
  }

  // After a failed submit the error summary takes the focus, so a screen reader and the keyboard start there.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // A form is sent once: a second click while the first is on its way does nothing (the server is safe anyway).
  for (const form of document.querySelectorAll("form[data-once]")) {
    form.addEventListener("submit", event => {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    });
  }

  // Relation-dependent fields of the issue form: only those the chosen relation needs are shown.
  const relations = document.querySelectorAll("input[name='Form.Relation']");
  const showRelation = () => {
    const chosen = document.querySelector("input[name='Form.Relation']:checked")?.value;
    for (const group of document.querySelectorAll("[data-relation]")) {
      group.hidden = chosen !== undefined && !group.dataset.relation.split(" ").includes(chosen);
    }
  };
  for (const r of relations) r.addEventListener("change", showRelation);
  if (relations.length) showRelation();
});
