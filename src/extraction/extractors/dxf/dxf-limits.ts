/**
 * Size limits and list caps. The file-size limit comes from DXF_MAX_FILE_MB (default 512); the caps
 * keep memory bounded on huge drawings: beyond them items are counted but not listed, with a warning.
 */
export interface DxfLimits {
  maxFileBytes: number;
  maxLayers: number;
  maxBlocks: number;
  maxTexts: number;
  maxDimensions: number;
  maxInserts: number;
  defaultMaxEntities: number;
  hardMaxEntities: number;
}

export const DEFAULT_MAX_FILE_MB = 512;

export function dxfLimits(env: NodeJS.ProcessEnv = process.env): DxfLimits {
  const raw = env.DXF_MAX_FILE_MB;
  const mb = raw !== undefined && raw.trim() !== '' ? Number(raw) : DEFAULT_MAX_FILE_MB;
  const maxFileMb = Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_FILE_MB;
  return {
    maxFileBytes: Math.floor(maxFileMb * 1024 * 1024),
    maxLayers: 20_000,
    maxBlocks: 20_000,
    maxTexts: 50_000,
    maxDimensions: 50_000,
    maxInserts: 20_000,
    defaultMaxEntities: 5_000,
    hardMaxEntities: 100_000,
  };
}
