/**
 * Finds the objects of one list (at a path of keys, e.g. ["bom", "items"]) in a JSON document that
 * arrives in chunks, without holding the document: only the bytes of the object being read are
 * kept. A structural scan (strings, brackets, the keys on the way to the list); each object of the
 * list is handed to JSON.parse alone. Elements that are not objects are skipped, as the row readers
 * skip them. Structural characters are ASCII, so scanning UTF-8 bytes is safe across chunk ends.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

interface Frame {
  object: boolean;
  /** This container lies on the path (the root does; a child when its key is the next step). */
  onPath: boolean;
  /** Object: the key of the value being read; the next string is a key when `expectKey`. */
  key: string | null;
  expectKey: boolean;
}

export class JsonListScanner {
  private readonly stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  /** What is being captured: a key on the path, or an object of the list. */
  private capture: 'key' | 'element' | null = null;
  private captured: Buffer[] = [];
  private captureStart = 0;
  private elementDepth = -1;

  /** `parse` false only counts the objects (push then returns empty objects). */
  constructor(
    private readonly path: string[],
    private readonly parse = true,
  ) {}

  /** The objects of the list that end in this chunk, in order. */
  push(chunk: Buffer): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    this.captureStart = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (this.capture === 'key') {
            const key = JSON.parse(this.take(chunk, i + 1)) as string;
            const frame = this.stack[this.stack.length - 1];
            frame.key = key;
            frame.expectKey = false;
          }
        }
        continue;
      }
      switch (byte) {
        case QUOTE: {
          this.inString = true;
          const frame = this.stack[this.stack.length - 1];
          if (this.capture === null && frame?.object && frame.expectKey && frame.onPath) {
            this.begin('key', i);
          }
          break;
        }
        case OPEN_OBJECT:
        case OPEN_ARRAY: {
          const parent = this.stack[this.stack.length - 1];
          const depth = this.stack.length;
          const onPath =
            parent === undefined
              ? true
              : parent.onPath && parent.object && depth <= this.path.length
                ? parent.key === this.path[depth - 1]
                : false;
          if (
            byte === OPEN_OBJECT &&
            this.capture === null &&
            parent !== undefined &&
            !parent.object &&
            parent.onPath &&
            depth === this.path.length + 1
          ) {
            this.begin('element', i);
            this.elementDepth = depth;
          }
          this.stack.push({ object: byte === OPEN_OBJECT, onPath, key: null, expectKey: true });
          break;
        }
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          this.stack.pop();
          if (this.capture === 'element' && this.stack.length === this.elementDepth) {
            const text = this.take(chunk, i + 1);
            out.push(this.parse ? (JSON.parse(text) as Record<string, unknown>) : {});
            this.elementDepth = -1;
          }
          break;
        }
        case COMMA: {
          const frame = this.stack[this.stack.length - 1];
          if (frame?.object) frame.expectKey = true;
          break;
        }
        default:
          break;
      }
    }
    // A capture that goes on past this chunk keeps what it has so far.
    if (this.capture !== null) this.captured.push(chunk.subarray(this.captureStart));
    return out;
  }

  private begin(kind: 'key' | 'element', at: number): void {
    this.capture = kind;
    this.captured = [];
    this.captureStart = at;
  }

  /** The captured text up to `end` (exclusive) of this chunk; the capture ends. */
  private take(chunk: Buffer, end: number): string {
    const last = chunk.subarray(this.captureStart, end);
    const text =
      this.captured.length === 0
        ? last.toString('utf8')
        : Buffer.concat([...this.captured, last]).toString('utf8');
    this.capture = null;
    this.captured = [];
    return text;
  }
}
