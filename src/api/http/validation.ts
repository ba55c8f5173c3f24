/**
 * The one validation of the HTTP edge: class-validator DTOs through Nest's ValidationPipe (global
 * for query and JSON bodies; called directly for multipart fields, which arrive only once the
 * upload is parsed). Errors become the usual 400 VALIDATION_FAILED body: `details.field` and
 * `details.value` name the first bad field (as the hand-written parsers did), `details.fields`
 * lists every bad field with its messages.
 */
import {
  ArgumentMetadata,
  ValidationError,
  ValidationPipe,
  ValidationPipeOptions,
} from '@nestjs/common';
import { ValidationFailedError } from './api-errors';

/**
 * Deepest nesting of objects and arrays accepted in a request body. class-transformer and
 * class-validator recurse once per level: a few thousand levels overflow the stack (a 500).
 */
export const MAX_BODY_DEPTH = 32;

/** Depth of nested objects/arrays, counted without recursion; stops once past `limit`. */
export function nestingDepthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** The ValidationPipe, refusing bodies nested deeper than MAX_BODY_DEPTH before transforming. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (nestingDepthExceeds(value, MAX_BODY_DEPTH)) {
      throw new ValidationFailedError(
        `The request ${metadata.type} is nested deeper than ${MAX_BODY_DEPTH} levels`,
        { max_depth: MAX_BODY_DEPTH },
      );
    }
    return super.transform(value, metadata);
  }
}

function flatten(
  errors: ValidationError[],
  prefix = '',
): { path: string; error: ValidationError }[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return [
      ...(error.constraints ? [{ path, error }] : []),
      ...flatten(error.children ?? [], path),
    ];
  });
}

export function validationFailed(errors: ValidationError[]): ValidationFailedError {
  const flat = flatten(errors);
  // Several rules of a field may share one message ("a whole number from 1 to 100"): say it once.
  const messagesOf = (error: ValidationError) => [
    ...new Set(Object.values(error.constraints ?? {})),
  ];
  const messages = [...new Set(flat.flatMap(({ error }) => messagesOf(error)))];
  const first = flat[0];
  return new ValidationFailedError(messages.join('; ') || 'Invalid request', {
    ...(first ? { field: first.path, value: first.error.value } : {}),
    fields: Object.fromEntries(flat.map(({ path, error }) => [path, messagesOf(error)])),
  });
}

const OPTIONS: ValidationPipeOptions = {
  transform: true,
  // Unknown query parameters and multipart fields are ignored (multipart carries the format's
  // options too, read by format-options.ts); JSON bodies refuse them (see validateDto).
  whitelist: true,
  forbidNonWhitelisted: false,
  exceptionFactory: validationFailed,
};

/** The global pipe (bootstrap.ts). */
export function apiValidationPipe(): ValidationPipe {
  return new ApiValidationPipe(OPTIONS);
}

const strictPipe = new ApiValidationPipe({ ...OPTIONS, forbidNonWhitelisted: true });
const lenientPipe = apiValidationPipe();

/**
 * Validates a plain object (parsed multipart fields, a JSON body read by hand) against a DTO with
 * the global pipe's rules; `strict` refuses properties the DTO does not declare.
 */
export async function validateDto<T extends object>(
  cls: new () => T,
  plain: unknown,
  opts: { strict?: boolean } = {},
): Promise<T> {
  const pipe = opts.strict ? strictPipe : lenientPipe;
  return (await pipe.transform(plain ?? {}, { type: 'body', metatype: cls })) as T;
}
