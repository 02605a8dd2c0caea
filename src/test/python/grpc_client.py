"""A second, independent Open Inference Protocol gRPC client: Python grpcio with stubs that grpcio_tools
generates at run time, into a temporary directory, from the project's own src/main/proto/grpc_predict_v2.proto.

Usage: grpc_client.py PROTO_FILE HOST:PORT MODEL [IMAGE_MODEL IMAGE_FILE]
Calls ServerLive, ServerReady, ModelMetadata and ModelConfig and prints one JSON object with what they answered;
with an image, also ModelInfer on IMAGE_MODEL with the file as raw contents (4-byte little-endian length, then the
bytes), plain and with the classification extension: the scores as their float32 bit patterns, so the Java test can
compare them bit for bit with its own client's.
"""

import json
import os
import struct
import sys
import tempfile

import grpc
from grpc_tools import protoc


def generate(proto_file, out_dir):
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    source_dir = os.path.dirname(os.path.abspath(proto_file))
    status = protoc.main(
        [
            "grpc_tools.protoc",
            "-I" + source_dir,
            "-I" + include,
            "--python_out=" + out_dir,
            "--grpc_python_out=" + out_dir,
            os.path.abspath(proto_file),
        ]
    )
    if status != 0:
        raise SystemExit("protoc failed on " + proto_file)
    sys.path.insert(0, out_dir)


def infer(pb, stub, model, image):
    def request(outputs=()):
        return pb.ModelInferRequest(
            model_name=model,
            id="python-1",
            inputs=[pb.ModelInferRequest.InferInputTensor(name="image", datatype="BYTES", shape=[1, 1])],
            outputs=list(outputs),
            raw_input_contents=[struct.pack("<I", len(image)) + image],
        )

    answer = stub.ModelInfer(request(), timeout=30)
    raw = answer.raw_output_contents[0]
    ranked_output = pb.ModelInferRequest.InferRequestedOutputTensor(name=answer.outputs[0].name)
    ranked_output.parameters["classification"].int64_param = 3
    ranked = stub.ModelInfer(request([ranked_output]), timeout=30).raw_output_contents[0]
    strings, at = [], 0
    while at < len(ranked):
        (length,) = struct.unpack_from("<I", ranked, at)
        strings.append(ranked[at + 4 : at + 4 + length].decode("utf-8"))
        at += 4 + length
    return {
        "infer_id": answer.id,
        "infer_model": answer.model_name,
        "infer_shape": list(answer.outputs[0].shape),
        "score_bits": list(struct.unpack("<%dI" % (len(raw) // 4), raw)),
        "classification": strings,
    }


def main():
    proto_file, target, model = sys.argv[1:4]
    image_model, image_file = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 else (None, None)
    inferred = {}
    with tempfile.TemporaryDirectory() as out_dir:
        generate(proto_file, out_dir)
        import grpc_predict_v2_pb2 as pb
        import grpc_predict_v2_pb2_grpc as pb_grpc

        with grpc.insecure_channel(target) as channel:
            stub = pb_grpc.GRPCInferenceServiceStub(channel)
            live = stub.ServerLive(pb.ServerLiveRequest(), timeout=10)
            ready = stub.ServerReady(pb.ServerReadyRequest(), timeout=10)
            metadata = stub.ModelMetadata(pb.ModelMetadataRequest(name=model), timeout=10)
            config = stub.ModelConfig(pb.ModelConfigRequest(name=model), timeout=10).config
            try:
                stub.ModelMetadata(pb.ModelMetadataRequest(name="no-such-model"), timeout=10)
                unknown = "OK"
            except grpc.RpcError as error:
                unknown = error.code().name
            if image_file:
                inferred = infer(pb, stub, image_model, open(image_file, "rb").read())
    print(
        json.dumps(
            {
                "live": live.live,
                "ready": ready.ready,
                "name": metadata.name,
                "versions": list(metadata.versions),
                "platform": metadata.platform,
                "inputs": [
                    {"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in metadata.inputs
                ],
                "outputs": [
                    {"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in metadata.outputs
                ],
                "max_batch_size": config.max_batch_size,
                "input_format": pb.ModelInput.Format.Name(config.input[0].format),
                "input_dims": list(config.input[0].dims),
                "input_data_type": pb.DataType.Name(config.input[0].data_type),
                "output_dims": list(config.output[0].dims),
                "unknown_model": unknown,
                **inferred,
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
