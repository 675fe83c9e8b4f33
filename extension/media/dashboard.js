// The dashboard's only script (loaded with the page's nonce): document links post
// "open this file" to the extension; nothing is fetched, nothing is evaluated.
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener("click", (event) => {
    const a = event.target instanceof Element ? event.target.closest("a.doc") : null;
    if (!a) return;
    event.preventDefault();
    vscode.postMessage({ type: "open", file: a.getAttribute("data-file") });
  });
  vscode.postMessage({ type: "ready" });
})();
