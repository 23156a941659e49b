import {
  applyNodeChanges,
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type NodeChange,
} from '@xyflow/react';
import { useContext, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Document } from 'yaml';
import { useApi } from '../api/context';
import { problemOf, type Problem } from '../api/problem';
import type {
  ValidationReport,
  WorkflowTestView,
  WorkflowSummary,
  WorkflowVersion,
  WorkflowVersionPage,
} from '../api/types';
import { Loading, ProblemAlert, TextField } from '../components/common';
import { DryRunPanel } from '../designer/dry-run-panel';
import { workflowGraph } from '../designer/graph';
import { Palette, STEP_MIME } from '../designer/palette';
import { StepNode, type StepNodeType } from '../designer/step-node';
import { StepPanel } from '../designer/step-panel';
import {
  allStepNames,
  appendStep,
  EMPTY_WORKFLOW,
  findStep,
  moveStep,
  parseWorkflow,
  removeStep,
  setStepField,
  STEP_KINDS,
  stepIdOfProblemPath,
  stepsOf,
  workflowName,
  type FieldPath,
  type StepKind,
  type YamlProblem,
} from '../designer/workflow-document';
import { selectLine, YamlEditor } from '../designer/yaml-editor';
import { Link } from '../router';
import { ThemeContext } from '../theme';

const NODE_TYPES = { step: StepNode };
const VALIDATE_AFTER_MS = 400;

export function DesignerPage({ name }: { name?: string }) {
  return (
    <ReactFlowProvider>
      <Designer name={name} />
    </ReactFlowProvider>
  );
}

/**
 * The visual designer. The YAML text is the state; the `yaml` Document parsed
 * from it is what the canvas draws and what palette drops and side-panel
 * edits change (then printed back into the text). Editing the text re-parses
 * it; the canvas follows whenever it parses. The gateway validates the text
 * as you type.
 */
