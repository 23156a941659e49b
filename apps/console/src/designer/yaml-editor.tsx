import { useRef, type RefObject, type UIEvent } from 'react';

export interface LineMark {
  line: number;
  message: string;
}

/** Selects a whole line of the editor and scrolls it into view (from an error's "line N" button). */
export function selectLine(textarea: HTMLTextAreaElement | null, line: number): void {
  if (!textarea) return;
  const lines = textarea.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
  const end = start + (lines[line - 1]?.length ?? 0);
  textarea.focus();
  textarea.setSelectionRange(start, end);
  const lineHeight = textarea.scrollHeight / Math.max(lines.length, 1);
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/**
 * The workflow's YAML, editable: a plain textarea (no editor library to load)
 * with a gutter of line numbers in which lines with problems are marked.
 */
export function YamlEditor({
  value,
  onChange,
  marks,
  textareaRef,
  invalid,
}: {
  value: string;
  onChange: (text: string) => void;
  marks: LineMark[];
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  invalid: boolean;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lineCount = value.split('\n').length;
  const marked = new Map<number, string>();
  for (const mark of marks) if (!marked.has(mark.line)) marked.set(mark.line, mark.message);
  const syncScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
  };
  return (
    <div className="yaml-editor">
      <div className="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lineCount }, (_, index) => (
          <div
            key={index}
            className={marked.has(index + 1) ? 'marked' : undefined}
            title={marked.get(index + 1)}
            data-line={index + 1}
          >
            {index + 1}
          </div>
        ))}
      </div>
      <textarea
        id="workflow-yaml"
        ref={textareaRef}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onScroll={syncScroll}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        aria-invalid={invalid}
        aria-describedby="yaml-problems"
        onKeyDown={(event) => {
          // Tab indents (two spaces, as YAML wants); Escape then Tab leaves the editor.
          if (event.key !== 'Tab' || event.shiftKey || event.currentTarget.dataset.escaped) return;
          event.preventDefault();
          const area = event.currentTarget;
          const { selectionStart, selectionEnd } = area;
          const text = `${area.value.slice(0, selectionStart)}  ${area.value.slice(selectionEnd)}`;
          onChange(text);
          requestAnimationFrame(() =>
            area.setSelectionRange(selectionStart + 2, selectionStart + 2),
          );
        }}
        onKeyUp={(event) => {
          if (event.key === 'Escape') event.currentTarget.dataset.escaped = '1';
        }}
        onFocus={(event) => delete event.currentTarget.dataset.escaped}
      />
    </div>
  );
}
