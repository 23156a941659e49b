import { Module } from '@nestjs/common';
import { HeldWorkRepository } from './held-work.repository';

/** Its own module so the interpreter (RunsModule) can hold work without importing run operations. */
@Module({ providers: [HeldWorkRepository], exports: [HeldWorkRepository] })
export class HeldWorkModule {}
