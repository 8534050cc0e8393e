/**
 * Named errors. Each ends in `Error`, so ASL `Catch` clauses can route on the name, and each
 * client error carries the HTTP status it answers with. Errors without a status below 500
 * are never shown to callers (see the http error middleware).
 */
export class AftercareError extends Error {
  /** HTTP status for callers; 500 means "our fault", whose detail is logged, not returned. */
  readonly statusCode: number = 500;
  /** Extra, safe-to-show fields for the response body. */
  readonly details?: Record<string, unknown>;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationError extends AftercareError {
  override readonly statusCode = 400;
}

export class UnauthorizedError extends AftercareError {
  override readonly statusCode = 401;
}

export class ForbiddenError extends AftercareError {
  override readonly statusCode = 403;
}

export class NotFoundError extends AftercareError {
  override readonly statusCode = 404;
}

export class TicketNotFoundError extends NotFoundError {}

export class ConflictError extends AftercareError {
  override readonly statusCode = 409;
}

/** Another writer changed the ticket first; the caller may reload and retry. */
export class VersionConflictError extends ConflictError {}

export class PayloadTooLargeError extends AftercareError {
  override readonly statusCode = 413;
}

/** Configuration missing or invalid at start: fail fast, never serve half-configured. */
export class ConfigurationError extends AftercareError {}

/**
 * A workflow step found its human step already done (the agent acted before the task token
 * was stored). The ASL catches it by name and moves on as if the callback had come.
 */
export class StepAlreadyCompletedError extends AftercareError {}
