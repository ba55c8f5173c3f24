/**
 * Starts the built service (dist/src/main.js) as a child process, as production runs it, and
 * stops it with a signal. Used by the processing suites and the benchmark.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const MAX_OUTPUT_CHARS = 1_000_000;
const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface ServiceProcess {
  proc: ChildProcess;
  pid: number;
  port: number;
  output(): string;
  /** Sends the signal and waits for the exit; returns the exit code, or the signal that ended it. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

export async function startServiceProcess(
  env: Record<string, string>,
  readyTimeoutMs = 60_000,
): Promise<ServiceProcess> {
  const nodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof for profiling
  const proc = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', LOG_FORMAT: 'text', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep the latest output only (a busy worker logs a line per file), in chunks: appending to one
  // long string would copy it on every chunk.
  const chunks: string[] = [];
  let kept = 0;
  const output = () => {
    const text = chunks.join('');
    chunks.splice(0, chunks.length, text.slice(-MAX_OUTPUT_CHARS));
    kept = chunks[0].length;
    return chunks[0];
  };
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`service did not start in time:\n${output()}`)),
      readyTimeoutMs,
    );
    let ready = false;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk.toString());
      kept += chunks[chunks.length - 1].length;
      if (kept > 2 * MAX_OUTPUT_CHARS) output();
      if (ready) return;
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output());
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before starting:\n${output()}`));
    });
  });
  return {
    proc,
    pid: proc.pid!,
    port,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}
