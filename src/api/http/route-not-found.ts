import { NotFoundException } from '@nestjs/common';
import type { Request } from 'express';

export const ROUTE_NOT_FOUND = (req: Request) =>
  new NotFoundException(`Cannot ${req.method} ${req.path}`);
