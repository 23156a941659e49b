import { parseSimplePath, pathToJsonata } from './simple-path';
import { hasExpressions, scanTemplate } from './template.scanner';

/**
 * Conditions may be written as plain JSONata (`input.priority = "high"`) or with
 * `${}` around operands (`${input.priority} = "high"`). The second form is
 * turned into JSONata by replacing each `${x}` with `(x)`, writing simple paths
 * with backticks so that `${classify-inquiry.category}` keeps its meaning.
 * The offset map sends error positions in the generated text back to the
 * text the author wrote.
 */
export interface TranslatedExpression {
  readonly jsonata: string;
  toSourceOffset(generatedOffset: number): number;
}

interface Piece {
  readonly generatedStart: number;
  readonly sourceStart: number;
  /** Verbatim pieces map character by character; generated ones map to their start. */
  readonly verbatim: boolean;
}

export function translateExpression(text: string): TranslatedExpression {
  if (!hasExpressions(text)) return identity(text);
  const scanned = scanTemplate(text);
  const pieces: Piece[] = [];
  let out = '';
  let sourceOffset = 0;
  const emit = (chunk: string, sourceStart: number, verbatim: boolean): void => {
    pieces.push({ generatedStart: out.length, sourceStart, verbatim });
    out += chunk;
  };
  for (const part of scanned.parts) {
    if (part.kind === 'text') {
      // Literal text of a template part is unescaped already; find it in the source.
      const at = text.indexOf(part.text, sourceOffset);
      emit(part.text, at < 0 ? sourceOffset : at, at >= 0);
      sourceOffset = at < 0 ? sourceOffset : at + part.text.length;
      continue;
    }
    const exprStart = part.start - 2;
    const path = parseSimplePath(part.source.trim());
    const wrap = !scanned.single;
    if (wrap) emit('(', exprStart, false);
    if (path) emit(pathToJsonata(path), part.start, false);
    else emit(part.source, part.start, true);
    if (wrap) emit(')', part.start + part.source.length, false);
    sourceOffset = part.start + part.source.length + 1;
  }
  return {
    jsonata: out,
    toSourceOffset(generated: number): number {
      let piece = pieces[0];
      for (const candidate of pieces) {
        if (candidate.generatedStart > generated) break;
        piece = candidate;
      }
      if (!piece) return 0;
      return piece.verbatim
        ? piece.sourceStart + (generated - piece.generatedStart)
        : piece.sourceStart;
    },
  };
}

function identity(text: string): TranslatedExpression {
  return { jsonata: text, toSourceOffset: (offset) => offset };
}
