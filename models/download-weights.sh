#!/usr/bin/env sh
# Downloads the official Keras ImageNet weights for Xception, checks them against the MD5 that Keras' own loader
# uses, and converts them into models/xception.onnx with the project's build-model command.
# Needs internet access, curl (or wget), md5sum, Java 17 and a built jar (mvn -q -B package -DskipTests).
set -eu

URL=https://github.com/fchollet/deep-learning-models/releases/download/v0.4/xception_weights_tf_dim_ordering_tf_kernels.h5
MD5=0a58e3b7378bc2990ea3b43d5981f1f6

cd "$(dirname "$0")/.."
H5=models/xception_weights_tf_dim_ordering_tf_kernels.h5
OUTPUT=${1:-models/xception.onnx}
JAR=target/xception-classifier.jar
if [ ! -f "$JAR" ]; then
  echo "No jar in target/: run 'mvn -q -B package -DskipTests' first." >&2
  exit 1
fi

if [ ! -f "$H5" ] || [ "$(md5sum "$H5" | cut -d' ' -f1)" != "$MD5" ]; then
  echo "Downloading $URL"
  if command -v curl >/dev/null 2>&1; then
    curl -fL --retry 3 -o "$H5.part" "$URL"
  else
    wget -O "$H5.part" "$URL"
  fi
  ACTUAL=$(md5sum "$H5.part" | cut -d' ' -f1)
  if [ "$ACTUAL" != "$MD5" ]; then
    rm -f "$H5.part"
    echo "Checksum mismatch: expected MD5 $MD5, got $ACTUAL. Not converting." >&2
    exit 1
  fi
  mv "$H5.part" "$H5"
fi
echo "Weights OK (MD5 $MD5)"

exec java -Xmx1g -jar "$JAR" build-model --weights "$H5" --output "$OUTPUT"
