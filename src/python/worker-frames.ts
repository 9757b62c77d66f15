// The framing worker.py speaks on stdio (see its header): length-prefixed, with a request id.

export const FRAME_STATUS = { result: 0, raised: 1, unusable: 2 } as const;

export interface ResponseFrame {
  id: number;
  status: number;
  text: string;
}

export const ARG_KIND = { text: 0, json: 1 } as const;

/**
 * A call to a bridge function, as bytes for the worker's stdin. Strings (sources, tree JSON,
 * often large) travel as raw UTF-8, not JSON-escaped inside JSON; other values as JSON.
 */
export function encodeRequest(id: number, fn: string, args: readonly unknown[]): Buffer {
  const encoded = args.map((arg) => (typeof arg === 'string' ? { kind: ARG_KIND.text, text: arg } : { kind: ARG_KIND.json, text: JSON.stringify(arg) }));
  const sizes = encoded.map((a) => Buffer.byteLength(a.text, 'utf8'));
  const fnBytes = Buffer.byteLength(fn, 'utf8');
  const length = 4 + 1 + fnBytes + 1 + sizes.reduce((sum, n) => sum + 5 + n, 0);
  const frame = Buffer.allocUnsafe(4 + length);
  let at = frame.writeUInt32BE(length, 0);
  at = frame.writeUInt32BE(id, at);
  at = frame.writeUInt8(fnBytes, at);
  at += frame.write(fn, at, 'utf8');
  at = frame.writeUInt8(encoded.length, at);
  encoded.forEach((arg, i) => {
    at = frame.writeUInt8(arg.kind, at);
    at = frame.writeUInt32BE(sizes[i]!, at);
    at += frame.write(arg.text, at, 'utf8');
  });
  return frame;
}

/** Cuts the worker's stdout into response frames, whatever the chunk boundaries. */
export class ResponseFrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Adds a chunk; returns the frames it completed, in order. */
  push(chunk: Buffer): ResponseFrame[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: ResponseFrame[] = [];
    for (;;) {
      if (this.pendingBytes < 4) break;
      const head = this.contiguous(4);
      const length = head.readUInt32BE(0);
      if (this.pendingBytes < 4 + length) break;
      const frame = this.contiguous(4 + length);
      frames.push({ id: frame.readUInt32BE(4), status: frame.readUInt8(8), text: frame.toString('utf8', 9, 4 + length) });
      this.consume(4 + length);
    }
    return frames;
  }

  /** The first `size` buffered bytes as one buffer (joining chunks only when a frame spans them). */
  private contiguous(size: number): Buffer {
    if (this.pending[0]!.length < size) this.pending = [Buffer.concat(this.pending)];
    return this.pending[0]!;
  }

  private consume(size: number): void {
    const first = this.pending[0]!;
    if (first.length === size) this.pending.shift();
    else this.pending[0] = first.subarray(size);
    this.pendingBytes -= size;
  }
}
