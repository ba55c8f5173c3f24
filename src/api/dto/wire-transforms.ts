/**
 * class-transformer steps for values that arrive as strings (query parameters, multipart fields).
 * An empty string counts as absent, as it did for the hand-written parsers. A value that cannot be
 * converted is passed on unchanged, so the validator refuses it and the error shows what was sent.
 */
import { Transform } from 'class-transformer';

const absent = (value: unknown) => value === undefined || value === null || value === '';

/** "12" → 12; "" → absent; "abc" stays "abc" (and fails @IsNumber/@IsInt). */
export const ToNumber = () =>
  Transform(({ value }: { value: unknown }) => {
    if (absent(value)) return undefined;
    if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
      return Number(value);
    return value;
  });

/** "true"/"false" → boolean; "" → absent; anything else stays (and fails @IsBoolean). */
export const ToBoolean = () =>
  Transform(({ value }: { value: unknown }) => {
    if (absent(value)) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    return value;
  });

/** A switch that is on only when exactly "true" (true), off for anything else. */
export const OnlyTrue = () =>
  Transform(({ value }: { value: unknown }) => value === 'true' || value === true);

/** Trimmed text; "" and blanks → absent. */
export const ToTrimmedText = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return absent(value) ? undefined : value;
    const text = value.trim();
    return text === '' ? undefined : text;
  });

/** "" → absent, anything else unchanged. */
export const EmptyAsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (absent(value) ? undefined : value));
