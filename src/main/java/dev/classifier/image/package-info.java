/**
 * Untrusted encoded images to model input: format sniffing, bounded header scanners, decoding
 * within pixel, time and memory limits, orientation, colour, resizing and normalisation into a
 * tensor. Imports nothing of the service above it (no core, door, http, inference or model).
 */
package dev.classifier.image;
