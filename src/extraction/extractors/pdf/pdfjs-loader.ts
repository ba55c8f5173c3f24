/**
 * Loads the legacy (Node-compatible) build of pdf.js. It is ESM only, and this project compiles to
 * CommonJS, where TypeScript would turn `import()` into `require()`. The import is compiled by
 * `vm` with Node's default loader: a plain `new Function('return import(s)')` works from dist/ but
 * fails under Jest, whose sandbox refuses dynamic imports without --experimental-vm-modules.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

// Types only: erased at compile time, so no require() of the ESM file is emitted.
export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

type DynamicImport = (specifier: string) => Promise<unknown>;

/** A real `import()` that TypeScript's CommonJS output cannot rewrite into `require()`. */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a real ESM import(), not eval of data
const functionImport = new Function('specifier', 'return import(specifier)') as DynamicImport;

/**
 * The same import compiled by `vm` with Node's default loader. Needed under Jest, whose module
 * sandbox rejects dynamic imports unless Node runs with --experimental-vm-modules; only used
 * when the plain import is refused, because Node flags this vm option as experimental.
 */
function vmImport(specifier: string): Promise<unknown> {
  const constants = vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol };
  const loader = constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!loader)
    return Promise.reject(new Error('This Node.js cannot import ES modules from a vm sandbox'));
  const script = new vm.Script('(specifier) => import(specifier)', {
    importModuleDynamically: loader as never,
  });
  return (script.runInThisContext() as DynamicImport)(specifier);
}

async function dynamicImport(specifier: string): Promise<unknown> {
  try {
    return await functionImport(specifier);
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    if (
      !/experimental-vm-modules|DYNAMIC_IMPORT_CALLBACK_MISSING|dynamic import callback/i.test(
        message,
      )
    )
      throw err;
    return vmImport(specifier);
  }
}

/** Folder of the installed pdfjs-dist package (found through Node's resolver, not cwd). */
export const PDFJS_ROOT = path.dirname(require.resolve('pdfjs-dist/package.json'));

/** Asset folders pdf.js reads in Node: file paths with a trailing slash. */
export const PDFJS_ASSETS = {
  standardFontDataUrl: path.join(PDFJS_ROOT, 'standard_fonts') + path.sep,
  cMapUrl: path.join(PDFJS_ROOT, 'cmaps') + path.sep,
  wasmUrl: path.join(PDFJS_ROOT, 'wasm') + path.sep,
};

let loading: Promise<PdfJs> | null = null;

/** One pdf.js module per thread; the fake worker runs in-thread from node_modules. */
export function loadPdfJs(): Promise<PdfJs> {
  if (!loading) {
    const buildDir = path.join(PDFJS_ROOT, 'legacy', 'build');
    loading = dynamicImport(pathToFileURL(path.join(buildDir, 'pdf.mjs')).href).then((mod) => {
      const pdfjs = mod as PdfJs;
      pdfjs.GlobalWorkerOptions.workerSrc = pathToFileURL(
        path.join(buildDir, 'pdf.worker.mjs'),
      ).href;
      return pdfjs;
    });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
