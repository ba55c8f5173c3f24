/**
 * Extractors for tests of the processing pipeline, loaded by extractor threads through
 * EXTRACTOR_OVERRIDES. The file's own text says what to do:
 *   "ok[:<label>]"        succeed at once
 *   "big:<n>"             succeed with <n> characters of padding (a result stored outside the row)
 *   "sleep:<ms>"          work for <ms> (reporting progress), then succeed
 *   "busy:<ms>"           keep the thread's CPU busy for <ms>, then succeed (bench cost)
 *   "fail:permanent"      CORRUPT_FILE (permanent)
 *   "fail:retryable"      PROVIDER_UNAVAILABLE (retryable)
 *   "hang"                spin forever on the thread (only the timeout stops it)
 *   "wait"                wait until the task's signal fires, then stop with ABORTED
 *   "crash"               throw an uncaught exception on the thread
 *   "oom"                 allocate until the thread's heap limit
 *   "spike:<mb>[:<ms>]"   allocate about <mb> MB on the thread's heap, hold it <ms>, drop it and
 *                         succeed (the heap stays committed: a bomb that did not hit the limit)
 *   "hold:<mb>[:<ms>]"    allocate a <mb> MB buffer outside the heap (as a WASM memory would),
 *                         wait <ms>, succeed; the thread keeps the buffer for good
 * Plain CommonJS so the compiled worker can require it without a TypeScript step.
 */
const { appendFileSync, readFileSync } = require('node:fs');
const { threadId } = require('node:worker_threads');

/** Shaped like the service's ExtractionError, which the pool recognises by name, code and permanence. */
class ExtractionError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'ExtractionError';
    this.code = code;
    this.permanent = code === 'CORRUPT_FILE';
  }
}

/** With TEST_EXTRACTOR_LOG set, every run leaves "start|end <file> <pid> <epoch ms>" lines there. */
const trace = (event, filename) => {
  if (process.env.TEST_EXTRACTOR_LOG)
    appendFileSync(
      process.env.TEST_EXTRACTOR_LOG,
      `${event} ${filename} ${process.pid} ${Date.now()}\n`,
    );
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Buffers "hold" left behind in this thread, like a WASM memory that never shrinks. */
const held = [];

const testExtractor = (format) => ({
  format,
  async extract({ filePath, filename, onProgress, signal }) {
    // A leading DXF comment line ("999") lets a command file pass the upload's DXF signature check.
    const command = readFileSync(filePath, 'utf8')
      .trim()
      .replace(/^999\r?\n/, '')
      .split('\n')[0]
      .trim();
    trace('start', filename);
    const startedAt = Date.now();
    const [verb, arg, extra] = command.split(':');
    switch (verb) {
      case 'sleep': {
        const total = Number(arg);
        const steps = 10;
        for (let i = 1; i <= steps; i += 1) {
          await sleep(total / steps);
          onProgress({ progress: (100 * i) / steps, message: `step ${i}` });
        }
        break;
      }
      case 'busy': {
        const until = Date.now() + Number(arg);
        while (Date.now() < until) {
          // CPU work, like a real extractor
        }
        break;
      }
      case 'fail':
        if (arg === 'permanent')
          throw new ExtractionError('CORRUPT_FILE', `test file ${filename} is corrupt`);
        throw new ExtractionError(
          'PROVIDER_UNAVAILABLE',
          `test provider unavailable for ${filename}`,
        );
      case 'wait':
        while (!signal.aborted) await sleep(10);
        throw new ExtractionError('ABORTED', `test extractor ${filename} stopped`);
      case 'hang':
        for (;;) {
          // busy: the event loop of this thread never comes back
        }
      case 'crash':
        setTimeout(() => {
          throw new Error('test extractor crashed');
        }, 0);
        await sleep(10_000);
        break;
      case 'spike': {
        // Arrays of 1 MB of small integers (8 bytes a slot), so the bytes are on the heap.
        const hog = [];
        for (let i = 0; i < Number(arg); i += 1) hog.push(new Array(131_072).fill(i));
        await sleep(Number(extra ?? 0));
        hog.length = 0;
        break;
      }
      case 'hold': {
        held.push(Buffer.alloc(Number(arg) * 1024 * 1024, 1));
        await sleep(Number(extra ?? 0));
        break;
      }
      case 'oom': {
        const hog = [];
        for (;;) hog.push(new Array(1_000_000).fill(hog.length));
      }
      default:
        break;
    }
    trace('end', filename);
    const padding = verb === 'big' ? { padding: 'x'.repeat(Number(arg)) } : {};
    // Memory tests read when the file ran and what its thread held at the end (heap + outside).
    const { heapTotal, external } = process.memoryUsage();
    const memory =
      verb === 'spike' || verb === 'hold'
        ? { startedAt, endedAt: Date.now(), heldMb: Math.round((heapTotal + external) / 1048576) }
        : {};
    return {
      source_file: filename,
      source_type: format,
      success: true,
      metadata: { command, pid: process.pid, threadId, ...padding, ...memory },
      errors: [],
      warnings: [],
    };
  },
});

const FORMATS = ['pdf', 'dxf', 'ifc', 'step', 'werk24', 'bom'];

module.exports = Object.fromEntries(FORMATS.map((f) => [f, testExtractor(f)]));

/**
 * The extractor version every format reports (result reuse matches by it): TEST_EXTRACTOR_VERSION
 * lets a test start a worker with "bumped" extractors. Unset: the registry's versions.
 */
if (process.env.TEST_EXTRACTOR_VERSION)
  module.exports.versions = Object.fromEntries(
    FORMATS.map((f) => [f, Number(process.env.TEST_EXTRACTOR_VERSION)]),
  );
