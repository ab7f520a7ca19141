import onnxProto from 'onnx-proto';

/** The official onnx.proto (ONNX 1.10, IR 8) compiled by protobufjs: we never encode protobuf by hand. */
export const onnx = onnxProto.onnx;
export type ModelProto = InstanceType<typeof onnxProto.onnx.ModelProto>;

export const DataType = onnxProto.onnx.TensorProto.DataType;
export type ElemType = 'float32' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'bool';

export const ELEM: Record<ElemType, number> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  bfloat16: DataType.BFLOAT16,
  int64: DataType.INT64,
  int32: DataType.INT32,
  bool: DataType.BOOL,
};
