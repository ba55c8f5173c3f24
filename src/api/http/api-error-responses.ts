/**
 * Documents error answers: each status refers to the ErrorBody schema and lists the codes that
 * map to it (taken from the filter's table, so the document cannot drift from it).
 */
import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from '../dto/error-body.response';
import { STATUS_BY_CODE } from './http-error.filter';

/** Codes the filter produces outside the table. */
const EXTRA_CODES: Record<number, string[]> = {
  404: ['ROUTE_NOT_FOUND'],
  500: ['INTERNAL_ERROR'],
};

function codesFor(status: number): string[] {
  const mapped = Object.entries(STATUS_BY_CODE)
    .filter(([, s]) => s === status)
    .map(([code]) => code);
  return [...mapped, ...(EXTRA_CODES[status] ?? [])];
}

export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: `Error body; code ${codesFor(status).join(' | ') || '(any)'}`,
        type: ErrorBody,
      }),
    ),
  );
}
