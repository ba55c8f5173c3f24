/**
 * occt-import-js (OpenCASCADE compiled to WASM, LGPL-2.1, used unmodified) loaded once per
 * thread from node_modules, so nothing is downloaded at run time.
 */
import { dirname, join } from 'path';

/** The parts of occt-import-js' JSON answer we read. */
export interface OcctMesh {
  name?: string;
  color?: [number, number, number];
  brep_faces: { first: number; last: number; color: [number, number, number] | null }[];
  attributes: { position: { array: ArrayLike<number> }; normal?: { array: ArrayLike<number> } };
  index: { array: ArrayLike<number> };
}

export interface OcctNode {
  name: string;
  meshes: number[];
  children: OcctNode[];
}

export interface OcctResult {
  success: boolean;
  root?: OcctNode;
  meshes?: OcctMesh[];
}

export type OcctLinearUnit = 'millimeter' | 'centimeter' | 'meter' | 'inch' | 'foot';

/** Tessellation tolerances; occt-import-js' defaults apply to what is left out. */
export interface OcctTessellation {
  linearDeflectionType?: 'bounding_box_ratio' | 'absolute_value';
  linearDeflection?: number;
  angularDeflection?: number;
}

interface OcctModule {
  ReadStepFile(content: Uint8Array, params: Record<string, unknown> | null): OcctResult;
}

type OcctFactory = (moduleArg?: Record<string, unknown>) => Promise<OcctModule>;

let occtPromise: Promise<OcctModule> | null = null;

function loadOcct(): Promise<OcctModule> {
  if (!occtPromise) {
    const entry = require.resolve('occt-import-js');
    const wasmDir = dirname(entry);

    const factory = require('occt-import-js') as OcctFactory;
    occtPromise = factory({
      locateFile: (file: string) => join(wasmDir, file),
      // OpenCASCADE prints parse errors itself; we report them through our own messages.
      print: () => undefined,
      printErr: () => undefined,
    }).catch((err: unknown) => {
      occtPromise = null;
      throw err;
    });
  }
  return occtPromise;
}

/**
 * Reads STEP bytes into the product tree and tessellated meshes. A WASM abort leaves the module
 * unusable, so it is dropped and the next call loads a fresh one.
 */
export async function readStepGeometry(
  bytes: Uint8Array,
  linearUnit: OcctLinearUnit,
  tessellation: OcctTessellation = {},
): Promise<OcctResult> {
  const occt = await loadOcct();
  try {
    return occt.ReadStepFile(bytes, { linearUnit, ...tessellation });
  } catch (err) {
    occtPromise = null;
    throw err;
  }
}

/** Maps a file's length unit symbol to the output unit occt can produce (mm otherwise). */
export function occtUnitFor(symbol: string | null | undefined): {
  unit: OcctLinearUnit;
  symbol: string;
} {
  switch (symbol) {
    case 'cm':
      return { unit: 'centimeter', symbol: 'cm' };
    case 'm':
      return { unit: 'meter', symbol: 'm' };
    case 'in':
      return { unit: 'inch', symbol: 'in' };
    case 'ft':
      return { unit: 'foot', symbol: 'ft' };
    default:
      return { unit: 'millimeter', symbol: 'mm' };
  }
}
