import { lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { BUILD_ID } from "../version.js";

/**
 * Where this user's daemon for this build listens, and where it logs: one socket per
 * (user, build, Node version), so a client only ever reaches a daemon running the very code it
 * would run itself. The folder is the user's own (0700); anyone who could reach the socket
 * could run `validate` as this user, so a folder that another user owns or can write is
 * refused, never repaired.
 */
export interface DaemonPlace {
  dir: string;
  socket: string;
  log: string;
}

/** Unix sockets' path limit (108 bytes on Linux, 104 on macOS), with room to spare. */
const MAX_SOCKET_PATH = 100;

/** The folder for sockets: XDG_RUNTIME_DIR's (the user's own by definition), else a per-user folder in the temp dir. */
function baseDir(env: Readonly<Record<string, string | undefined>>): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && isAbsolute(runtime)) return join(runtime, "policyops");
  return join(tmpdir(), `policyops-${process.getuid?.() ?? "user"}`);
}

/**
 * The identity of the code a daemon runs: the bundle's source fingerprint and Node's version
 * (spelt out, not hashed: the client loads no crypto for it).
 */
export function daemonIdentity(): string {
  return `${BUILD_ID}-node${process.versions.node}`;
}

/** The place, or why there is none. Creates the folder (0700) when `create` is set. */
export function daemonPlace(env: Readonly<Record<string, string | undefined>>, create: boolean): DaemonPlace | { problem: string; absent?: true } {
  if (process.platform === "win32") return { problem: "the daemon needs Unix sockets, which this platform does not offer; run `validate --cache` without it" };
  const dir = baseDir(env);
  const id = daemonIdentity();
  const socket = join(dir, `${id}.sock`);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) return { problem: `the socket path \`${socket}\` is too long for a Unix socket; set XDG_RUNTIME_DIR or TMPDIR to a shorter folder` };
  if (create) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      return { problem: `cannot create \`${dir}\` (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
    }
  }
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return { problem: `\`${dir}\` does not exist`, absent: true };
  }
  const uid = process.getuid?.();
  if (!st.isDirectory()) return { problem: `\`${dir}\` is not a folder` };
  if (uid !== undefined && st.uid !== uid) return { problem: `\`${dir}\` belongs to another user, so its socket cannot be trusted; remove it or set XDG_RUNTIME_DIR` };
  if ((st.mode & 0o077) !== 0) return { problem: `\`${dir}\` can be read or written by other users (mode ${(st.mode & 0o777).toString(8)}), so its socket cannot be trusted; \`chmod 700\` it` };
  return { dir, socket, log: join(dir, `${id}.log`) };
}
