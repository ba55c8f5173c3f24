import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../config/app-config';
import { BearerTokenVerifier } from './bearer-token-verifier';
import { JwtAuthGuard } from './jwt-auth.guard';
import { SuperuserGuard } from './superuser.guard';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [BearerTokenVerifier, JwtAuthGuard, SuperuserGuard],
  exports: [JwtModule, BearerTokenVerifier, JwtAuthGuard, SuperuserGuard],
})
export class AuthModule {}
