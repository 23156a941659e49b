import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { categoryOf, ErrorCatalogue, ErrorCategories, NotFoundCodes } from './error-catalogue';
import { DomainError, errorCodesMarkdown, statusOf } from './errors';

describe('the error catalogue', () => {
  it('puts every domain code in a category, and keeps categories as they were', () => {
    const categories = new Set<string>(Object.values(ErrorCategories));
    for (const [code, entry] of Object.entries(ErrorCatalogue)) {
      expect(code).toMatch(/^[A-Z_]+\.[A-Z_]+$/);
      expect(categories.has(code)).toBe(false);
      expect(categories.has(entry.category)).toBe(true);
      expect(categoryOf(code)).toBe(entry.category);
    }
    expect(categoryOf('REQUEST.INVALID')).toBe('REQUEST.INVALID');
    expect(statusOf('RESOURCE.NOT_FOUND')).toBe(404);
    expect(statusOf('RESOURCE.CONFLICT')).toBe(409);
  });

  it('names the domain of a not-found and keeps its status', () => {
    const error = DomainError.notFound('workflow version', 'onboard@3');
    expect(error.code).toBe('WORKFLOW.VERSION_NOT_FOUND');
    expect(error.status).toBe(404);
    expect(error.toPayload()).toEqual({
      code: 'WORKFLOW.VERSION_NOT_FOUND',
      category: 'RESOURCE.NOT_FOUND',
      title: 'Not found',
      detail: "workflow version 'onboard@3' was not found",
    });
    for (const code of Object.values(NotFoundCodes)) expect(statusOf(code)).toBe(404);
    expect(new DomainError('AGENT.DECOMMISSIONED', 'gone').status).toBe(409);
  });

  it('answers with the category a reply names for a code this version does not know', () => {
    const newer = DomainError.fromPayload({
      code: 'GADGET.MISSING' as never,
      category: 'RESOURCE.NOT_FOUND',
      title: 'Not found',
      detail: 'no gadget',
    });
    expect(newer.status).toBe(404);
    expect(newer.category).toBe('RESOURCE.NOT_FOUND');
    const unknown = DomainError.fromPayload({
      code: 'GADGET.MISSING' as never,
      title: '',
      detail: '',
    });
    expect(unknown.status).toBe(500);
  });

  it('is listed in docs/error-codes.md exactly as the catalogue has it', () => {
    const page = readFileSync(join(__dirname, '../../../docs/error-codes.md'), 'utf8');
    const listed = /<!-- prettier-ignore-start -->\n([\s\S]*?)\n<!-- prettier-ignore-end -->/.exec(
      page,
    );
    expect(listed?.[1]).toBe(errorCodesMarkdown());
  });
});
