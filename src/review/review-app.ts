import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import hljs from 'highlight.js/lib/core';
import json from 'highlight.js/lib/languages/json';
import { REVIEW_QUESTIONS, REVIEW_STATUSES, type ReviewAnswer, type ReviewQuestion, type ReviewStatus } from '../outputs/review-record.js';
import { UsageError } from '../errors.js';
import type { PassGroup } from './fold-ladders.js';
import type { pageAssets } from './page-assets.js';
import { ReviewConflictError } from './record-review.js';
import { refusal, TOKEN_HEADER } from './request-guard.js';
import type { ReviewStudio } from './review-studio.js';

hljs.registerLanguage('json', json);

export interface ReviewAppOptions {
  studio: ReviewStudio;
  token: string;
  /** The port it listens on (known once listening): the Host header must name it. */
  port: () => number;
  assets: ReturnType<typeof pageAssets>;
  /** `watch --ui` or `review`: the page says which. */
  mode: 'watch' | 'review';
  /** How often an idle event stream sends a comment, so proxies and the browser keep it open. */
  heartbeatMs?: number;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const ANSWERS: readonly ReviewAnswer[] = ['yes', 'no', 'unsure'];

/** The studio's HTTP face: the page, its assets, the bug API, reviews, `try`, and live events. */
export function createReviewApp(options: ReviewAppOptions): Hono {
  const { studio, token, assets } = options;
  const app = new Hono();

  app.use('*', async (c, next) => {
    const refused = refusal(
      { method: c.req.method, url: new URL(c.req.url), host: c.req.header('host'), origin: c.req.header('origin'), headerToken: c.req.header(TOKEN_HEADER) },
      { token, port: options.port() },
    );
    if (refused) return c.text(`${refused.reason}\n`, refused.status, SECURITY_HEADERS);
    if (c.req.path.startsWith('/api/')) await studio.loaded;
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });

  app.get('/', async (c) => c.html((await assets.page()).replaceAll('{{TOKEN}}', token).replaceAll('{{MODE}}', options.mode)));

  app.get('/assets/:name', async (c) => {
    const asset = await assets.asset(c.req.param('name'));
    return asset ? c.body(asset.body, 200, { 'Content-Type': asset.type }) : c.text('not found\n', 404);
  });

  app.get('/api/bugs', (c) => c.json({ root: studio.root, mode: options.mode, questions: REVIEW_QUESTIONS, rows: studio.list() }));

  app.get('/api/bug', async (c) => {
    const detail = await studio.detail(c.req.query('key') ?? '');
    if (!detail) return c.json({ error: 'no such bug' }, 404);
    return c.json({ ...detail, ...(detail.passes ? { passes: detail.passes.map(highlightGroup) } : {}) });
  });

  app.get('/api/variant', async (c) => {
    const view = await studio.variant(c.req.query('key') ?? '', c.req.query('kind') ?? '');
    return view ? c.json(view) : c.json({ error: 'no such bug or variant' }, 404);
  });

  app.post('/api/review', bodyLimit({ maxSize: 64 * 1024 }), async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    const input = body && reviewInput(body);
    if (!input) return c.json({ error: 'expected { key, status, answers: { pattern, replacement, symptom, ready }, note?, outputHash } (approved: every answer yes)' }, 400);
    try {
      const record = await studio.review(input.key, input);
      return record ? c.json(record) : c.json({ error: 'no such bug' }, 404);
    } catch (err) {
      if (err instanceof ReviewConflictError) return c.json({ error: err.reason, file: err.file }, 409);
      throw err;
    }
  });

  app.post('/api/patch-only', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { key?: unknown; reason?: unknown } | undefined;
    if (typeof body?.key !== 'string' || (body.reason !== undefined && typeof body.reason !== 'string')) return c.json({ error: 'expected { key, reason? }' }, 400);
    const result = await studio.acceptPatchOnly(body.key, body.reason as string | undefined);
    if (!result) return c.json({ error: 'no such bug' }, 404);
    return result.accepted ? c.json(result) : c.json({ ...result, error: result.reason }, 409);
  });

  app.post('/api/accept-draft', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { key?: unknown } | undefined;
    if (typeof body?.key !== 'string') return c.json({ error: 'expected { key }' }, 400);
    const result = await studio.acceptDraft(body.key).catch((err: unknown) => (err instanceof UsageError ? { accepted: false as const, reason: err.message } : Promise.reject(err)));
    if (!result) return c.json({ error: 'no such bug' }, 404);
    return result.accepted ? c.json(result) : c.json({ ...result, error: result.reason }, 409);
  });

  app.post('/api/try', bodyLimit({ maxSize: 32 * 1024 * 1024 }), async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { files?: unknown } | undefined;
    const files = Array.isArray(body?.files) ? body.files.filter((f): f is { label: string; source: string } => typeof f?.label === 'string' && typeof f?.source === 'string') : [];
    if (files.length === 0) return c.json({ error: 'expected { files: [{ label, source }] }' }, 400);
    return c.json(await studio.tryFiles(files));
  });

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      const send = (event: string, data: unknown) => stream.writeSSE({ event, data: JSON.stringify(data) }).catch(() => {});
      const unsubscribe = studio.subscribe((event) => {
        if (event.kind === 'rows') void send('rows', event.rows);
        else if (event.kind === 'removed') void send('removed', event.keys);
        else void send('studio-error', { message: event.message });
      });
      const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n').catch(() => {}), options.heartbeatMs ?? 15_000);
      await send('hello', { rows: studio.list().length });
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      clearInterval(heartbeat);
      unsubscribe();
    }),
  );

  app.onError((err, c) => c.json({ error: err.message }, 500));
  return app;
}

function reviewInput(body: Record<string, unknown>): { key: string; status: ReviewStatus; answers: Record<ReviewQuestion, ReviewAnswer>; note?: string; outputHash: string } | undefined {
  const { key, status, answers, note, outputHash } = body;
  if (typeof key !== 'string' || typeof outputHash !== 'string' || !REVIEW_STATUSES.includes(status as ReviewStatus)) return undefined;
  if (note !== undefined && typeof note !== 'string') return undefined;
  if (!answers || typeof answers !== 'object') return undefined;
  const given = answers as Record<string, unknown>;
  if (!REVIEW_QUESTIONS.every((q) => ANSWERS.includes(given[q.id] as ReviewAnswer))) return undefined;
  const picked = Object.fromEntries(REVIEW_QUESTIONS.map((q) => [q.id, given[q.id]])) as Record<ReviewQuestion, ReviewAnswer>;
  // Approving is answering yes to every question.
  if (status === 'approved' && Object.values(picked).some((a) => a !== 'yes')) return undefined;
  return { key, status: status as ReviewStatus, answers: picked, outputHash, ...(note ? { note } : {}) };
}

/** Each pass as highlighted JSON (highlight.js escapes the text). */
function highlightGroup(group: PassGroup): PassGroup & { html: string[] } {
  const passes = group.kind === 'ladder' ? group.passes : [group.pass];
  return { ...group, html: passes.map((pass) => hljs.highlight(JSON.stringify(pass, null, 2), { language: 'json' }).value) };
}
