/** `workspaceContains:` activation events derived from the kinds' schemas (see build-extension.mjs). */
export function activationEvents(): string[];
