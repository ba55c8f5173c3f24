import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ValidationFailedError } from '../http/api-errors';

/** class-validator on a plain body; a 400 VALIDATION_FAILED naming every bad field otherwise. */
export function validateBody<T extends object>(cls: new () => T, body: unknown): T {
  const instance = plainToInstance(cls, body ?? {});
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const fields = Object.fromEntries(
      errors.map((e: ValidationError) => [e.property, Object.values(e.constraints ?? {})]),
    );
    throw new ValidationFailedError(`Invalid request: ${Object.keys(fields).join(', ')}`, {
      fields,
    });
  }
  return instance;
}
