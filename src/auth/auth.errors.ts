import { DomainError } from '../common/domain-error';

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'This route needs a superuser') {
    super('FORBIDDEN', message);
  }
}
