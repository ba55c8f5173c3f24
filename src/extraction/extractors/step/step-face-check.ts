/**
 * Guards against silent data loss: OpenCASCADE skips a face it cannot read and still returns the
 * solid (open, so its volume is wrong). The file's own count of face definitions (ADVANCED_FACE,
 * FACE_SURFACE) is compared with the faces the kernel tessellated, counted once per distinct part
 * (the text counts definitions, the tree holds occurrences). Occurrences of one part share name,
 * face count and mass properties; two bodies of one multi-body part differ in those.
 */
import { walkParts } from './step-assembly';
import { StepAssembly } from './step-types';

const FACE_ENTITIES = ['ADVANCED_FACE', 'FACE_SURFACE'];

/** Adds a warning when the kernel read fewer faces than the file defines; returns the counts. */
export function checkFaceCount(
  tree: StepAssembly,
  entityCounts: Record<string, number>,
  warnings: string[],
): { file: number; kernel: number } {
  const file = FACE_ENTITIES.reduce((n, t) => n + (entityCounts[t] ?? 0), 0);
  const perPart = new Map<string, number>();
  const digits = (v: number | null) => (v === null ? '' : v.toPrecision(6));
  walkParts(tree.parts, (p) => {
    if (p.shape_type !== 'solid') return;
    const key = [p.name, p.num_faces, digits(p.volume), digits(p.surface_area)].join('\u0000');
    if (!perPart.has(key)) perPart.set(key, p.num_faces);
  });
  const kernel = [...perPart.values()].reduce((a, b) => a + b, 0);
  if (file > 0 && kernel < file) {
    const lost = file - kernel;
    warnings.push(
      `The geometry kernel read ${kernel} of the ${file} faces the file defines (ADVANCED_FACE/FACE_SURFACE): ${lost} face${lost === 1 ? ' was' : 's were'} lost (damaged or unreadable geometry), so volumes and areas of the affected parts are not reliable`,
    );
  }
  return { file, kernel };
}
