// The PolicyOps extension: a thin vscode-languageclient client of the bundled
// `policyops lsp --stdio` (dist/server/cli.js, started with the extension host's own node),
// plus views, a status bar, a dashboard webview and commands built on the server's
// custom requests. No workspace code runs: the server is the extension's own bundle.
import * as vscode from "vscode";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { LanguageClient, TransportKind, ExecuteCommandRequest, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { dashboardHtml, type DashboardData } from "./html.js";
import { MARK_REVIEWED_COMMAND, REQUESTS, SUMMARY_NOTIFICATION, type ComplianceFramework, type ContractRow, type KindInfo, type LicenceRow, type ReviewRow, type Summary, type ValidateReport } from "./protocol.js";
import { ComplianceView, RegistersView, RenewalsView, ReviewsView, fileUri } from "./views.js";

let client: LanguageClient | undefined;
let lastSummary: Summary | null = null;

function settings() {
  const c = vscode.workspace.getConfiguration("policyops");
  const today = c.get<string>("today")?.trim();
  return { today: today ? today : undefined, severities: c.get<Record<string, string>>("severities") ?? {} };
}

function startClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  // The server bundle (dist/server/lsp.js), or the CLI's `lsp` command where the build has no
  // separate bundle: a node module forked with the extension host's runtime (process.execPath;
  // the client sets ELECTRON_RUN_AS_NODE in desktop VS Code). TransportKind.stdio adds `--stdio`.
  const lsp = vscode.Uri.joinPath(context.extensionUri, "dist", "server", "lsp.js").fsPath;
  const [module, args] = existsSync(lsp) ? [lsp, []] : [vscode.Uri.joinPath(context.extensionUri, "dist", "server", "cli.js").fsPath, ["lsp"]];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, args },
    debug: { module, transport: TransportKind.stdio, args, options: { execArgv: ["--enable-source-maps"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "yaml" },
      { scheme: "file", pattern: "**/kinds/*.schema.json" },
    ],
    // Settings go to the server as workspace/didChangeConfiguration; file watching is the
    // server's own dynamic registration (didChangeWatchedFiles), so files are not watched twice.
    synchronize: { configurationSection: "policyops" },
    initializationOptions: settings(),
    outputChannel: output,
  };
  return new LanguageClient("policyops", "PolicyOps", serverOptions, clientOptions);
}

/** The extension's API (for tests and other extensions): the last summary the server pushed. */
export interface PolicyOpsApi {
  summary(): Summary | null;
}

