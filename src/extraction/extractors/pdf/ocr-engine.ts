/**
 * OCR with tesseract.js, fully offline: language data from node_modules/@tesseract.js-data/<lang>
 * (gzipped LSTM "best_int" models), worker script and WASM core from node_modules, cache writes
 * disabled. One worker per extraction call, created on the first OCR'd page and terminated at the
 * end; every recognition runs under a timeout, after which the worker is killed and replaced.
 * Pages are segmented as sparse text (PSM 11): drawings scatter short labels over the sheet, and
 * the default full-page layout analysis misses most of them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExtractionError } from '../extraction-error';

export interface OcrWord {
  text: string;
  /** Pixel box in the rendered image. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** 0..1 */
  confidence: number;
  /** Index of the text line tesseract put the word in (unique within one recognition). */
  line: number;
}

export const OCR_TIMEOUT_MS = Number(process.env.PDF_OCR_TIMEOUT_MS ?? 120_000);
const MODEL_FOLDER = '4.0.0_best_int';
/** Em and en dashes that OCR reads for the hyphens of drawing numbers and feet-inch callouts. */
const normaliseDashes = (text: string): string => text.replace(/[\u2013\u2014]/g, '-');

function dataRoot(): string | null {
  try {
    return path.dirname(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')));
  } catch {
    return null;
  }
}

/** Languages whose traineddata is installed under node_modules/@tesseract.js-data. */
export function installedOcrLanguages(): string[] {
  const root = dataRoot();
  if (!root || !fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((lang) => fs.existsSync(path.join(root, lang, MODEL_FOLDER, `${lang}.traineddata.gz`)))
    .sort();
}

/** Refuses languages that are not installed, listing those that are. */
export function assertOcrLanguage(language: string): void {
  const installed = installedOcrLanguages();
  const missing = language.split('+').filter((l) => !installed.includes(l));
  if (missing.length > 0) {
    throw new ExtractionError(
      'INVALID_OPTIONS',
      `OCR language "${missing.join('+')}" is not installed; installed: ${installed.join(', ') || 'none'}`,
    );
  }
}

type TesseractWorker = Awaited<ReturnType<typeof import('tesseract.js').createWorker>>;

export class OcrEngine {
  private worker: Promise<TesseractWorker> | null = null;
  private readonly tmpDirs: string[] = [];

  /** `pageMode`: tesseract's page segmentation mode; sparse text (11) unless a bench compares. */
  constructor(
    private readonly language: string,
    private readonly timeoutMs = OCR_TIMEOUT_MS,
    private readonly pageMode: '3' | '11' = '11',
  ) {}

  private start(): Promise<TesseractWorker> {
    if (!this.worker) {
      const languages = this.language.split('+');
      const root = dataRoot() as string;
      // Every language lives in its own package folder; tesseract.js takes one langPath, so
      // multi-language runs need the languages side by side: use the first one's folder when
      // only one is asked for (the usual case), else a tmp folder of symlinks.
      let langPath = path.join(root, languages[0], MODEL_FOLDER);
      if (languages.length > 1) {
        langPath = fs.mkdtempSync(path.join(os.tmpdir(), 'pdf-ocr-lang-'));
        this.tmpDirs.push(langPath);
        for (const l of languages) {
          fs.symlinkSync(
            path.join(root, l, MODEL_FOLDER, `${l}.traineddata.gz`),
            path.join(langPath, `${l}.traineddata.gz`),
          );
        }
      }
      const cachePath = fs.mkdtempSync(path.join(os.tmpdir(), 'pdf-ocr-cache-'));
      this.tmpDirs.push(cachePath);
      const workerPath = require.resolve('tesseract.js/src/worker-script/node/index.js');
      const tesseract = require('tesseract.js') as typeof import('tesseract.js');
      this.worker = tesseract
        .createWorker(languages, tesseract.OEM.LSTM_ONLY, {
          langPath,
          gzip: true,
          cachePath,
          cacheMethod: 'none',
          workerPath,
          logger: () => undefined,
          errorHandler: () => undefined,
        })
        .then(async (worker) => {
          // PSM 11 (sparse text): as much text as possible, in no particular order.
          await worker
            .setParameters({ tessedit_pageseg_mode: this.pageMode as import('tesseract.js').PSM })
            .catch(async (err: unknown) => {
              await worker.terminate();
              throw err;
            });
          return worker;
        });
      this.worker.catch(() => {
        this.worker = null;
      });
    }
    return this.worker;
  }

  /**
   * Recognises a PNG image. The timeout covers worker start-up (loading the model) and
   * recognition; on timeout or abort the worker is discarded and the next call starts afresh.
   */
  async recognize(png: Buffer, signal: AbortSignal): Promise<OcrWord[]> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ExtractionError('TIMEOUT', `OCR took longer than ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      onAbort = () =>
        reject(new ExtractionError('ABORTED', 'Extraction was aborted', { permanent: false }));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      if (signal.aborted)
        throw new ExtractionError('ABORTED', 'Extraction was aborted', { permanent: false });
      const worker = await Promise.race([this.start(), stop]);
      const result = await Promise.race([
        worker.recognize(png, {}, { blocks: true, text: false }),
        stop,
      ]);
      const words: OcrWord[] = [];
      let lineIndex = 0;
      for (const block of result.data.blocks ?? []) {
        for (const para of block.paragraphs) {
          for (const line of para.lines) {
            for (const w of line.words) {
              if (!w.text.trim()) continue;
              words.push({
                text: normaliseDashes(w.text),
                ...w.bbox,
                confidence: Math.max(0, Math.min(1, w.confidence / 100)),
                line: lineIndex,
              });
            }
            lineIndex++;
          }
        }
      }
      return words;
    } catch (err) {
      await this.terminate(); // A timed-out or aborted worker may still be busy: never reuse it.
      throw err;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  async terminate(): Promise<void> {
    const pending = this.worker;
    this.worker = null;
    if (pending) {
      // A worker still starting cannot be reached yet: kill it whenever it comes up, and wait
      // only a bounded time for that so terminate() itself never hangs.
      const killed = pending.then((w) => w.terminate()).catch(() => undefined);
      await Promise.race([killed, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    }
    for (const dir of this.tmpDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}
