/**
 * Building the served ONNX model from Keras weights (or synthetic ones) and its INT8 quantisation:
 * a start-up step and a command-line tool. May import image and model; never core, a door or http.
 */
package dev.classifier.model.build;
