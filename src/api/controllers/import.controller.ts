import { Controller, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JwtAuthGuard } from '../../auth/jwt-auth.guard';
import { JobResultService } from '../services/job-result.service';

/** The frontend's import call: rows into host tables belong to the host application (501). */
@ApiTags('import')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('api/v1/extraction')
export class ImportController {
  constructor(private readonly results: JobResultService) {}

  @Post('import')
  @ApiOperation({ summary: 'Not part of this service: answers 501 NOT_IMPLEMENTED' })
  importRows(): never {
    return this.results.importNotAvailable();
  }
}
