import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../common/domain-error.js';

/** Path ids are positive integers written as plain digits ("1e3", "01x" and "-1" are rejected). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^[1-9]\d{0,15}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id)) throw new ValidationFailedError(['id must be a positive integer']);
    return id;
  }
}
