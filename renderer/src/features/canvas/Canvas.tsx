/**
 * The graph canvas. React Flow renders; every edit is dispatched as a named command through
 * `perform`. Node and edge objects are derived from the document (see to-flow.ts); only the
 * positions of nodes being dragged live here until the drag ends and becomes one `move`.
 */
import {
  Background,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  useConnection,
  useReactFlow,
  useStore,
  type Connection,
  type ConnectionState,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent, type MouseEvent } from 'react';
import { flushSync } from 'react-dom';
import { onAppCommand } from '../../app/app-commands.js';
import { useLayoutStore } from '../../app/layout-store.js';
import { analysisOf } from '../../store/analysis.js';
import { canConnect, connect, type ConnectionRequest } from '../../store/commands/connect.js';
import { moveNodes, type Positions } from '../../store/commands/move.js';
import { useDocumentStore } from '../../store/document-store.js';
import { canEdit, perform, refuseReadOnly } from '../../store/edit.js';
import { notify } from '../../store/notify-store.js';
import { applySelect, pruneSelection, useSelectionStore } from '../../store/selection-store.js';
import { noCheckMarks, useViewStore } from '../../store/view-store.js';
import { addLayer, KIND_MIME, setViewCentre } from './add-layer.js';
import { autoLayout, DEFAULT_NODE_SIZE } from './auto-layout.js';
import { CellNode } from './CellNode.js';
import { ContainerNode } from './ContainerNode.js';
import { dropCommand } from './drop.js';
import { dropTarget } from './frames.js';
import { heatColor } from './heat.js';
import { LayerNode } from './LayerNode.js';
import { ReadOnlyBanner } from './ReadOnlyBanner.js';
import { RouteProvider, useObstacleIndex } from './route-context.js';
import { useReadOnlyLayout } from './readonly-layout.js';
import { ShapeEdge } from './ShapeEdge.js';
import { EdgeCache, NodeCache, type LayerFlowNode, type ShapeFlowEdge } from './to-flow.js';

type XY = { x: number; y: number };
type Size = { width: number; height: number };
type Flow = ReturnType<typeof useReactFlow<LayerFlowNode, ShapeFlowEdge>>;

const nodeTypes = { layer: LayerNode, container: ContainerNode, cell: CellNode };
const edgeTypes = { shape: ShapeEdge };
const noPositions: ReadonlyMap<string, XY> = new Map();
const noSizes: ReadonlyMap<string, Size> = new Map();
const fitOptions = { padding: 0.15, maxZoom: 1.2 };

/** A connection in source -> target direction, whichever end the drag started from. */
function requestOf(c: ConnectionState): ConnectionRequest | null {
  if (!c.inProgress || !c.toHandle || c.fromHandle.type === c.toHandle.type) return null;
  const [s, t] = c.fromHandle.type === 'source' ? [c.fromHandle, c.toHandle] : [c.toHandle, c.fromHandle];
  return { source: s.nodeId, sourceHandle: s.id, target: t.nodeId, targetHandle: t.id };
}

/** Says why the connection being dragged is refused (cycle, occupied port, …). */
function ConnectionHint() {
  const reason = useConnection((c) => {
    if (!c.inProgress || !c.toHandle || c.isValid !== false) return null;
    const req = requestOf(c);
    if (!req) return 'connect an output (bottom) to an input (top)';
    const check = canConnect(useDocumentStore.getState().doc, req);
    return check.ok ? null : check.reason;
  });
  return reason ? (
    <Panel position="top-center">
      <div className="connection-hint" data-testid="connection-hint">
        Cannot connect: {reason}
      </div>
    </Panel>
  ) : null;
}

/** The size React Flow measured for a node, or the default before it has. */
function measuredSize(rf: Flow, id: string): Size {
  const m = rf.getInternalNode(id)?.measured;
  return m?.width && m.height ? { width: m.width, height: m.height } : DEFAULT_NODE_SIZE;
}

/** A frame member reports its position relative to the frame; the document keeps absolute ones. */
function absolute(rf: Flow, id: string, p: XY): XY {
  const parentId = rf.getNode(id)?.parentId;
  const at = parentId ? rf.getInternalNode(parentId)?.internals.positionAbsolute : undefined;
  return at ? { x: p.x + at.x, y: p.y + at.y } : p;
}

function miniMapColor(n: LayerFlowNode): string {
  if (n.data.heat !== null) return heatColor(n.data.heat);
  if (n.data.error) return '#e5484d';
  return n.data.highlighted ? '#2f6fdb' : '#b8c0cc';
}

/**
 * Level of detail by zoom: below 45 % edge labels and params are hidden; below 28 % nodes are
 * drawn as coloured boxes (text is unreadable there and is what costs most to paint).
 */
const detailSelector = (s: { transform: [number, number, number] }) => (s.transform[2] < 0.28 ? ' lod-far' : s.transform[2] < 0.45 ? ' lod-mid' : '');

