/**
 * Werk24's Techread protocol as its public Python client speaks it: open the WebSocket with
 * `Authorization: Token <key>`, send INITIALIZE with the asks, upload the drawing to the presigned
 * POST it answers with, send READ, then collect messages until PROGRESS/COMPLETED or close.
 */
import { TextWebSocket } from './websocket-client';
import {
  Werk24Ask,
  Werk24Command,
  Werk24File,
  Werk24InitResponse,
  Werk24TechreadMessage,
  Werk24TechreadRequest,
} from './werk24-protocol';
import { Werk24TransportError } from './werk24-transport-error';

export interface Werk24ReadRequest {
  file: Werk24File;
  asks: Werk24Ask[];
  maxPages: number;
}

/** The seam tests replace: given a drawing and asks, the server's messages. */
export interface Werk24Transport {
  read(request: Werk24ReadRequest, signal: AbortSignal): Promise<Werk24TechreadMessage[]>;
}

export const CLIENT_VERSION = 'extraction-service/0.1.0';
/** A misbehaving server must not make us read forever. */
const MAX_MESSAGES = 10_000;

function parseMessage(raw: string): Werk24TechreadMessage {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Werk24TransportError(
      'protocol',
      `Werk24 sent a message that is not JSON: ${raw.slice(0, 200)}`,
    );
  }
  const message = value as Partial<Werk24TechreadMessage> & { message?: unknown };
  if (typeof message?.message_type !== 'string') {
    // API Gateway errors arrive as {"message": "Forbidden"} instead of a TechreadMessage.
    if (message?.message === 'Forbidden')
      throw new Werk24TransportError('unauthorized', 'Werk24 refused the API key (Forbidden)');
    throw new Werk24TransportError('protocol', `Unexpected Werk24 message: ${raw.slice(0, 200)}`);
  }
  return message as Werk24TechreadMessage;
}

function classifyFetchError(error: unknown, what: string): Error {
  if (error instanceof Werk24TransportError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const reason =
    error instanceof Error
      ? ((error.cause as Error | undefined)?.message ?? error.message)
      : String(error);
  return new Werk24TransportError('network', `${what} failed: ${reason}`);
}

export class TechreadWebSocketTransport implements Werk24Transport {
  constructor(
    private readonly endpoint: URL,
    private readonly apiKey: string,
  ) {}

  async read(request: Werk24ReadRequest, signal: AbortSignal): Promise<Werk24TechreadMessage[]> {
    const socket = await TextWebSocket.connect(
      this.endpoint,
      { Authorization: `Token ${this.apiKey}` },
      signal,
    );
    try {
      return await this.converse(socket, request, signal);
    } finally {
      socket.close();
    }
  }

  private async converse(
    socket: TextWebSocket,
    request: Werk24ReadRequest,
    signal: AbortSignal,
  ): Promise<Werk24TechreadMessage[]> {
    const techreadRequest: Werk24TechreadRequest = {
      asks: request.asks,
      max_pages: request.maxPages,
      client_version: CLIENT_VERSION,
      drawing_filename: request.file.filename,
    };
    this.command(socket, { action: 'INITIALIZE', message: JSON.stringify(techreadRequest) });
    const initRaw = await socket.next(signal);
    if (initRaw === null)
      throw new Werk24TransportError(
        'network',
        'Werk24 closed the connection during initialisation',
      );
    const initMessage = parseMessage(initRaw);
    const init = (initMessage.payload_dict ?? {}) as Partial<Werk24InitResponse>;
    const initFailed = [...(initMessage.exceptions ?? []), ...(init.exceptions ?? [])].some(
      (e) => e.exception_level === 'ERROR',
    );
    if (initFailed)
      return [
        {
          ...initMessage,
          exceptions: [...(initMessage.exceptions ?? []), ...(init.exceptions ?? [])],
        },
      ];
    if (!init.drawing_presigned_post?.url) {
      throw new Werk24TransportError(
        'protocol',
        'Werk24 initialisation answer has no drawing_presigned_post',
      );
    }
    await this.upload(
      init.drawing_presigned_post.url,
      init.drawing_presigned_post.fields ?? {},
      request.file,
      signal,
    );
    this.command(socket, { action: 'READ', message: '{}' });

    const messages: Werk24TechreadMessage[] = [];
    while (messages.length < MAX_MESSAGES) {
      const raw = await socket.next(signal);
      if (raw === null) break;
      const message = parseMessage(raw);
      if (message.payload_url && !message.payload_dict) {
        message.payload_dict = await this.download(message.payload_url, signal);
      }
      messages.push(message);
      if (message.message_type === 'PROGRESS' && message.message_subtype === 'COMPLETED') break;
    }
    return messages;
  }

  private command(socket: TextWebSocket, command: Werk24Command): void {
    socket.send(JSON.stringify(command));
  }

  /** Presigned POST (S3 style): the given fields, then the file; 2xx means stored. */
  private async upload(
    url: string,
    fields: Record<string, string>,
    file: Werk24File,
    signal: AbortSignal,
  ): Promise<void> {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append('file', new Blob([file.content], { type: file.mimeType }), file.filename);
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body: form, signal });
    } catch (error) {
      throw classifyFetchError(error, 'Uploading the drawing to Werk24');
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      throw new Werk24TransportError(
        'http',
        `Werk24 upload answered HTTP ${response.status}`,
        response.status,
        'upload',
      );
    }
  }

  /** Large answers come as a payload_url holding the JSON payload. */
  private async download(url: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(url, { signal });
    } catch (error) {
      throw classifyFetchError(error, 'Downloading a Werk24 payload');
    }
    if (!response.ok)
      throw new Werk24TransportError(
        'http',
        `Werk24 payload download answered HTTP ${response.status}`,
        response.status,
      );
    try {
      return (await response.json()) as Record<string, unknown>;
    } catch {
      throw new Werk24TransportError('protocol', 'Werk24 payload is not JSON');
    }
  }
}
