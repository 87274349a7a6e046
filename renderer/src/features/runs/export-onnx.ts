/**
 * Export ONNX from a run: the engine exports the run's best weights (verified against tf.js).
 * In Electron the user picks the file in the native save dialog and the engine writes there;
 * in a browser the engine writes to its data folder and the page downloads it (token-protected
 * URL). The window's Export ONNX command (`layerloom:export-onnx`) exports the run selected in
 * the Runs panel, else the project's latest trained run.
 */
import { onAppCommand } from '../../app/app-commands.js';
import { hostBridge, resolveSocketUrl } from '../../engine/address.js';
import { EngineClient } from '../../engine/client.js';
import { useDocumentStore } from '../../store/document-store.js';
import { notify } from '../../store/notify-store.js';
import { downloadHref } from '../training/png.js';
import { projectOf } from '../training/settings.js';

/** What an export produced. */
export interface ExportOutcome {
  runId: string;
  path: string;
  bytes: number;
  /** The download URL (browser only). */
  url: string | null;
}

type Caller = Pick<EngineClient, 'call'>;

/** The page's URL for an engine download path, saved as `name` (the token comes from the page URL). */
export function downloadUrl(downloadPath: string, name: string, search = typeof location === 'undefined' ? '' : location.search): string {
  const token = new URLSearchParams(search).get('token') ?? '';
  return `${downloadPath}?${new URLSearchParams({ token, name })}`;
}

/** Exports a run; null when the user cancelled the save dialog. */
export async function exportRunToOnnx(client: Caller, runId: string, project: string): Promise<ExportOutcome | null> {
  const host = hostBridge();
  const name = `${project}-${runId}.onnx`;
  // The dialog's pick travels with its grant: the engine writes outside its folders only there.
  let target: { path: string; grant: string } | undefined;
  if (host) {
    const chosen = await host.chooseExportPath(name);
    if (!chosen) return null;
    target = { path: chosen.path, grant: chosen.grant };
  }
  const r = await client.call('runs.export', { runId, ...target });
  const url = r.downloadPath ? downloadUrl(r.downloadPath, name) : null;
  if (url) downloadHref(url, name);
  notify(`Exported ${runId} to ONNX: ${r.path} (${(r.bytes / 1024).toFixed(1)} KB)`);
  return { runId, path: r.path, bytes: r.bytes, url };
}

/** The run the Export ONNX command exports: the one given, else the project's latest with trained epochs. */
export async function runToExport(client: Caller, project: string, selected: string | null): Promise<string | null> {
  if (selected) return selected;
  const { runs } = await client.call('runs.list', { project });
  return runs.find((r) => r.epochsDone > 0 && !r.active)?.id ?? null;
}

let installed = false;

/**
 * Handles the window's Export ONNX command. It may come while neither training panel is open,
 * so it talks to the engine over a connection of its own, closed afterwards.
 */
export function installExportOnnxCommand(selectedRun: () => string | null): void {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  onAppCommand('export-onnx', () => {
    const { fileName, doc } = useDocumentStore.getState();
    const project = projectOf(fileName, doc.name);
    const client = new EngineClient(resolveSocketUrl);
    void (async () => {
      try {
        const runId = await runToExport(client, project, selectedRun());
        if (!runId) return notify(`No trained run of "${project}" to export: train it first (Training panel).`, 'error');
        await exportRunToOnnx(client, runId, project);
      } catch (e) {
        notify(`Export ONNX failed: ${(e as Error).message}`, 'error');
      } finally {
        client.close();
      }
    })();
  });
}
