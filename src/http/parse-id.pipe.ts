import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../common/domain-error.js';

/** A path id as ParseIdPipe accepts it, or undefined: for guards, which run before pipes. */
export function parsedId(value: string | undefined): number | undefined {
  const id = value !== undefined && /^[1-9]\d{0,15}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}

/** Path ids are positive integers written as plain digits ("1e3", "01x" and "-1" are rejected). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = parsedId(value);
    if (id === undefined) throw new ValidationFailedError(['id must be a positive integer']);
    return id;
  }
}
