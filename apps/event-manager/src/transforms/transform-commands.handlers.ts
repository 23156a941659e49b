import {
  CreateTransformCommand,
  decodeCursor,
  DomainError,
  EventRoutingMessageTypes as Types,
  PageQuery,
  PreviewTransformCommand,
  toPage,
  TransformNameQuery,
  type TransformPreviewView,
  type TransformView,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { BUDGET_EXCEEDED } from '@baton/tenant-code';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { compileOrReject, ExpressionFailure } from '../routing/jsonata-expression';
import type { TransformEntity } from '../routing/transform.entity';
import { TransformsRepository } from '../routing/transforms.repository';

@Injectable()
export class TransformCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly transforms: TransformsRepository,
    private readonly uow: UnitOfWork,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(Types.transformCreate, CreateTransformCommand, async (command, envelope) => {
        compileOrReject(command.expression, 'expression');
        const result = await this.uow.run(async (tx) => {
          tx.audit({ action: 'transform.put', target: `transform/${command.name}` });
          return this.transforms.upsert(
            envelope.workspaceid,
            command.name,
            command.expression,
            command.description ?? null,
            tx.manager,
          );
        });
        return { created: result.created, transform: toTransformView(result.transform) };
      })
      .handle(Types.transformList, PageQuery, async (query, envelope) => {
        const limit = query.limit ?? 50;
        const rows = await this.transforms.list(
          envelope.workspaceid,
          decodeCursor(query.cursor),
          limit + 1,
        );
        return toPage(rows, limit, toTransformView, (row) => row.name);
      })
      .handle(Types.transformGet, TransformNameQuery, async (query, envelope) =>
        toTransformView(await this.require(envelope.workspaceid, query.name)),
      )
      .handle(Types.transformPreview, PreviewTransformCommand, async (command, envelope) =>
        this.preview(await this.require(envelope.workspaceid, command.name), command.event),
      );
  }

  /** The result, or the evaluation error with where in the expression it happened. */
  private async preview(
    transform: TransformEntity,
    event: Record<string, unknown>,
  ): Promise<TransformPreviewView> {
    const compiled = compileOrReject(transform.expression, 'expression');
    try {
      const result = await compiled.evaluate(event);
      return result === undefined
        ? { ok: false, error: { message: 'the transform produced no value for this event' } }
        : { ok: true, result };
    } catch (error) {
      if (!(error instanceof ExpressionFailure)) throw error;
      // A spent budget is about the expression, not this sample event: a 422 naming the field.
      if (error.code === BUDGET_EXCEEDED) throw DomainError.invalid('expression', error.reason);
      return {
        ok: false,
        error: {
          message: error.reason,
          ...(error.code ? { code: error.code } : {}),
          ...(error.at ?? {}),
        },
      };
    }
  }

  private async require(workspaceId: string, name: string): Promise<TransformEntity> {
    const transform = await this.transforms.find(workspaceId, name);
    if (!transform) throw DomainError.notFound('transform', name);
    return transform;
  }
}

export function toTransformView(transform: TransformEntity): TransformView {
  return {
    name: transform.name,
    expression: transform.expression,
    description: transform.description,
    created_at: transform.createdAt.toISOString(),
    updated_at: transform.updatedAt.toISOString(),
  };
}
