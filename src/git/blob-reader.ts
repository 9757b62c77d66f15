import { spawn } from 'node:child_process';
import { GitError } from './git-error.js';

/** Reads blobs by id through one long-lived `git cat-file --batch` (one process for any number of files). */
export interface BlobReader {
  read(blob: string): Promise<Buffer>;
  close(): void;
}

interface Pending {
  blob: string;
  resolve: (bytes: Buffer) => void;
  reject: (err: Error) => void;
}

export function openBlobReader(cwd: string): BlobReader {
  const args = ['cat-file', '--batch'];
  const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const queue: Pending[] = [];
  let buffered: Buffer = Buffer.alloc(0);
  let stderr = '';
  let failure: Error | undefined;

  const fail = (err: Error) => {
    failure ??= err;
    for (const pending of queue.splice(0)) pending.reject(failure);
  };
  child.on('error', fail);
  child.stdin.on('error', fail);
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.on('close', (code) => fail(new GitError(args, code ?? undefined, stderr || 'git cat-file exited')));

  // Answers come in request order: "<id> blob <size>\n<bytes>\n" or "<id> missing\n".
  child.stdout.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      const newline = buffered.indexOf(0x0a);
      if (newline < 0 || queue.length === 0) return;
      const header = buffered.subarray(0, newline).toString('utf8').split(' ');
      if (header[1] === 'missing' || header.length < 3) {
        buffered = buffered.subarray(newline + 1);
        const pending = queue.shift()!;
        pending.reject(new GitError(args, undefined, `${pending.blob} is not in the repository`));
        continue;
      }
      const size = Number(header[2]);
      if (buffered.length < newline + 1 + size + 1) return;
      const bytes = Buffer.from(buffered.subarray(newline + 1, newline + 1 + size));
      buffered = buffered.subarray(newline + 1 + size + 1);
      queue.shift()!.resolve(bytes);
    }
  });

  return {
    read(blob) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        queue.push({ blob, resolve, reject });
        child.stdin.write(`${blob}\n`);
      });
    },
    close() {
      child.stdin.end();
    },
  };
}
