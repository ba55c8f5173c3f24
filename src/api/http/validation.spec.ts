import { DomainError } from '../../common/domain-error';
import { CleanupJobsQuery } from '../dto/admin-jobs.query';
import { CreateJobFromStorageDto } from '../dto/create-job-from-storage.dto';
import { CreateBulkUploadDto, CreateJobUploadDto } from '../dto/create-job-upload.dto';
import { ListJobsQuery } from '../dto/list-jobs.query';
import { apiValidationPipe, validateDto } from './validation';

const query = (cls: new () => object, value: Record<string, string>) =>
  apiValidationPipe().transform(value, { type: 'query', metatype: cls });

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('the validation of the HTTP edge', () => {
  it('turns query strings into typed values, empty strings into absent ones', async () => {
    await expect(
      query(ListJobsQuery, { page: '2', page_size: '50', status: 'failed', format: '' }),
    ).resolves.toEqual({ page: 2, page_size: 50, status: 'failed', format: undefined });
    await expect(
      query(CleanupJobsQuery, { older_than_days: '0', dry_run: 'yes' }),
    ).resolves.toMatchObject({ older_than_days: 0, dry_run: false });
  });

  it.each([
    [{ page_size: '101' }, 'page_size', 101, '"page_size" must be a whole number from 1 to 100'],
    [{ page: '1.5' }, 'page', 1.5, '"page" must be a whole number from 1 to 1000000'],
    [{ page: 'abc' }, 'page', 'abc', '"page" must be a whole number from 1 to 1000000'],
    [{ status: 'done' }, 'status', 'done', '"status" must be one of pending'],
    [{ format: 'dwg' }, 'format', 'dwg', 'Field "format" must be one of pdf'],
  ])('refuses %j as VALIDATION_FAILED naming the field', async (value, field, sent, message) => {
    const error = await refusal(query(ListJobsQuery, value));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(message);
    expect(error.details).toMatchObject({
      field,
      value: sent,
      fields: { [field]: [expect.any(String)] },
    });
  });

  it('reads multipart booleans as "true"/"false" only, and ignores option fields', async () => {
    await expect(
      validateDto(CreateBulkUploadDto, { continue_on_error: 'false', extract_layers: 'true' }),
    ).resolves.toEqual({ continue_on_error: false });
    const error = await refusal(validateDto(CreateBulkUploadDto, { auto_detect_format: 'yes' }));
    expect(error.details).toMatchObject({ field: 'auto_detect_format', value: 'yes' });
    await expect(
      validateDto(CreateJobUploadDto, { format: 'dxf', target_table_id: '  tbl-7 ' }),
    ).resolves.toEqual({ format: 'dxf', target_table_id: 'tbl-7' });
  });

  it('refuses unknown properties of a JSON body in strict mode', async () => {
    const error = await refusal(
      validateDto(
        CreateJobFromStorageDto,
        { file_url: 'local://a/b.dxf', owner: 'x' },
        { strict: true },
      ),
    );
    expect(error.details).toMatchObject({ field: 'owner' });
    await expect(
      validateDto(CreateJobFromStorageDto, { file_url: 'local://a/b.dxf' }, { strict: true }),
    ).resolves.toEqual({ file_url: 'local://a/b.dxf' });
  });
});
