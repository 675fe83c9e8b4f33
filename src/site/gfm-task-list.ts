import type MarkdownIt from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";

/**
 * GFM task list items (`- [ ] open`, `- [x] done`) for markdown-it, which has none: the
 * marker is `[ ]`, `[x]` or `[X]` at the start of a list item's first paragraph, followed by
 * a space, tab or line ending and more text (GFM's "Task list items (extension)";
 * micromark-extension-gfm is the oracle in tests/site.test.ts). It is taken off the
 * paragraph's text BEFORE inline parsing, as GFM does, so `[x]` never becomes a link to a
 * reference definition named `x`; the checkbox is added after.
 *
 * Shown as a ballot box character in a span, not as GFM's disabled `<input>`: the site
 * allows no form elements in a document's HTML, and a character prints as evidence the same.
 */
const MARKER = /^\[([ xX])\](?=[ \t\n])/;

export function gfmTaskLists(md: MarkdownIt): void {
  md.core.ruler.before("inline", "gfm_task_marker", (state: StateCore) => {
    const tokens = state.tokens;
    for (let i = 2; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.type !== "inline" || tokens[i - 1]!.type !== "paragraph_open" || tokens[i - 2]!.type !== "list_item_open") continue;
      const m = MARKER.exec(t.content);
      if (!m) continue;
      t.content = t.content.slice(3);
      t.meta = { ...(t.meta ?? {}), taskChecked: m[1] !== " " };
      tokens[i - 2]!.attrJoin("class", "task-list-item");
    }
  });
  md.core.ruler.after("inline", "gfm_task_checkbox", (state: StateCore) => {
    for (const t of state.tokens) {
      const checked = (t.meta as { taskChecked?: boolean } | null)?.taskChecked;
      if (t.type !== "inline" || checked === undefined) continue;
      const box = new state.Token("task_checkbox", "span", 0);
      box.meta = { checked };
      (t.children ??= []).unshift(box);
    }
  });
  md.renderer.rules.task_checkbox = (tokens, idx) => ((tokens[idx]!.meta as { checked: boolean }).checked ? '<span class="task-done">☑</span>' : '<span class="task-open">☐</span>');
}
