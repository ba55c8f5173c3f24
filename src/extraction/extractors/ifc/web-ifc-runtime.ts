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
 * OpenModel become CORRUPT_FILE; failures inside `work` that are not ExtractionErrors are
 * rethrown after the instance is discarded when they look like a WASM abort.
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
    if (isWasmAbort(err)) discardIfcApi();
    throw new ExtractionError(
      'CORRUPT_FILE',
      `The IFC file could not be parsed: ${messageOf(err)}`,
    );
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
    if (isWasmAbort(err)) discardIfcApi();
    throw err;
  } finally {
    try {
      if (api.IsModelOpen(modelID)) api.CloseModel(modelID);
    } catch {
      discardIfcApi();
    }
  }
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
