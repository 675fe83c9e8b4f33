import pkg from "../../package.json" with { type: "json" };

export const VERSION: string = pkg.version;

declare const __POLICYOPS_BUILD__: string | undefined;
/** Fingerprint of the sources this bundle was built from (scripts/build.mjs); "dev" when run from source. */
export const BUILD_ID: string = typeof __POLICYOPS_BUILD__ === "string" ? __POLICYOPS_BUILD__ : "dev";
