/**
 * Checks HTTP answers against the OpenAPI document: the e2e harness records every response the
 * app sends (method, path, status, content type, body), and `contractProblems` validates each one
 * against the operation's documented response with ajv. An undocumented path, method, status or
 * media type is a problem too, as is a body where the document promises none. Objects are checked
 * closed (a property the schema does not list is a problem) unless the schema says
 * `additionalProperties`, so an undocumented field cannot slip through either.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { NextFunction, Request, Response } from 'express';

export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: Buffer;
}

/** Not part of the API document: the document itself and the Bull Board dashboard. */
const OUTSIDE_THE_DOCUMENT = ['/api/docs', '/admin/queues'];

/** Express middleware that keeps a copy of every response sent. */
export function responseRecorder(into: RecordedResponse[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(
              chunk as string,
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            ),
      );
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.write = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    }) as Response['write'];
    res.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return end(...args);
    }) as Response['end'];
    res.on('finish', () =>
      into.push({
        method: req.method.toLowerCase(),
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        contentType: String(res.getHeader('content-type') ?? '')
          .split(';')[0]
          .trim(),
        body: Buffer.concat(chunks),
      }),
    );
    next();
  };
}

type Json = Record<string, unknown>;
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Json }> }>>;
  components?: { schemas?: Json };
}

/** A copy of a schema in which every object with `properties` refuses unlisted ones. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === 'example' ? v : closed(v)]),
  );
  if ('properties' in copy && !('additionalProperties' in copy)) copy.additionalProperties = false;
  return copy;
}

interface Operation {
  template: string;
  responses: Record<string, { content?: Json }>;
}

export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; pattern: RegExp; params: number }[];
  private readonly components: Json;

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.components = { schemas: closed(document.components?.schemas ?? {}) };
    this.templates = Object.keys(document.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params); // literal paths win, as in the router
  }

  operation(method: string, path: string): Operation | null {
    for (const { template, pattern } of this.templates) {
      const op = this.document.paths[template][method];
      if (pattern.test(path) && op) return { template, responses: op.responses ?? {} };
    }
    return null;
  }

  /** What is wrong with one response, or null when the document describes it. */
  problem(r: RecordedResponse): string | null {
    const op = this.operation(r.method, r.path);
    if (!op) return `${r.method.toUpperCase()} ${r.path} is not in the document`;
    const where = `${r.method.toUpperCase()} ${op.template} → ${r.status}`;
    const documented = op.responses[String(r.status)] ?? op.responses.default;
    if (!documented) return `${where}: status not documented`;
    const content = documented.content ?? {};
    if (r.body.length === 0) {
      return Object.keys(content).length === 0 || r.method === 'head'
        ? null
        : `${where}: empty body, the document promises ${Object.keys(content).join(', ')}`;
    }
    const media = content[r.contentType] as { schema?: Json; 'x-event-data'?: Json } | undefined;
    if (!media) return `${where}: media type "${r.contentType}" not documented`;
    if (r.contentType === 'text/event-stream')
      return this.eventProblem(where, r, media['x-event-data']);
    if (!media.schema) return null;
    let body: unknown = r.body.toString('utf8');
    if (r.contentType === 'application/json') {
      try {
        body = JSON.parse(body as string);
      } catch {
        return `${where}: body is not JSON`;
      }
    }
    const validate = this.validator(
      `${op.template} ${r.method} ${r.status} ${r.contentType}`,
      media.schema,
    );
    if (validate(body)) return null;
    return `${where}: ${this.describe(validate)}`;
  }

  /** Server-Sent Events: each event's `data` against the schema named by `x-event-data`. */
  private eventProblem(
    where: string,
    r: RecordedResponse,
    schema: Json | undefined,
  ): string | null {
    if (!schema) return null;
    const validate = this.validator(`${where} event`, schema);
    for (const block of r.body.toString('utf8').split('\n\n')) {
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('\n');
      if (data === '') continue;
      let event: unknown;
      try {
        event = JSON.parse(data);
      } catch {
        return `${where}: event data is not JSON`;
      }
      if (!validate(event)) return `${where}: event data ${this.describe(validate)}`;
    }
    return null;
  }

  private describe(validate: ValidateFunction): string {
    return (validate.errors ?? [])
      .slice(0, 5)
      .map(
        (e) =>
          `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      )
      .join('; ');
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      // Refs in the document are "#/components/schemas/X": compile each schema beside them.
      validate = this.ajv.compile({ ...(closed(schema) as Json), components: this.components });
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** Every problem of the recorded responses (paths outside the document are left out). */
export function contractProblems(document: unknown, responses: RecordedResponse[]): string[] {
  const contract = new OpenApiContract(document as OpenApiDocument);
  const problems = responses
    .filter((r) => !OUTSIDE_THE_DOCUMENT.some((prefix) => r.path.startsWith(prefix)))
    .map((r) => contract.problem(r))
    .filter((p): p is string => p !== null);
  return [...new Set(problems)];
}

/** "METHOD template → status" of the recorded responses, for the test's coverage line. */
export function coveredRoutes(document: unknown, responses: RecordedResponse[]): string[] {
  const contract = new OpenApiContract(document as OpenApiDocument);
  return [
    ...new Set(
      responses.flatMap((r) => {
        const op = contract.operation(r.method, r.path);
        return op ? [`${r.method.toUpperCase()} ${op.template} ${r.status}`] : [];
      }),
    ),
  ].sort();
}
