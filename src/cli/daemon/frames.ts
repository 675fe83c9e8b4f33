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

export function frame(type: FrameType, payload: string | Uint8Array): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  const head = Buffer.allocUnsafe(HEAD);
  head[0] = BYTE[type];
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/**
 * Splits a byte stream into frames, however the stream cut them. Chunks are kept as they
 * came and joined once per frame: joining each chunk onto the pending bytes copied a
 * megabyte-sized frame once per 64 KB chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private length = 0;

  /** The whole frames completed by `chunk`; throws on a type byte no daemon sends. */
  push(chunk: Buffer): { type: FrameType; body: Buffer }[] {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const frames: { type: FrameType; body: Buffer }[] = [];
    for (;;) {
      if (this.length < HEAD) break;
      if (this.chunks[0]!.length < HEAD) this.join();
      const first = this.chunks[0]!;
      const type = TYPE.get(first[0]!);
      if (!type) throw new Error(`unknown frame type ${first[0]}`);
      const size = HEAD + first.readUInt32BE(1);
      if (this.length < size) break;
      if (first.length < size) this.join();
      const whole = this.chunks[0]!;
      frames.push({ type, body: whole.subarray(HEAD, size) });
      if (whole.length === size) this.chunks.shift();
      else this.chunks[0] = whole.subarray(size);
      this.length -= size;
    }
    return frames;
  }

  private join(): void {
    this.chunks = [Buffer.concat(this.chunks, this.length)];
  }

  /** True when a frame was begun and not finished. */
  get partial(): boolean {
    return this.length > 0;
  }
}
