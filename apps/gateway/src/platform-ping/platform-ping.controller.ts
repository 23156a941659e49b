import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';
import { pingAll, type PlatformPingView, type ServicePing } from './platform-ping';

class ServicePingDoc implements ServicePing {
  @ApiProperty({ example: 'workflow-engine' }) service!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ description: 'from the gateway sending the ping to its answer' })
  round_trip_ms!: number;
  @ApiProperty({ required: false, example: 'no answer within 3000 ms' }) error?: string;
}

class PlatformPingDoc implements PlatformPingView {
  @ApiProperty({ description: 'true when every service answered' }) ok!: boolean;
  @ApiProperty({ description: 'until the slowest answer (they are asked at once)' })
  round_trip_ms!: number;
  @ApiProperty({ type: [ServicePingDoc] }) services!: ServicePingDoc[];
}

@ApiTags('platform')
@ApiBearerAuth()
@Controller('v1/platform')
export class PlatformPingController {
  constructor(private readonly platform: PlatformClient) {}

  /**
   * A no-op request/reply through each service behind the gateway, in
   * parallel: which of them answer over Kafka right now, and how fast.
   */
  @Get('ping')
  @ApiOkResponse({ type: PlatformPingDoc, description: 'every service answered' })
  @ApiResponse({ status: 503, type: PlatformPingDoc, description: 'some service did not answer' })
  async ping(
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PlatformPingView> {
    const view = await pingAll((topic, type, timeoutMs) =>
      this.platform.send(topic, type, { from: 'gateway' }, caller, undefined, timeoutMs),
    );
    if (!view.ok) response.status(503);
    return view;
  }
}
