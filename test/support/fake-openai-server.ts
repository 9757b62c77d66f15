// A loopback stand-in for the OpenAI HTTP API, scripted per test. Nothing here talks to the network.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedResponse {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and buffers as they are. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (the client has to time out or abort). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (undefined when it is not JSON). */
  body: any;
  rawLength: number;
}

export type Responder = (request: RecordedRequest, index: number) => ScriptedResponse | Promise<ScriptedResponse>;

export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>/v1`, for the SDK's baseURL. */
  readonly baseURL: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Most requests ever in flight at once. */
  readonly maxInFlight: number;
  readonly inFlight: number;
  /** Queue responses, served first-in first-out. */
  enqueue(...responses: ScriptedResponse[]): void;
  /** Used once the queue is empty (default: a 500 saying nothing was scripted). */
  fallback(responder: Responder): void;
  close(): Promise<void>;
}

/** A chat.completion body whose message content is `content`. */
export function chatCompletion(content: string, usage = { prompt_tokens: 1000, completion_tokens: 200 }): object {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** An OpenAI-style error body. */
export function apiError(message: string, type = 'invalid_request_error', extra: Record<string, unknown> = {}): object {
  return { error: { message, type, param: null, code: null, ...extra } };
}

export async function startFakeOpenAI(): Promise<FakeOpenAIServer> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  let responder: Responder = () => ({ status: 500, body: apiError('fake server: no scripted response left', 'server_error') });
  let inFlight = 0;
  let maxInFlight = 0;
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on('close', finish);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, rawLength: raw.length };
      const index = requests.push(recorded) - 1;
      void Promise.resolve(queue.length > 0 ? queue.shift()! : responder(recorded, index)).then((scripted) => respond(res, scripted));
    });
  });

  const respond = (res: ServerResponse, scripted: ScriptedResponse) => {
    if (scripted.hang) {
      hanging.add(res);
      return;
    }
    const send = () => {
      if (res.destroyed) return;
      const body = scripted.body;
      const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body ?? {});
      const isText = typeof body === 'string' || Buffer.isBuffer(body);
      res.writeHead(scripted.status ?? 200, {
        'content-type': isText && !scripted.headers?.['content-type'] ? 'text/plain' : 'application/json',
        ...scripted.headers,
      });
      res.end(payload);
    };
    if (scripted.delayMs) setTimeout(send, scripted.delayMs);
    else send();
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    enqueue: (...responses) => void queue.push(...responses),
    fallback: (next) => void (responder = next),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
