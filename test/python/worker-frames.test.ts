import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARG_KIND, encodeRequest, ResponseFrameReader } from '../../src/python/worker-frames.js';

function responseFrame(id: number, status: number, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(9);
  header.writeUInt32BE(payload.length + 5, 0);
  header.writeUInt32BE(id, 4);
  header.writeUInt8(status, 8);
  return Buffer.concat([header, payload]);
}

test('responses are cut into frames whatever the chunk boundaries, multi-byte text included', () => {
  const texts = ['{"ok": true}', 'ü → 😀 '.repeat(5000), '', 'RecursionError: maximum recursion depth exceeded'];
  const stream = Buffer.concat(texts.map((t, i) => responseFrame(i + 1, i === 3 ? 1 : 0, t)));
  for (const size of [1, 2, 3, 7, 64, 4096, stream.length]) {
    const reader = new ResponseFrameReader();
    const frames = [];
    for (let at = 0; at < stream.length; at += size) frames.push(...reader.push(stream.subarray(at, at + size)));
    assert.deepEqual(
      frames.map((f) => [f.id, f.status, f.text]),
      texts.map((t, i) => [i + 1, i === 3 ? 1 : 0, t]),
      `chunks of ${size} bytes`,
    );
  }
});

test('a request is its length, its id, the function name and each argument (text raw, anything else as JSON)', () => {
  const source = 'x = "é 😀"\n';
  const frame = encodeRequest(7, 'parse_source', [source, true]);
  assert.equal(frame.readUInt32BE(0), frame.length - 4);
  assert.equal(frame.readUInt32BE(4), 7);
  const name = frame.subarray(9, 9 + frame.readUInt8(8)).toString('utf8');
  assert.equal(name, 'parse_source');
  let at = 9 + name.length;
  assert.equal(frame.readUInt8(at++), 2, 'two arguments');
  const args: unknown[] = [];
  while (at < frame.length) {
    const kind = frame.readUInt8(at);
    const size = frame.readUInt32BE(at + 1);
    const text = frame.subarray(at + 5, at + 5 + size).toString('utf8');
    args.push(kind === ARG_KIND.text ? text : JSON.parse(text));
    at += 5 + size;
  }
  assert.deepEqual(args, [source, true]);
});
