/**
 * One web-ifc IfcAPI per thread, initialised once from the WASM shipped in node_modules/web-ifc
 * (nothing downloads). Models are opened and always closed by `withModel`. If the WASM aborts the
 * instance is dropped so the next file gets a fresh one.
 */
import { dirname } from 'path';
import * as WebIFC from 'web-ifc';
import { ExtractionError } from '../extraction-error';

let apiPromise: Promise<WebIFC.IfcAPI> | null = null;

function wasmDirectory(): string {
  return `${dirname(require.resolve('web-ifc'))}/`;
}

export function getIfcApi(): Promise<WebIFC.IfcAPI> {
  if (!apiPromise) {
    apiPromise = (async () => {
      const api = new WebIFC.IfcAPI();
      api.SetWasmPath(wasmDirectory(), true);
      // single-threaded build: our own worker pool already gives parallelism
      await api.Init(undefined, true);
      api.SetLogLevel(WebIFC.LogLevel.LOG_LEVEL_OFF);
      return api;
    })().catch((err: unknown) => {
      apiPromise = null;
      throw err;
    });
  }
  return apiPromise;
}

/** Drops the shared instance (after a WASM abort its memory can no longer be trusted). */
export function discardIfcApi(): void {
  apiPromise = null;
}

/**
 * Opens `bytes` as a model, runs `work`, closes the model whatever happens. Failures inside
 * OpenModel, and WASM aborts inside `work`, become CORRUPT_FILE (FILE_TOO_LARGE when WASM ran
 * out of memory); an aborted instance is discarded.
 */
export async function withModel<T>(
  bytes: Uint8Array,
  work: (api: WebIFC.IfcAPI, modelID: number) => Promise<T> | T,
): Promise<T> {
  const api = await getIfcApi();
  let modelID = -1;
  try {
    modelID = api.OpenModel(bytes, { COORDINATE_TO_ORIGIN: false });
  } catch (err) {
    throw asExtractionError(err, 'The IFC file could not be parsed');
  }
  if (modelID < 0 || !api.IsModelOpen(modelID)) {
    throw new ExtractionError(
      'CORRUPT_FILE',
      'The IFC file could not be parsed (web-ifc rejected its content)',
    );
  }
  try {
    return await work(api, modelID);
  } catch (err) {
    // our own errors and plain JS bugs pass through; WASM failures are about this file
    if (err instanceof ExtractionError || !isWasmAbort(err)) throw err;
    throw asExtractionError(err, 'web-ifc aborted while reading the IFC file');
  } finally {
    try {
      if (api.IsModelOpen(modelID)) api.CloseModel(modelID);
    } catch {
      discardIfcApi();
    }
  }
}

/** Maps a web-ifc failure: out of WASM memory -> FILE_TOO_LARGE, anything else -> CORRUPT_FILE. */
function asExtractionError(err: unknown, what: string): ExtractionError {
  if (isWasmAbort(err)) discardIfcApi();
  const message = messageOf(err);
  if (/out of memory|OOM|Cannot enlarge memory/i.test(message)) {
    return new ExtractionError(
      'FILE_TOO_LARGE',
      `The IFC model does not fit in web-ifc's memory (${message})`,
    );
  }
  return new ExtractionError('CORRUPT_FILE', `${what}: ${message}`);
}

function isWasmAbort(err: unknown): boolean {
  // WebAssembly.RuntimeError (our lib settings do not declare the WebAssembly namespace)
  return (
    err instanceof Error &&
    (err.name === 'RuntimeError' || /abort|unreachable|memory access/i.test(err.message))
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
