/** Bull Board for operators at /admin/queues, superuser only (API role). */
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BearerTokenVerifier } from '../auth/bearer-token-verifier';
import { EXTRACTION_QUEUE } from '../queue/extraction-queue.constants';
import { QueueModule } from '../queue/queue.module';
import { superuserTokenMiddleware } from './superuser-token.middleware';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

@Module({
  imports: [
    QueueModule,
    BullBoardModule.forRootAsync({
      imports: [AuthModule],
      inject: [BearerTokenVerifier],
      useFactory: (tokens: BearerTokenVerifier) => ({
        route: QUEUE_DASHBOARD_PATH,
        adapter: ExpressAdapter,
        middleware: superuserTokenMiddleware(tokens, QUEUE_DASHBOARD_PATH),
      }),
    }),
    BullBoardModule.forFeature({ name: EXTRACTION_QUEUE, adapter: BullAdapter }),
  ],
})
export class QueueDashboardModule {}
