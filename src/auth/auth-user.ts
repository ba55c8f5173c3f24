/** The caller, from a verified bearer token. */
export interface AuthUser {
  /** The token's `sub`. */
  id: string;
  isSuperuser: boolean;
}

/** Claims we read: `sub`, and `is_superuser` (the host application's name) or `superuser`. */
export interface TokenClaims {
  sub?: unknown;
  is_superuser?: unknown;
  superuser?: unknown;
}

export function userFromClaims(claims: TokenClaims): AuthUser | null {
  if (typeof claims.sub !== 'string' && typeof claims.sub !== 'number') return null;
  const id = String(claims.sub).trim();
  if (id.length === 0 || id.length > 200) return null;
  return { id, isSuperuser: claims.is_superuser === true || claims.superuser === true };
}
