import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** A tensor dimension: a fixed size or a symbolic name (`batch_size`) that onnxruntime resolves at run time. */
export type Dim = number | string;

/** Element types the generated graphs use, named as onnxruntime-node names them. */
export type ElementType = 'float32' | 'int64' | 'bool';

const ELEMENT_TYPE: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** Constant tensor content: floats for weights, bigints (or plain integers) for int64 shapes and indices. */
export interface TensorInit {
  type: ElementType;
  dims: number[];
  data: Float32Array | BigInt64Array | readonly number[];
}

/** Node attribute values: an integer, a list of integers, a float (`{ f }`) or a tensor (`{ t }`). */
export type AttributeValue = number | number[] | { f: number } | { t: TensorInit } | { s: string };

/** The opset every generated model declares; onnxruntime-node 1.30 runs it, onnx-proto 8 (IR 8) encodes it. */
export const OPSET = 13;
const IR_VERSION = 7;

function rawBytes(init: TensorInit): Uint8Array {
  const count = init.dims.reduce((a, b) => a * b, 1);
  if (init.data.length !== count)
    throw new Error(`tensor data has ${init.data.length} values, dims need ${count}`);
  if (init.type === 'float32') {
    const floats =
      init.data instanceof Float32Array ? init.data : Float32Array.from(init.data as readonly number[]);
    return new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength);
  }
  if (init.type === 'int64') {
    const ints =
      init.data instanceof BigInt64Array
        ? init.data
        : BigInt64Array.from(Array.from(init.data as ArrayLike<number | bigint>, (v) => BigInt(v)));
    return new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength);
  }
  return Uint8Array.from(Array.from(init.data as ArrayLike<number>, (v) => (v ? 1 : 0)));
}

function tensorProto(name: string, init: TensorInit) {
  // Little-endian raw_data is what onnx.numpy_helper writes; Node runs on little-endian hosts only.
  return onnx.TensorProto.create({
    name,
    dims: init.dims,
    dataType: ELEMENT_TYPE[init.type],
    rawData: rawBytes(init),
  });
}

function valueInfo(name: string, type: ElementType, dims: Dim[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

function attribute(name: string, value: AttributeValue) {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return onnx.AttributeProto.create({ name, type: A.INT, i: value });
  if (Array.isArray(value)) return onnx.AttributeProto.create({ name, type: A.INTS, ints: value });
  if ('f' in value) return onnx.AttributeProto.create({ name, type: A.FLOAT, f: value.f });
  if ('s' in value)
    return onnx.AttributeProto.create({ name, type: A.STRING, s: new TextEncoder().encode(value.s) });
  return onnx.AttributeProto.create({ name, type: A.TENSOR, t: tensorProto('', value.t) });
}

/** Builds one ONNX graph node by node and encodes it as a ModelProto; same calls, same bytes. */
export class GraphBuilder {
  private readonly nodes: ReturnType<typeof onnx.NodeProto.create>[] = [];
  private readonly initializers: ReturnType<typeof onnx.TensorProto.create>[] = [];
  private readonly inputs: ReturnType<typeof onnx.ValueInfoProto.create>[] = [];
  private readonly outputs: ReturnType<typeof onnx.ValueInfoProto.create>[] = [];
  private counter = 0;

  constructor(private readonly name: string) {}

  /** Declares a graph input and returns its name for use in nodes. */
  input(name: string, type: ElementType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output fed by `value` (an Identity node renames it when the names differ). */
  output(name: string, value: string, type: ElementType, dims: Dim[]): void {
    if (value !== name)
      this.nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [value], output: [name] }));
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Stores a weight in the graph and returns its name. */
  weight(name: string, init: TensorInit): string {
    this.initializers.push(tensorProto(name, init));
    return name;
  }

  /** A small constant (shape, axes, scalar) stored as an initializer with a generated name. */
  constant(init: TensorInit): string {
    return this.weight(`const_${this.counter++}`, init);
  }

  /** int64 constant vector, the usual form of axes, shapes and indices. */
  ints(values: readonly number[]): string {
    return this.constant({ type: 'int64', dims: [values.length], data: values });
  }

  /** float32 scalar constant. */
  scalar(value: number): string {
    return this.constant({ type: 'float32', dims: [], data: [value] });
  }

  /** Adds a node with one output and returns that output's generated name. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.opN(opType, inputs, 1, attributes)[0]!;
  }

  /** Adds a node with `count` outputs and returns their generated names. */
  opN(
    opType: string,
    inputs: string[],
    count: number,
    attributes: Record<string, AttributeValue> = {},
  ): string[] {
    const id = this.counter++;
    const outputs = Array.from(
      { length: count },
      (_, i) => `${opType.toLowerCase()}_${id}${count > 1 ? `_${i}` : ''}`,
    );
    this.nodes.push(
      onnx.NodeProto.create({
        name: `${opType}_${id}`,
        opType,
        input: inputs,
        output: outputs,
        attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      }),
    );
    return outputs;
  }

  /** Encodes the model: IR 7, opset 13, no timestamps, so the bytes depend only on the graph. */
  encode(docString = ''): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'atrium-model-generator',
      producerVersion: '1',
      docString,
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
