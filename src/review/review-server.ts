import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { pageAssets } from './page-assets.js';
import { createReviewApp } from './review-app.js';
import type { ReviewStudio } from './review-studio.js';

export interface ReviewServer {
  /** `http://127.0.0.1:PORT/?token=…`: what the CLI prints first. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 only (a free port unless one is given), with a fresh random token. */
export async function startReviewServer(studio: ReviewStudio, options: { port?: number; mode: 'watch' | 'review'; heartbeatMs?: number }): Promise<ReviewServer> {
  const token = randomBytes(24).toString('base64url');
  let port = options.port ?? 0;
  const app = createReviewApp({ studio, token, port: () => port, assets: pageAssets(), mode: options.mode, ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}) });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        // Event streams never end by themselves.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