/** Pans so the one selected node is in view (after keyboard selection or insertion), keeping the zoom. */
function revealSelection(rf: Flow): void {
  const sel = useSelectionStore.getState().nodes;
  if (sel.size !== 1) return;
  const id = [...sel][0];
  const el = document.querySelector('.canvas-area .react-flow');
  // The node may be added this frame: wait for React Flow to place it.
  requestAnimationFrame(() => {
    const n = rf.getInternalNode(id);
    const r = el?.getBoundingClientRect();
    if (!n || !r) return;
    const { x, y } = n.internals.positionAbsolute;
    const { width, height } = measuredSize(rf, id);
    const a = rf.flowToScreenPosition({ x, y });
    const b = rf.flowToScreenPosition({ x: x + width, y: y + height });
    const margin = 24;
    if (a.x >= r.left + margin && a.y >= r.top + margin && b.x <= r.right - margin && b.y <= r.bottom - margin) return;
    void rf.setCenter(x + width / 2, y + height / 2, { zoom: rf.getZoom(), duration: 150 });
  });
}

/** The canvas (inside a ReactFlowProvider). */
export function Canvas() {
  const editable = useDocumentStore((s) => s.doc);
  const loads = useDocumentStore((s) => s.loads);
  const readOnly = useViewStore((s) => s.readOnly);
  const nodeHeat = useViewStore((s) => s.nodeHeat);
  const edgeHeat = useViewStore((s) => s.edgeHeat);
  const candidate = useViewStore((s) => s.candidate);
  const checkMarks = useViewStore((s) => s.checkMarks);
  const openCells = useViewStore((s) => s.openCells);
  const selectedNodes = useSelectionStore((s) => s.nodes);
  const selectedEdges = useSelectionStore((s) => s.edges);
  const [drag, setDrag] = useState(noPositions);
  const [measured, setMeasured] = useState(noSizes);
  const [nodeCache] = useState(() => new NodeCache());
  const [edgeCache] = useState(() => new EdgeCache());
  const rf = useReactFlow<LayerFlowNode, ShapeFlowEdge>();
  const detail = useStore(detailSelector);

  const doc = readOnly?.doc ?? editable;
  const analysis = useMemo(() => analysisOf(doc, readOnly ? null : candidate), [doc, readOnly, candidate]);
  const marks = readOnly ? noCheckMarks : checkMarks;
  const highlightNodes = useMemo(() => new Set(readOnly?.highlightNodes ?? []), [readOnly]);
  const highlightEdges = useMemo(() => new Set(readOnly?.highlightEdges ?? []), [readOnly]);
  const nodes = useMemo(
    () =>
      nodeCache.nodes({
        doc,
        analysis,
        selected: selectedNodes,
        drag,
        measured,
        heat: nodeHeat,
        highlight: highlightNodes,
        readOnly: !!readOnly,
        checkMarks: marks,
        openCells,
      }),
    [nodeCache, doc, analysis, selectedNodes, drag, measured, nodeHeat, highlightNodes, readOnly, marks, openCells],
  );
  const edges = useMemo(
    () => edgeCache.edges({ doc, analysis, selected: selectedEdges, heat: edgeHeat, highlight: highlightEdges, checkMarks: marks, readOnly: !!readOnly }),
    [edgeCache, doc, analysis, selectedEdges, edgeHeat, highlightEdges, marks, readOnly],
  );
  const sizeOf = useCallback((id: string) => measured.get(id) ?? DEFAULT_NODE_SIZE, [measured]);
  const obstacles = useObstacleIndex(doc, sizeOf);

  const onNodesChange = useCallback(
    (changes: NodeChange<LayerFlowNode>[]) => {
      const sizes: [string, Size][] = [];
      const moving: [string, XY][] = [];
      const dropped: Positions = {};
      const selects: { id: string; selected: boolean }[] = [];
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) sizes.push([c.id, c.dimensions]);
        else if (c.type === 'position' && c.position) {
          if (c.dragging) moving.push([c.id, absolute(rf, c.id, c.position)]);
          else dropped[c.id] = absolute(rf, c.id, c.position);
        } else if (c.type === 'select') selects.push(c);
      }
      if (sizes.length) setMeasured((prev) => new Map([...prev, ...sizes]));
      // Rendered before this frame paints: the node follows the pointer without a frame of lag.
      if (moving.length) flushSync(() => setDrag((prev) => new Map([...prev, ...moving])));
      const done = Object.keys(dropped);
      if (done.length) {
        // One command: the move, a frame carrying its members, joining or leaving a frame.
        if (canEdit()) useDocumentStore.getState().run(dropCommand(useDocumentStore.getState().doc, dropped, nodeCache.frames, (id) => measuredSize(rf, id)));
        setDrag((prev) => {
          const next = new Map(prev);
          for (const id of done) next.delete(id);
          return next.size ? next : noPositions;
        });
      }
      if (selects.length) {
        const s = useSelectionStore.getState();
        const next = applySelect(s.nodes, selects);
        if (next !== s.nodes) s.select(next, s.edges);
      }
    },
    [rf, nodeCache],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<ShapeFlowEdge>[]) => {
    const selects = changes.filter((c) => c.type === 'select');
    if (!selects.length) return;
    const s = useSelectionStore.getState();
    const next = applySelect(s.edges, selects);
    if (next !== s.edges) s.select(s.nodes, next);
  }, []);

  const onConnect = useCallback((c: Connection) => void perform(connect(c)), []);
  const isValidConnection = useCallback((c: Connection | Edge) => canConnect(useDocumentStore.getState().doc, c).ok, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(KIND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (!kind) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Dropped into a Choice / Repeat frame: the new node joins it (in the lane under the pointer).
      addLayer(kind, { x: p.x - DEFAULT_NODE_SIZE.width / 2, y: p.y - 20 }, dropTarget(nodeCache.frames, p, kind) ?? undefined);
    },
    [rf, nodeCache],
  );

  // The view follows: fit on every load and when a read-only graph comes or goes. An empty
  // graph resets the view instead (a fit would wait for, and then jump to, the first drop).
  useEffect(() => {
    const shown = useViewStore.getState().readOnly?.doc ?? useDocumentStore.getState().doc;
    if (shown.nodes.length) void rf.fitView(fitOptions);
    else void rf.setViewport({ x: 0, y: 0, zoom: 1 });
  }, [rf, loads, readOnly]);
  useEffect(() => useSelectionStore.getState().clear(), [readOnly]);
  // A newly opened document starts from its default candidate.
  useEffect(() => useViewStore.getState().setCandidate(null), [loads]);
  useReadOnlyLayout(readOnly, sizeOf);
  useEffect(
    () =>
      pruneSelection(
        doc.nodes.map((n) => n.id),
        doc.edges.map((e) => e.id),
      ),
    [doc],
  );

  useEffect(() => {
    setViewCentre(() => {
      const el = document.querySelector('.canvas-area .react-flow');
      const r = el?.getBoundingClientRect();
      const p = rf.screenToFlowPosition(r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : { x: 0, y: 0 });
      return { x: p.x - DEFAULT_NODE_SIZE.width / 2, y: p.y - 40 };
    });
    const layout = async () => {
      if (!canEdit()) return void refuseReadOnly();
      const current = useDocumentStore.getState().doc;
      try {
        const positions = await autoLayout(current, (id) => measuredSize(rf, id));
        if (useDocumentStore.getState().doc !== current) return; // edited meanwhile: stale layout
        perform(moveNodes(positions, { label: 'Auto-layout' }));
        void rf.fitView({ ...fitOptions, duration: 200 });
      } catch (e) {
        notify(`Auto-layout failed: ${(e as Error).message}`, 'error');
      }
    };
    const unsubs = [
      onAppCommand('zoom-in', () => void rf.zoomIn({ duration: 150 })),
      onAppCommand('zoom-out', () => void rf.zoomOut({ duration: 150 })),
      onAppCommand('zoom-fit', () => void rf.fitView({ ...fitOptions, duration: 200 })),
      onAppCommand('auto-layout', () => void layout()),
      onAppCommand('reveal-selection', () => revealSelection(rf)),
    ];
    return () => unsubs.forEach((u) => u());
  }, [rf]);

  // A double-click on empty canvas opens the quick-add palette (a node added without a selection goes there).
  const onDoubleClick = useCallback(
    (e: MouseEvent) => {
      if (!(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      useLayoutStore.getState().openQuickAdd({ point: { x: p.x - DEFAULT_NODE_SIZE.width / 2, y: p.y - 20 } });
    },
    [rf],
  );

  return (
    <div
      className={`canvas${detail}${readOnly ? ' read-only' : ''}`}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onDoubleClick={onDoubleClick}
      data-testid="canvas"
    >
      <ReadOnlyBanner />
      <RouteProvider value={obstacles}>
        <ReactFlow<LayerFlowNode, ShapeFlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          edgesReconnectable={false}
          deleteKeyCode={null}
          disableKeyboardA11y
          zoomOnDoubleClick={false}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
          minZoom={0.03}
          maxZoom={2.5}
          fitView
          fitViewOptions={fitOptions}
          onlyRenderVisibleElements={nodes.length > 400}
        >
          <Background gap={20} size={1} />
          <MiniMap pannable zoomable nodeColor={miniMapColor} nodeStrokeWidth={0} ariaLabel="Overview" />
          <Controls showInteractive={false} />
          <ConnectionHint />
        </ReactFlow>
      </RouteProvider>
    </div>
  );
}
