"""A second, independent Open Inference Protocol gRPC client: Python grpcio with stubs that grpcio_tools
generates at run time, into a temporary directory, from the project's own src/main/proto/grpc_predict_v2.proto.

Usage: grpc_client.py PROTO_FILE HOST:PORT MODEL
Calls ServerLive, ServerReady, ModelMetadata and ModelConfig and prints one JSON object with what they answered.
"""

import json
import os
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


def main():
    proto_file, target, model = sys.argv[1:4]
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
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
