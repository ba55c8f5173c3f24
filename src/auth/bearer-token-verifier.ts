/** One check of a bearer token for every entry point (API guard, queue dashboard). */
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import {
  AuthUser,
  lifetimeProblem,
  subjectProblem,
  TokenClaims,
  userFromClaims,
} from './auth-user';
import { UnauthenticatedError } from './auth.errors';

@Injectable()
export class BearerTokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** The token's user; `UnauthenticatedError` (401) with the reason otherwise. */
  async verify(token: string): Promise<AuthUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims & object>(token, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthenticatedError('The bearer token is invalid or expired');
    }
    const problem =
      subjectProblem(claims) ??
      lifetimeProblem(claims, this.config.auth.maxTokenLifetimeSeconds, Date.now() / 1000);
    if (problem) throw new UnauthenticatedError(problem);
    return userFromClaims(claims);
  }
}
