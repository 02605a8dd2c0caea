"""Builds the Keras 3 models the build-model --keras tests convert, with seeded random weights, and
writes what Keras itself predicts for fixed inputs, so the Java test compares against Keras.

usage: keras_models.py OUTPUT_DIR

Writes into OUTPUT_DIR (a temporary folder; nothing here is ever committed), per model NAME:
  NAME.keras, and for some NAME.weights.h5 (Keras 3) and NAME.h5 (Keras 2 layout, legacy save);
  NAME.input.f32   the model's input batch, float32 little-endian, NHWC, shape in NAME.json;
  NAME.output.f32  model.predict of that batch, float32 little-endian;
  NAME.json        {"input": [n, s, s, 3], "output": [n, units], "raw": bool}.
One process builds them all: TensorFlow's start-up dominates.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

IMAGES = 2


def randomize(model, rng, dense_scale):
    """Glorot kernels are kept; batch norms get non-trivial statistics and dense layers a spread, so
    that folding and ranking are both exercised."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            randomize(layer, rng, dense_scale)
        elif isinstance(layer, layers.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.set_weights([
                rng.uniform(0.5, 1.5, c).astype("float32"),
                rng.normal(0, 0.1, c).astype("float32"),
                rng.normal(0, 0.1, c).astype("float32"),
                rng.uniform(0.5, 1.5, c).astype("float32"),
            ])
        elif isinstance(layer, layers.Dense):
            k, b = layer.get_weights()
            layer.set_weights([k * dense_scale, rng.normal(0, 0.1, b.shape).astype("float32")])


def inputs(rng, size, raw):
    x = rng.uniform(0, 255, (IMAGES, size, size, 3)).astype("float32")
    return x if raw else x / 127.5 - 1


def write(out, name, model, x, raw, formats):
    y = model.predict(x, verbose=0).astype("float32")
    if "keras" in formats:
        model.save(os.path.join(out, name + ".keras"))
    if "weights" in formats:
        model.save_weights(os.path.join(out, name + ".weights.h5"))
    if "h5" in formats:
        model.save(os.path.join(out, name + ".h5"))
    x.astype("<f4").tofile(os.path.join(out, name + ".input.f32"))
    y.astype("<f4").tofile(os.path.join(out, name + ".output.f32"))
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump({"input": list(x.shape), "output": list(y.shape), "raw": raw}, f)


def main(out):
    keras.utils.set_random_seed(26)
    rng = np.random.default_rng(26)

    full = keras.applications.Xception(weights=None)
    randomize(full, rng, 20.0)
    write(out, "full", full, inputs(rng, 299, False), False, ["keras", "weights", "h5"])

    # The Keras transfer-learning guide's model: augmentation, Rescaling, the base nested as a layer
    base = keras.applications.Xception(weights=None, include_top=False, input_shape=(150, 150, 3))
    i = keras.Input((150, 150, 3))
    x = layers.RandomFlip("horizontal")(i)
    x = layers.RandomRotation(0.1)(x)
    x = layers.Rescaling(1 / 127.5, offset=-1)(x)
    x = base(x, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    guide = keras.Model(i, layers.Dense(1)(x))
    randomize(guide, rng, 5.0)
    write(out, "guide", guide, inputs(rng, 150, True), True, ["keras"])

    seq = keras.Sequential([
        keras.applications.Xception(weights=None, include_top=False, pooling="avg",
                                    input_shape=(224, 224, 3)),
        layers.Dense(5, activation="softmax"),
    ])
    randomize(seq, rng, 10.0)
    write(out, "sequential", seq, inputs(rng, 224, False), False, ["keras"])

    # a hidden Dense(256, relu), Normalization with given statistics, global max pooling
    i = keras.Input((96, 96, 3))
    x = layers.Normalization(mean=[120.0, 115.0, 100.0], variance=[3600.0, 3500.0, 3900.0])(i)
    x = keras.applications.Xception(weights=None, include_top=False, pooling="max",
                                    input_shape=(96, 96, 3))(x)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    hidden = keras.Model(i, layers.Dense(3, activation="softmax")(x))
    randomize(hidden, rng, 3.0)
    write(out, "hidden", hidden, inputs(rng, 96, True), True, ["keras"])

    # not an Xception: refused before any weight is read
    i = keras.Input((80, 80, 3))
    x = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(80, 80, 3))(i)
    x = layers.GlobalAveragePooling2D()(x)
    keras.Model(i, layers.Dense(2)(x)).save(os.path.join(out, "resnet.keras"))
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
