/** The caller, from a verified bearer token. */
export interface AuthUser {
  /** The token's `sub`, verbatim: it is the owner id of everything the caller creates. */
  id: string;
  isSuperuser: boolean;
  /** When the token expires (epoch ms): long-lived answers (event streams) end then. */
  expiresAt?: number;
}

/** Claims we read: `sub`, `exp`, `iat`, and `is_superuser` (the host application's name) or `superuser`. */
export interface TokenClaims {
  sub?: unknown;
  exp?: unknown;
  iat?: unknown;
  is_superuser?: unknown;
  superuser?: unknown;
}

/**
 * A subject is used verbatim as an owner id, so it must be one unambiguous string: 1–200
 * characters, no control characters, no surrounding white space (`" alice "` is refused, not
 * trimmed into `alice`'s jobs).
 */
const SUBJECT = /^[^\s\p{C}](?:[^\p{C}]{0,198}[^\s\p{C}])?$/u;

/** Why `claims` cannot name a user, or `undefined` when they can. */
export function subjectProblem(claims: TokenClaims): string | undefined {
  const sub = typeof claims.sub === 'number' ? String(claims.sub) : claims.sub;
  if (typeof sub !== 'string' || sub.length === 0) return 'The bearer token has no subject';
  if (!SUBJECT.test(sub)) {
    return 'The bearer token subject must be 1-200 characters without control characters or surrounding spaces';
  }
  return undefined;
}

/**
 * Why the token's lifetime is refused, or `undefined`. The signature check has already refused an
 * `exp` in the past; this requires one, and at most `maxLifetimeSeconds` after issue (or after now
 * when `iat` is absent or in the future), so a leaked token cannot be valid for years.
 */
export function lifetimeProblem(
  claims: TokenClaims,
  maxLifetimeSeconds: number,
  nowSeconds: number,
): string | undefined {
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
    return 'The bearer token has no expiry (exp)';
  }
  const issuedAt = typeof claims.iat === 'number' ? Math.min(claims.iat, nowSeconds) : nowSeconds;
  if (claims.exp - issuedAt > maxLifetimeSeconds) {
    return `The bearer token is valid for longer than the allowed ${maxLifetimeSeconds} seconds`;
  }
  return undefined;
}

export function userFromClaims(claims: TokenClaims): AuthUser {
  return {
    id: String(claims.sub),
    isSuperuser: claims.is_superuser === true || claims.superuser === true,
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}),
  };
}
