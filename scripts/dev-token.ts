/**
 * Prints a development bearer token: npm run dev-token -- <user-id> [--superuser] [--hours N]
 * Signed with JWT_SECRET (or the development default), HS256.
 */
import { JwtService } from '@nestjs/jwt';
import { DEV_JWT_SECRET } from '../src/config/environment';

const args = process.argv.slice(2);
const userId = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'dev-user';
const superuser = args.includes('--superuser');
const hoursIndex = args.indexOf('--hours');
const hours = hoursIndex >= 0 ? Number(args[hoursIndex + 1]) : 24;
const jwt = new JwtService({ secret: process.env.JWT_SECRET ?? DEV_JWT_SECRET });
console.log(
  jwt.sign(
    { sub: userId, is_superuser: superuser },
    { algorithm: 'HS256', expiresIn: `${hours}h` },
  ),
);
