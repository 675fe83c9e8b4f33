/**
 * The daemon's wire format. The client sends one request as a line of JSON; the daemon
 * answers with frames: a type byte, a 4-byte big-endian length and that many bytes. Output
 * goes as it is written (a 74 MB JSON report streams rather than waiting whole), and the
 * last frame is the exit code.
 */
export const PROTOCOL = 1;

export type FrameType = "out" | "err" | "exit";
const BYTE: Record<FrameType, number> = { out: 0x6f, err: 0x65, exit: 0x78 };
const TYPE = new Map<number, FrameType>(Object.entries(BYTE).map(([k, v]) => [v, k as FrameType]));
const HEAD = 5;

/** What a client asks: a CLI run in its own context, or a question for the daemon itself. */
export type Request =
  | {
      protocol: number;
      run: {
        argv: string[];
        cwd: string;
        env: Record<string, string>;
        /** The client's stdout, for colour and table width as the CLI would decide them itself. */
        stdout: { isTTY: boolean; columns?: number };
      };
    }
  | { protocol: number; control: "status" | "stop" };

/** The 5 bytes in front of a frame's body. */
export function frameHead(type: FrameType, bodyLength: number): Buffer {
  const head = Buffer.allocUnsafe(HEAD);
  head[0] = BYTE[type];
  head.writeUInt32BE(bodyLength, 1);
  return head;
}

/** A whole frame (tests and small answers; the daemon writes head and body apart, see server.ts). */
export function frame(type: FrameType, payload: string | Uint8Array): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  return Buffer.concat([frameHead(type, body.length), body]);
}

/** A piece of a frame's body as it arrived; `end` on the last piece of that frame. */
export interface FramePart {
  type: FrameType;
  part: Buffer;
  end: boolean;
}

/**
 * Splits a byte stream into frames, however the stream cut them, handing on each piece of a
 * body as it arrives: the client writes a megabyte of report to its stdout as it comes rather
 * than joining it first.
 */
export class FrameReader {
  private head = Buffer.alloc(HEAD);
  private headFill = 0;
  private type: FrameType | null = null;
  private remaining = 0;

  /** The pieces `chunk` completes; throws on a type byte no daemon sends. */
  push(chunk: Buffer): FramePart[] {
    const parts: FramePart[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.type === null) {
        const n = Math.min(HEAD - this.headFill, chunk.length - at);
        chunk.copy(this.head, this.headFill, at, at + n);
        this.headFill += n;
        at += n;
        if (this.headFill < HEAD) break;
        const type = TYPE.get(this.head[0]!);
        if (!type) throw new Error(`unknown frame type ${this.head[0]}`);
        this.type = type;
        this.remaining = this.head.readUInt32BE(1);
        this.headFill = 0;
        if (this.remaining === 0) {
          parts.push({ type, part: Buffer.alloc(0), end: true });
          this.type = null;
        }
        continue;
      }
      const n = Math.min(this.remaining, chunk.length - at);
      this.remaining -= n;
      parts.push({ type: this.type, part: chunk.subarray(at, at + n), end: this.remaining === 0 });
      at += n;
      if (this.remaining === 0) this.type = null;
    }
    return parts;
  }

  /** True when a frame was begun and not finished. */
  get partial(): boolean {
    return this.type !== null || this.headFill > 0;
  }
}