export async function activate(context: vscode.ExtensionContext): Promise<PolicyOpsApi> {
  const output = vscode.window.createOutputChannel("PolicyOps");
  context.subscriptions.push(output);
  const status = vscode.window.createStatusBarItem("policyops.summary", vscode.StatusBarAlignment.Left, 10);
  status.name = "PolicyOps";
  status.text = "$(shield) PolicyOps: starting…";
  status.command = "policyops.openDashboard";
  status.show();
  context.subscriptions.push(status);

  const views = { renewals: new RenewalsView(() => client), reviews: new ReviewsView(() => client), compliance: new ComplianceView(() => client), registers: new RegistersView(() => client) };
  for (const [name, view] of Object.entries(views)) context.subscriptions.push(vscode.window.createTreeView(`policyops.${name}`, { treeDataProvider: view, showCollapseAll: name !== "reviews" }));
  const refreshViews = () => Object.values(views).forEach((v) => v.refresh());
  let dashboard: Dashboard | undefined;

  client = startClient(context, output);
  context.subscriptions.push(
    client.onNotification(SUMMARY_NOTIFICATION, (s: Summary) => {
      lastSummary = s;
      status.text = `$(shield) PolicyOps: ${s.errors} ${s.errors === 1 ? "error" : "errors"}, ${s.warnings} ${s.warnings === 1 ? "warning" : "warnings"} · ${s.overdueReviews} overdue · ${s.renewalsDue} renewals due`;
      status.tooltip = `PolicyOps, as of ${s.today}: ${s.documents} documents, ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos; ${s.overdueReviews} reviews overdue, ${s.renewalsDue} renewals due. Click for the dashboard.`;
      status.backgroundColor = s.errors > 0 ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
      refreshViews();
      void dashboard?.render();
    }),
  );
  const ready = client.start().then(refreshViews, (e: unknown) => {
    status.text = "$(shield) PolicyOps: server failed";
    output.appendLine(`The PolicyOps server did not start: ${e instanceof Error ? e.message : String(e)}`);
  });
  context.subscriptions.push({ dispose: () => void client?.stop() });

  const running = async (): Promise<LanguageClient> => {
    await ready;
    if (!client?.isRunning()) throw new Error("The PolicyOps language server is not running; see the `PolicyOps` output channel.");
    return client;
  };
  const command = (id: string, fn: (...args: any[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
        }
      }),
    );

  command("policyops.refreshViews", refreshViews);
  command("policyops.validateWorkspace", async () => {
    const c = await running();
    const v = await c.sendRequest<ValidateReport>(REQUESTS.report, { report: "validate" });
    refreshViews();
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    void vscode.window.showInformationMessage(`PolicyOps: ${v.summary.documents} documents, ${v.summary.errors} errors, ${v.summary.warnings} warnings, ${v.summary.infos} infos.`);
    return v.summary;
  });
  command("policyops.newDocument", async (kindArg?: string, titleArg?: string) => {
    const c = await running();
    let kind = kindArg;
    if (!kind) {
      const kinds = await c.sendRequest<KindInfo[]>(REQUESTS.kinds);
      const pick = await vscode.window.showQuickPick(
        kinds.map((k) => ({ label: k.kind, description: `${k.folder}/${k.builtIn ? "" : " · repository kind"}`, policyKind: k.kind })),
        { title: "PolicyOps: New document", placeHolder: "Kind of document" },
      );
      if (!pick) return;
      kind = pick.policyKind;
    }
    const title =
      titleArg ??
      (await vscode.window.showInputBox({ title: `PolicyOps: New ${kind}`, prompt: "Title of the new document", validateInput: (t) => (t.trim() ? undefined : "Type a title, for example `Remote Access Policy`.") }));
    if (!title?.trim()) return;
    const created = await c.sendRequest<{ uri: string; text: string }>(REQUESTS.newDocument, { kind, title: title.trim() });
    const uri = vscode.Uri.parse(created.uri);
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { ignoreIfExists: false, overwrite: false });
    edit.insert(uri, new vscode.Position(0, 0), created.text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`Could not create \`${vscode.workspace.asRelativePath(uri)}\`; check that it does not exist yet and the folder is writable.`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await doc.save();
    await vscode.window.showTextDocument(doc);
    return created.uri;
  });
  command("policyops.openDashboard", async () => {
    const c = await running();
    if (dashboard && !dashboard.disposed) dashboard.panel.reveal();
    else dashboard = new Dashboard(context, c);
    await dashboard.render();
  });
  command("policyops.exportRenewalsCalendar", async (target?: vscode.Uri) => {
    const c = await running();
    const { ics } = await c.sendRequest<{ ics: string }>(REQUESTS.calendar, { report: "licences" });
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = target ?? (await vscode.window.showSaveDialog({ title: "Export renewals calendar", defaultUri: folder ? vscode.Uri.joinPath(folder, "renewals.ics") : undefined, filters: { iCalendar: ["ics"] }, saveLabel: "Export" }));
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(ics));
    void vscode.window.showInformationMessage(`PolicyOps: renewals calendar written to ${vscode.workspace.asRelativePath(uri)}.`);
    return uri.toString();
  });
  command("policyops.markReviewedToday", async (arg?: vscode.Uri) => {
    const c = await running();
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) throw new Error("Open the document to mark reviewed first, then run `PolicyOps: Mark reviewed` again.");
    await c.sendRequest(ExecuteCommandRequest.type, { command: MARK_REVIEWED_COMMAND, arguments: [uri.toString()] });
  });
  return { summary: () => lastSummary };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** The dashboard webview: HTML rendered here from the server's JSON, escaped, under a strict CSP. */
class Dashboard {
  readonly panel: vscode.WebviewPanel;
  disposed = false;
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {
    const media = vscode.Uri.joinPath(context.extensionUri, "media");
    this.panel = vscode.window.createWebviewPanel("policyops.dashboard", "PolicyOps dashboard", vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [media], enableCommandUris: false, retainContextWhenHidden: false });
    this.panel.onDidDispose(() => (this.disposed = true));
    this.panel.webview.onDidReceiveMessage(async (m: { type?: string; file?: unknown }) => {
      if (m?.type !== "open" || typeof m.file !== "string") return;
      const uri = fileUri(m.file);
      // Only files inside the workspace folder, as the reports name them.
      if (uri && !m.file.split("/").includes("..")) await vscode.window.showTextDocument(uri);
    });
  }
  async render(): Promise<void> {
    if (this.disposed) return;
    const req = <T>(report: string) => this.client.sendRequest<T>(REQUESTS.report, { report });
    const [compliance, licences, contracts, reviews, validate] = await Promise.all([req<ComplianceFramework[]>("compliance"), req<LicenceRow[]>("licences"), req<ContractRow[]>("contracts"), req<ReviewRow[]>("reviews"), req<ValidateReport>("validate")]);
    const data: DashboardData = { summary: lastSummary, compliance, licences, contracts, reviews, validate };
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.context.extensionUri, "media");
    if (this.disposed) return;
    webview.html = dashboardHtml(data, {
      nonce: randomBytes(16).toString("base64"),
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "dashboard.css")).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "dashboard.js")).toString(),
    });
  }
}
