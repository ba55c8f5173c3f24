/**
 * Suites that need an input from outside the repository (the shared corpus, the build): they run
 * when it is there, skip with a message on a developer's machine when it is not, and fail under
 * CI=true, where a missing input must never pass as a green run.
 */
import { existsSync } from 'node:fs';

export function describeWithInput(path: string, what: string): jest.Describe {
  if (existsSync(path)) return describe;
  const message = `${what}: ${path} is absent`;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    const failing = (name: string) =>
      describe(name, () => {
        it('has its input', () => {
          throw new Error(`${message} (CI=true: a missing input fails the run)`);
        });
      });
    return failing as unknown as jest.Describe;
  }
  console.warn(`skipping ${message}`);
  return describe.skip;
}
