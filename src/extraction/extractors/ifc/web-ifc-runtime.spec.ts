import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { writeIfc4Sample } from '../../../../test/fixtures/ifc/sample-building';
import { ExtractionError } from '../extraction-error';
import { getIfcApi, withModel } from './web-ifc-runtime';

function wasmError(message: string): Error {
  const err = new Error(message);
  err.name = 'RuntimeError'; // what WebAssembly traps throw
  return err;
}

describe('withModel', () => {
  let dir: string;
  let bytes: Uint8Array;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'web-ifc-runtime-'));
    bytes = new Uint8Array(readFileSync(writeIfc4Sample(dir)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns a WASM trap while reading into CORRUPT_FILE and starts a fresh instance next time', async () => {
    const before = await getIfcApi();
    await expect(
      withModel(bytes, () => {
        throw wasmError('unreachable');
      }),
    ).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      message: 'web-ifc aborted while reading the IFC file: unreachable',
    });
    const after = await getIfcApi();
    expect(after).not.toBe(before);
    await expect(withModel(bytes, (api, id) => api.GetModelSchema(id))).resolves.toBe('IFC4');
  });

  it('reports WASM running out of memory as FILE_TOO_LARGE', async () => {
    await expect(
      withModel(bytes, () => {
        throw wasmError('Cannot enlarge memory arrays');
      }),
    ).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('passes our own errors and plain bugs through unchanged, and closes the model', async () => {
    const own = new ExtractionError('ABORTED', 'stop');
    await expect(
      withModel(bytes, () => {
        throw own;
      }),
    ).rejects.toBe(own);
    let openedId = -1;
    await expect(
      withModel(bytes, (_api, id) => {
        openedId = id;
        throw new TypeError('bug');
      }),
    ).rejects.toThrow(TypeError);
    expect((await getIfcApi()).IsModelOpen(openedId)).toBe(false);
  });
});
