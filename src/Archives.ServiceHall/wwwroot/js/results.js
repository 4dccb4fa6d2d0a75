// Progressive enhancement of the streamed results page: the page works without this file.
// Loaded before the body arrives, it counts the archives as their sections are streamed in and says so in the
// waiting line (which CSS keeps below the last archive and hides once the search is done).
"use strict";

(() => {
  const update = () => {
    const waiting = document.getElementById("waiting");
    if (!waiting) return;
    const english = waiting.dataset.waitingEn === "True";
    const settled = document.querySelectorAll("section[data-node-id]").length;
    const missing = document.querySelectorAll("section[data-node-id]:is([data-status=timeout],[data-status=error],[data-status=unhealthy],[data-status=circuit-open])").length;
    if (settled === 0) return;
    const text = english
      ? `${settled} archives settled${missing ? ` (${missing} not answering)` : ""}; waiting for the others…`
      : `已有 ${settled} 个档案馆给出结果${missing ? `（其中 ${missing} 个未响应）` : ""}，正在等待其余档案馆……`;
    // Only on a change: writing the text is itself a mutation this observer sees.
    if (waiting.textContent !== text) waiting.textContent = text;
  };
  const observer = new MutationObserver(update);
  observer.observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => { update(); observer.disconnect(); });
})();
