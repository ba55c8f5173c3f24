/**
 * CPU time spent by the processes of a benchmark run, read from /proc (Linux): given pids (the
 * worker, the benchmark itself) and every process of given commands (PostgreSQL backends, Redis).
 * Lets a benchmark say where the time of a file goes, not only how long it took.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcessCpu {
  command: string;
  seconds: number; // user + system, all threads
}

function sample(): Map<number, ProcessCpu> {
  const processes = new Map<number, ProcessCpu>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' '); // fields[0] is stat field 3 (state)
      processes.set(pid, {
        command: stat.slice(stat.indexOf('(') + 1, close),
        seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      });
    } catch {
      // the process ended between listing and reading
    }
  }
  return processes;
}

export type CpuGroup = { pids: number[] } | { command: string };

/** Starts measuring; `stop()` returns CPU seconds per group since then (empty without /proc). */
export function startCpuMeter(groups: Record<string, CpuGroup>): {
  stop(): Record<string, number>;
} {
  const available = existsSync('/proc/self/stat');
  const before = available ? sample() : new Map<number, ProcessCpu>();
  return {
    stop() {
      if (!available) return {};
      const after = sample();
      const totals: Record<string, number> = {};
      for (const [name, group] of Object.entries(groups)) {
        totals[name] = 0;
        for (const [pid, now] of after) {
          const member = 'pids' in group ? group.pids.includes(pid) : now.command === group.command;
          if (member) totals[name] += now.seconds - (before.get(pid)?.seconds ?? 0);
        }
      }
      return totals;
    },
  };
}
