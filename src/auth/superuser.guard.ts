import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthUser } from './auth-user';
import { ForbiddenError, UnauthenticatedError } from './auth.errors';

/** Admin routes: after JwtAuthGuard, the caller must be a superuser (403 otherwise). */
@Injectable()
export class SuperuserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) throw new UnauthenticatedError();
    if (!user.isSuperuser) throw new ForbiddenError();
    return true;
  }
}
