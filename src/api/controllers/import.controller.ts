/**
 * The frontend's preview and import calls (SEED-NOTES §1). Importing rows into tables is not
 * built yet: every route answers 501 NOT_IMPLEMENTED with a clear message.
 */
import { Controller, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction')
export class ImportController {
  @Post('import')
  @ApiOperation({ summary: 'Not part of this service yet: answers 501 NOT_IMPLEMENTED' })
  importRows(): never {
    return importNotAvailable();
  }

  @Post('bulk/import')
  @ApiOperation({ summary: 'Not part of this service yet: answers 501 NOT_IMPLEMENTED' })
  importBulkRows(): never {
    return importNotAvailable();
  }

  @Post('jobs/:id/preview')
  @ApiOperation({ summary: 'Not part of this service yet: answers 501 NOT_IMPLEMENTED' })
  preview(@Param('id', JobIdPipe) _id: string): never {
    return importNotAvailable();
  }

  @Post('bulk/:id/preview')
  @ApiOperation({ summary: 'Not part of this service yet: answers 501 NOT_IMPLEMENTED' })
  previewBulk(@Param('id', JobIdPipe) _id: string): never {
    return importNotAvailable();
  }
}
