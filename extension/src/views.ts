// The four tree views. Each asks the server for the CLI's JSON and refreshes on
// `policyops/summary`; none reads the repository itself.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { REQUESTS, type ComplianceFramework, type ContractRow, type KindInfo, type LicenceRow, type RegisterRow, type ReviewRow, type ValidateReport } from "./protocol.js";
import { daysLeft, QUIET_STATUSES, renewalDescription, renewalGroups } from "./renewals.js";

type Node = { item: vscode.TreeItem; children?: () => Promise<Node[]> | Node[] };

/** A file of the workspace, from the repo-relative path the reports give. */
export function fileUri(file: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, ...file.split("/")) : undefined;
}

function leaf(label: string, description: string | undefined, file: string | undefined, tooltip?: string, icon?: string): Node {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.description = description;
  item.tooltip = tooltip ?? (description ? `${label} — ${description}` : label);
  const uri = file ? fileUri(file) : undefined;
  if (uri) {
    item.resourceUri = uri;
    item.command = { command: "vscode.open", title: "Open", arguments: [uri] };
  }
  if (icon) item.iconPath = new vscode.ThemeIcon(icon);
  return { item };
}

function group(label: string, description: string, children: () => Promise<Node[]> | Node[], expanded = true, icon?: string): Node {
  const item = new vscode.TreeItem(label, expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.description = description;
  if (icon) item.iconPath = new vscode.ThemeIcon(icon);
  return { item, children };
}


abstract class View implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  constructor(protected readonly client: () => LanguageClient | undefined) {}
  refresh(): void {
    this.changed.fire(undefined);
  }
  getTreeItem(node: Node): vscode.TreeItem {
    return node.item;
  }
  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return node.children ? node.children() : [];
    const client = this.client();
    if (!client || !client.isRunning()) return [];
    try {
      return await this.roots(client);
    } catch (e) {
      return [leaf(`Could not read the report: ${e instanceof Error ? e.message : String(e)}`, undefined, undefined, undefined, "error")];
    }
  }
  protected abstract roots(client: LanguageClient): Promise<Node[]>;
}

/** Licences and contracts side by side, by status (the reports' own values) and days left. */
export class RenewalsView extends View {
  protected async roots(client: LanguageClient): Promise<Node[]> {
    const [licences, contracts] = await Promise.all([
      client.sendRequest<LicenceRow[]>(REQUESTS.report, { report: "licences" }),
      client.sendRequest<ContractRow[]>(REQUESTS.report, { report: "contracts" }),
    ]);
    if (licences.length === 0 && contracts.length === 0) return [leaf("No licence or contract records", undefined, undefined)];
    return renewalGroups(licences, contracts).map(({ status, items }) =>
      group(status, String(items.length), () =>
        items.map((r) => leaf(r.label, renewalDescription(r), r.file, `${r.label} (${r.record} ${r.id}): ${r.status}, ${daysLeft(r.days_left)}${r.end ? `, ends ${r.end}` : ""}${r.deadline ? `, notice deadline ${r.deadline}` : ""}`, status === "expired" ? "error" : QUIET_STATUSES.has(status) ? "pass" : "warning")),
        !QUIET_STATUSES.has(status),
      ),
    );
  }
}

export class ReviewsView extends View {
  protected async roots(client: LanguageClient): Promise<Node[]> {
    const rows = await client.sendRequest<ReviewRow[]>(REQUESTS.report, { report: "reviews" });
    const overdue = rows.filter((r) => r.state === "overdue" || r.state === "never").sort((a, b) => (a.days_until ?? -Infinity) - (b.days_until ?? -Infinity));
    const soon = rows.filter((r) => r.state === "due-soon").sort((a, b) => (a.days_until ?? 0) - (b.days_until ?? 0));
    const item = (r: ReviewRow, text: string, icon: string) => leaf(r.title ?? r.id, `${r.id} · ${text}`, r.file, `${r.id} ${r.title ?? ""}: ${text} (owner ${r.owner ?? "none"})`, icon);
    return [
      group("Overdue", String(overdue.length), () => overdue.map((r) => item(r, r.state === "never" ? "never reviewed" : `${-(r.days_until ?? 0)} days overdue`, "error"))),
      group("Due soon", String(soon.length), () => soon.map((r) => item(r, `due in ${r.days_until} days`, "warning"))),
    ];
  }
}

export class ComplianceView extends View {
  protected async roots(client: LanguageClient): Promise<Node[]> {
    const [frameworks, validate] = await Promise.all([
      client.sendRequest<ComplianceFramework[]>(REQUESTS.report, { report: "compliance" }),
      client.sendRequest<ValidateReport>(REQUESTS.report, { report: "validate" }),
    ]);
    const files = new Map(validate.documents.map((d) => [d.id, d]));
    if (frameworks.length === 0) return [leaf("No framework configured", undefined, undefined)];
    return frameworks.map((f) =>
      group(f.framework, `${Math.round(f.coverage * 1000) / 10}% covered`, () =>
        f.controls.map((c) =>
          group(c.id, `${c.status}${c.title ? ` · ${c.title}` : ""}`, () => c.documents.map((id) => leaf(id, files.get(id)?.title ?? undefined, files.get(id)?.file)), false, c.status === "covered" || c.status === "not-applicable" ? "pass" : c.status === "missing" ? "circle-large-outline" : "warning"),
        ),
      false,
      ),
    );
  }
}

export class RegistersView extends View {
  protected async roots(client: LanguageClient): Promise<Node[]> {
    const kinds = await client.sendRequest<KindInfo[]>(REQUESTS.kinds);
    return kinds.map((k) =>
      group(k.kind, `${k.count} in ${k.folder}/${k.builtIn ? "" : " · repository kind"}`, async () => {
        const rows = await client.sendRequest<RegisterRow[]>(REQUESTS.list, { kind: k.kind });
        return rows.map((r) => leaf(r.id, [r.title, r.status].filter(Boolean).join(" · "), r.file, undefined, r.valid ? undefined : "error"));
      }, false),
    );
  }
}
