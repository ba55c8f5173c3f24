/**
 * The frontend's preview and import calls (SEED-NOTES §1). Importing rows into tables is not
 * built yet: every route answers 501 NOT_IMPLEMENTED with a clear message.
 */
import { Controller, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../http/api-error-responses';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { NotImplementedFeatureError } from '../http/api-errors';
import { JobIdPipe } from '../http/job-id.pipe';

function importNotAvailable(): never {
  throw new NotImplementedFeatureError(
    'Importing into host tables is done by the host application; this service only extracts',
  );
}

@ApiTags('import')
@ApiBearerAuth()
@ApiErrorResponses(401, 500)
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction')
export class ImportController {
  @Post('import')
  @ApiOperation({ summary: 'Not part of this service yet: answers 501 NOT_IMPLEMENTED' })
  @ApiErrorResponses(501)
  importRows(): never {
    return importNotAvailable();
  }

  @Post('bulk/import')
  @ApiOperation({ summary: 'Not part of this service yet: answers 501 NOT_IMPLEMENTED' })
  @ApiErrorResponses(501)
  importBulkRows(): never {
    return importNotAvailable();
  }

  @Post('jobs/:id/preview')
  @ApiOperation({ summary: 'Not part of this service yet: answers 501 NOT_IMPLEMENTED' })
  @ApiErrorResponses(404, 501)
  preview(@Param('id', JobIdPipe) _id: string): never {
    return importNotAvailable();
  }

  @Post('bulk/:id/preview')
  @ApiOperation({ summary: 'Not part of this service yet: answers 501 NOT_IMPLEMENTED' })
  @ApiErrorResponses(404, 501)
  previewBulk(@Param('id', JobIdPipe) _id: string): never {
    return importNotAvailable();
  }
}
