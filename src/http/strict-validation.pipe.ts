import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { assertBodyShape, maxMembersOf } from '../common/body-shape.js';
import { ValidationFailedError } from '../common/domain-error.js';

/**
 * Strict by contract: unknown fields are rejected, and no implicit conversion happens,
 * so a number sent as a string fails instead of being coerced. The shape of a body or query is
 * checked first, so that validation only ever sees input of bounded size.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const expectsObject = metadata.type === 'body' && this.toValidate(metadata);
    if (expectsObject && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new ValidationFailedError(['The request body must be a JSON object.']);
    }
    if (metadata.type === 'body') assertBodyShape(value, 'the request body', maxMembersOf(metadata.metatype));
    if (metadata.type === 'query') assertBodyShape(value, 'the query string', maxMembersOf(metadata.metatype));
    return super.transform(value, metadata);
  }

  /** Path and query strings stay strings here; dedicated pipes parse them strictly. */
  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }

  override createExceptionFactory() {
    return (errors: ValidationError[] = []) =>
      new ValidationFailedError(this.flattenValidationErrors(errors.map(reportWrongTypeAlone)));
  }
}

const TYPE_CONSTRAINTS = new Set(['isInt', 'isString', 'isArray', 'isPrice', 'isZonedIsoDateTime']);

/** A value of the wrong type gets one message saying so, not every range rule it also fails. */
function reportWrongTypeAlone(error: ValidationError): ValidationError {
  const constraints = error.constraints ?? {};
  const typeFailures = Object.entries(constraints).filter(([name]) => TYPE_CONSTRAINTS.has(name));
  return {
    ...error,
    constraints: typeFailures.length > 0 ? Object.fromEntries(typeFailures) : error.constraints,
    children: error.children?.map(reportWrongTypeAlone),
  };
}
