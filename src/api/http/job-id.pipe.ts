import { Injectable, PipeTransform } from '@nestjs/common';
import { JobNotFoundError } from '../../extraction/jobs/job-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job id that is not a UUID cannot exist: answer 404 like any unknown job. */
@Injectable()
export class JobIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new JobNotFoundError(value);
    return value.toLowerCase();
  }
}