function Designer({ name }: { name?: string }) {
  const api = useApi();
  const theme = useContext(ThemeContext);
  const flow = useReactFlow();
  const docRef = useRef<Document>(parseWorkflow(EMPTY_WORKFLOW).doc);
  const textareaRef = useRef<HTMLTextAreaElement | null>(null);
  const [text, setText] = useState(name ? '' : EMPTY_WORKFLOW);
  const [loading, setLoading] = useState(Boolean(name));
  const [yamlProblems, setYamlProblems] = useState<YamlProblem[]>([]);
  const [report, setReport] = useState<ValidationReport>();
  const [problem, setProblem] = useState<Problem>();
  const [selectedId, setSelectedId] = useState<string>();
  const [saved, setSaved] = useState<WorkflowSummary>();
  const [saving, setSaving] = useState(false);
  const [dryRunOpen, setDryRunOpen] = useState(false);
  const [dryRun, setDryRun] = useState<WorkflowTestView>();
  const [nodes, setNodes] = useState<StepNodeType[]>([]);
  /** Bumped by "Auto-layout": nodes the user dragged go back where dagre puts them. */
  const [layoutGeneration, setLayoutGeneration] = useState(0);

  // Opening a stored workflow: its active version's source, comments and all.
  useEffect(() => {
    if (!name) return;
    const abort = new AbortController();
    const base = `/v1/workflows/${encodeURIComponent(name)}/versions`;
    api
      .get<WorkflowVersionPage>(`${base}?limit=1`, abort.signal)
      .then((page) => api.get<WorkflowVersion>(`${base}/${page.active_version}`, abort.signal))
      .then((version) => replaceText(version.source))
      .catch((error: unknown) => !abort.signal.aborted && setProblem(problemOf(error)))
      .finally(() => !abort.signal.aborted && setLoading(false));
    return () => abort.abort();
  }, [api, name]);

  const steps = useMemo(() => stepsOf(docRef.current), [text]);
  const graph = useMemo(() => workflowGraph(steps), [steps]);
  const invalidIds = useMemo(() => {
    const ids = new Set(graph.nodes.map((n) => n.id));
    const invalid = new Set<string>();
    for (const error of report?.errors ?? []) {
      const id = stepIdOfProblemPath(error.path, ids);
      if (id) invalid.add(id);
    }
    return invalid;
  }, [graph, report]);

  useEffect(() => {
    setNodes(
      graph.nodes.map((node) => ({
        id: node.id,
        type: 'step',
        position: { x: node.x, y: node.y },
        data: {
          name: node.name,
          kind: node.kind,
          target: node.target,
          invalid: invalidIds.has(node.id),
          dryRun: dryRun?.steps.find((step) => step.path === node.name)?.status,
        },
        selectable: node.kind !== 'start',
        draggable: true,
        ariaLabel: node.kind === 'start' ? 'Start' : `Step ${node.name} (${node.kind})`,
      })),
    );
  }, [graph, invalidIds, layoutGeneration, dryRun]);

  // Selection is the designer's (the side panel follows it), not React Flow's own.
  const shownNodes = useMemo(
    () =>
      nodes.map((node) =>
        node.selected === (node.id === selectedId)
          ? node
          : { ...node, selected: node.id === selectedId },
      ),
    [nodes, selectedId],
  );

  function onNodesChange(changes: NodeChange<StepNodeType>[]) {
    // A click or Enter on a focused node selects it; moves and measurements are React Flow's.
    for (const change of changes) {
      if (change.type === 'select' && change.selected) setSelectedId(change.id);
    }
    const rest = changes.filter((change) => change.type !== 'select');
    if (rest.length) setNodes((current) => applyNodeChanges(rest, current));
  }

  // Keep the whole workflow in view as it grows.
  useEffect(() => {
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1 }));
    return () => cancelAnimationFrame(frame);
  }, [graph, flow]);

  const edges: Edge[] = useMemo(
    () =>
      graph.edges.map((edge) => ({
        ...edge,
        type: 'smoothstep',
        focusable: false,
        ...(edge.label ? { label: edge.label } : {}),
      })),
    [graph],
  );

  // Validation by the gateway (POST /v1/workflows/validate), a moment after typing stops.
  useEffect(() => {
    if (!text) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api
        .postYaml<ValidationReport>('/v1/workflows/validate', text, abort.signal)
        .then((result) => {
          setReport(result);
          setProblem(undefined);
        })
        .catch((error: unknown) => !abort.signal.aborted && setProblem(problemOf(error)));
    }, VALIDATE_AFTER_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api, text]);

  function replaceText(next: string) {
    const parsed = parseWorkflow(next);
    setYamlProblems(parsed.problems);
    if (parsed.problems.length === 0) docRef.current = parsed.doc;
    setText(next);
    setSaved(undefined);
  }

  /** A change made on the canvas or in the panel: into the document, then into the text. */
  function edit(change: (doc: Document) => void) {
    if (yamlProblems.length) {
      setProblem({
        status: 0,
        title: 'Fix the YAML first',
        detail:
          'The canvas shows the last YAML that parsed; correct the text to edit visually again.',
      });
      return;
    }
    change(docRef.current);
    setText(docRef.current.toString());
    setSaved(undefined);
  }

  function add(kind: StepKind) {
    let added = '';
    edit((doc) => {
      added = appendStep(doc, kind);
    });
    const step = stepsOf(docRef.current).find((s) => s.name === added);
    if (step) setSelectedId(step.id);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    const kind = event.dataTransfer.getData(STEP_MIME);
    if ((STEP_KINDS as readonly string[]).includes(kind)) add(kind as StepKind);
  }

  async function save() {
    setSaving(true);
    setProblem(undefined);
    try {
      setSaved(await api.postYaml<WorkflowSummary>('/v1/workflows', text));
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setSaving(false);
    }
  }

  const selected = selectedId ? findStep(steps, selectedId) : undefined;
  const topIndex = selected && selected.path.length === 3 ? Number(selected.path[2]) : undefined;
  const names = allStepNames(docRef.current);
  const earlier = selected ? names.slice(0, names.indexOf(selected.name)) : [];
  const marks = [
    ...yamlProblems
      .filter((p) => p.line !== null)
      .map((p) => ({ line: p.line as number, message: p.message })),
    ...(report?.errors ?? [])
      .filter((p) => p.line !== null)
      .map((p) => ({ line: p.line as number, message: p.message })),
  ];
  const errors = [
    ...yamlProblems.map((p) => ({ ...p, code: 'YAML', path: '' })),
    ...(report?.errors ?? []),
  ];

  // A dry run needs a stored workflow: the one opened, or the one just saved.
  // The dry run takes the text as it is now: no save needed, only a name and no errors.
  const editedName = workflowName(docRef.current);
  const canDryRun = Boolean(editedName) && errors.length === 0;

  if (loading) return <Loading what="the workflow" />;

  return (
    <section className="designer" aria-labelledby="designer-title">
      <div className="page-head">
        <h1 id="designer-title">
          Designer{workflowName(docRef.current) ? `: ${workflowName(docRef.current)}` : ''}
        </h1>
        <div className="actions">
          <button
            type="button"
            className="ghost"
            onClick={() => void flow.fitView({ padding: 0.15 })}
          >
            Fit view
          </button>
          <button type="button" className="ghost" onClick={() => setLayoutGeneration((n) => n + 1)}>
            Auto-layout
          </button>
          <button
            type="button"
            className="ghost"
            aria-expanded={dryRunOpen}
            disabled={!canDryRun}
            title={canDryRun ? undefined : 'Give the workflow a name and correct its errors first'}
            onClick={() => setDryRunOpen(!dryRunOpen)}
          >
            Dry run
          </button>
          <button type="button" onClick={() => void save()} disabled={saving || errors.length > 0}>
            {saving ? 'Saving…' : 'Save as new version'}
          </button>
        </div>
      </div>
      <ProblemAlert problem={problem} />
      {saved ? (
        <p className="saved" role="status">
          Saved <strong>{saved.name}</strong> version {saved.version}.{' '}
          <Link to={`/workflows/${encodeURIComponent(saved.name)}`}>Run it</Link>
        </p>
      ) : null}
      {dryRunOpen && canDryRun ? (
        <DryRunPanel
          key={editedName}
          workflow={editedName}
          yaml={text}
          stepNames={names}
          onResult={setDryRun}
        />
      ) : null}
      <div className="designer-grid">
        <aside className="designer-left">
          <TextField
            id="workflow-name"
            label="Workflow name"
            value={workflowName(docRef.current)}
            maxLength={100}
            onChange={(value) => edit((doc) => doc.setIn(['workflow', 'name'], value))}
          />
          <Palette onAdd={add} />
          {selected ? (
            <StepPanel
              doc={docRef.current}
              step={selected}
              earlierSteps={earlier}
              onChange={(field: FieldPath, value) =>
                edit((doc) => setStepField(doc, selected.path, field, value))
              }
              onRemove={() => {
                edit((doc) => removeStep(doc, selected.path));
                setSelectedId(undefined);
              }}
              onMove={
                topIndex === undefined
                  ? undefined
                  : (delta) => {
                      edit((doc) => moveStep(doc, topIndex, delta));
                      setSelectedId(`workflow.steps.${topIndex + delta}`);
                    }
              }
            />
          ) : (
            <p className="muted">Select a step on the canvas to edit its fields.</p>
          )}
        </aside>
        <div
          className="canvas"
          onDrop={onDrop}
          onDragOver={(event) => {
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
          }}
          aria-label="Workflow canvas: drop steps here"
          data-testid="canvas"
        >
          <ReactFlow
            nodes={shownNodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            onNodesChange={onNodesChange}
            onPaneClick={() => setSelectedId(undefined)}
            nodesConnectable={false}
            deleteKeyCode={null}
            colorMode={theme}
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
          {steps.length === 0 ? (
            <div className="canvas-empty" role="status">
              Drag a step from the palette and drop it here.
            </div>
          ) : null}
        </div>
        <div className="designer-right">
          <label htmlFor="workflow-yaml">YAML</label>
          <YamlEditor
            value={text}
            onChange={replaceText}
            marks={marks}
            textareaRef={textareaRef}
            invalid={errors.length > 0}
          />
          <div id="yaml-problems" className="yaml-problems" aria-live="polite">
            {errors.length === 0 && report ? <p className="ok">Valid.</p> : null}
            {errors.length ? (
              <ul className="errors" aria-label="Errors">
                {errors.map((error, index) => (
                  <li key={index} className="yaml-error" data-line={error.line ?? ''}>
                    {error.line !== null ? (
                      <button
                        type="button"
                        className="link"
                        onClick={() => selectLine(textareaRef.current, error.line as number)}
                      >
                        Line {error.line}
                        {error.column !== null ? `, column ${error.column}` : ''}
                      </button>
                    ) : null}
                    : {error.message} {error.code ? <code>{error.code}</code> : null}
                  </li>
                ))}
              </ul>
            ) : null}
            {report?.warnings.length ? (
              <ul className="warnings" aria-label="Warnings">
                {report.warnings.map((warning, index) => (
                  <li key={index}>
                    {warning.line !== null ? `Line ${warning.line}: ` : ''}
                    {warning.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </div>
      </div>
    </section>
  );
}
