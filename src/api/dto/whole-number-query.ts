/**
 * An optional whole-number query parameter from 1 to a maximum (pages and page sizes): documented,
 * converted from its string and validated with one message that names the parameter and its range.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToNumber } from './wire-transforms';

export function WholeNumberQuery(name: string, max: number, defaultValue: number) {
  const message = `"${name}" must be a whole number from 1 to ${max}`;
  // Bottom-up, the order in which the same decorators stacked on a property apply (so the
  // validation errors come in the order they did before).
  return applyDecorators(
    Max(max, { message }),
    Min(1, { message }),
    IsInt({ message }),
    IsOptional(),
    ToNumber(),
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: max,
      default: defaultValue,
      example: defaultValue,
    }),
  );
}
