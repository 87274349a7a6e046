/** Test helper: Debian's python3-onnx (onnx 1.12) checker and a metadata reader, via /usr/bin/python3. */
import { execFileSync } from 'node:child_process';

/** Runs onnx.checker.check_model(full_check=True) on each file; throws with the checker's message. */
export function onnxCheck(files: string[]): void {
  const script = 'import onnx,sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint("ok")';
  execFileSync('/usr/bin/python3', ['-c', script, ...files], { encoding: 'utf8' });
}

/** IR version, opsets, metadata, and input/output names and shapes as onnx reads them. */
export function onnxInfo(file: string): {
  ir: number;
  opset: number;
  meta: Record<string, string>;
  inputs: [string, (number | string)[]][];
  outputs: [string, (number | string)[]][];
} {
  const script = `import onnx,json,sys
m=onnx.load(sys.argv[1])
dims=lambda v:[d.dim_value if d.HasField('dim_value') else d.dim_param for d in v.type.tensor_type.shape.dim]
print(json.dumps({"ir":m.ir_version,"opset":m.opset_import[0].version,"meta":{p.key:p.value for p in m.metadata_props},
"inputs":[[v.name,dims(v)] for v in m.graph.input],"outputs":[[v.name,dims(v)] for v in m.graph.output]}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' }));
}
